"""Request parsing: JSON bodies as strictly as the log stores them, schemas built once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_smorest
import orjson
from flask import Request
from webargs.core import missing
from webargs.flaskparser import FlaskParser, is_json_request


class StrictJsonParser(FlaskParser):
    """Reads JSON bodies with orjson, as strictly as the log stores them.

    Text the log could not store (lone surrogates), nesting deeper than 1024 levels and numbers
    beyond a double are refused as invalid JSON (400) here, instead of failing later as a 500.
    """

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            return missing
        data = req.get_data(cache=True)
        if not data:
            return missing
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as error:
            self._handle_invalid_json_error(error, req)


class Blueprint(flask_smorest.Blueprint):
    """The services' Blueprint: request bodies are parsed by `StrictJsonParser`."""

    ARGUMENTS_PARSER = StrictJsonParser()

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        """As flask-smorest's, but a schema class is instantiated once here: given a class, webargs
        builds a new instance, nested schemas and all, on every request (a fifth of a submission)."""
        return super().arguments(schema() if isinstance(schema, type) else schema, *args, **kwargs)

"""Request parsing: JSON bodies as strictly as the log stores them, schemas built once; answers
already in their schema's shape written straight by orjson."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import flask_smorest
import orjson
from flask import Request, Response
from flask_smorest.utils import unpack_tuple_response  # type: ignore[import-untyped]
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

    def shaped_response(self, status_code: int, schema: Any, **kwargs: Any) -> Callable[..., Any]:
        """As `response`, for a view whose body is already in the schema's shape (a view function of
        `shared.web.views`, which builds exactly the schema's fields): the schema documents the
        answer, and the body is written by orjson without a marshmallow pass, which with Flask's
        JSON writer cost a tenth of a submission."""
        documented = self.response(status_code, schema, **kwargs)

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(view)
            def shaped(*args: Any, **kwargs: Any) -> Response:
                body, status, headers = unpack_tuple_response(view(*args, **kwargs))
                return json_response(body, status or status_code, headers)

            return documented(shaped)

        return decorator


def json_response(body: Any, status: int = 200, headers: Any = None) -> Response:
    """A JSON answer written by orjson."""
    return Response(orjson.dumps(body), status, headers, mimetype="application/json")

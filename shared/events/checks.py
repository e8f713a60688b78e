"""Fast payload checks generated from the marshmallow payload schemas.

`schema.load` costs tens of microseconds per event, most of the cost of folding the log. From the
same schema we generate straight-line Python that accepts only payloads marshmallow would accept
(strings, non-bool integers, nested objects and lists, OneOf/Length validators, unknown keys
excluded, `load_default` filled in) and returns what marshmallow would return; an untouched
payload is returned as it is, without a copy. Anything else, including every invalid payload,
raises `Unsure` and the caller asks marshmallow, which gives the error message. A schema using a
feature the generator does not know is never compiled (None: always marshmallow).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, fields, missing, validate

Check = Callable[[Any], Any]


class Unsure(Exception):
    """The fast check cannot vouch for this value; let marshmallow decide."""


class _Unsupported(Exception):
    pass


def compiled(schema: Schema) -> Check | None:
    """The fast check of `schema`, or None when the schema uses unsupported features (the
    registry keeps one per registered schema: `Registry.fast_check`)."""
    source = _Source()
    try:
        entry = source.object_function(schema, None)
    except _Unsupported:
        return None
    namespace = {"Unsure": Unsure, "MISSING": missing, **source.constants}
    exec("\n".join(source.lines), namespace)  # noqa: S102 - our own generated code, from our schemas
    return namespace[entry]


class _Source:
    """Python source of the check functions of one schema and its nested schemas."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {}
        self.count = 0

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def constant(self, value: Any) -> str:
        name = self.name("C")
        self.constants[name] = value
        return name

    def object_function(self, schema: Schema, unknown: str | None) -> str:
        unknown = unknown or schema.unknown
        if schema.many or schema.partial or any(schema._hooks.values()) or unknown not in (EXCLUDE, RAISE):
            raise _Unsupported
        body: list[str] = []
        results = [self.field_lines(name, field, body) for name, field in schema.load_fields.items()]
        names = tuple(name for name, _ in results)
        function = self.name("check_object")
        same = " and ".join([f"tuple(value) == {self.constant(names)}"] + [f"{r} is v_{r}" for _, r in results])
        lines = [f"def {function}(value):", "    if type(value) is not dict:", "        raise Unsure", *body]
        lines += [f"    if {same}:", "        return value"]
        if unknown == RAISE:
            lines += [
                f"    if any(key not in {self.constant(frozenset(names))} for key in value):",
                "        raise Unsure",
            ]
        lines += ["    out = {}"]
        lines += [f"    if {r} is not MISSING:\n        out[{n!r}] = {r}" for n, r in results]
        lines += ["    return out"]
        self.lines += lines
        return function

    def field_lines(self, name: str, field: fields.Field, body: list[str]) -> tuple[str, str]:
        if field.data_key not in (None, name) or field.attribute not in (None, name):
            raise _Unsupported
        if field.pre_load or field.post_load or field.allow_none or callable(field.load_default):
            raise _Unsupported
        result = self.name("r")
        body.append(f"    v_{result} = value.get({name!r}, MISSING)")
        body.append(f"    if v_{result} is MISSING:")
        if field.required:
            body.append("        raise Unsure")
        else:
            default = field.load_default
            body.append(f"        {result} = {'MISSING' if default is missing else self.constant(default)}")
        body.append("    else:")
        body += self.value_lines(field, f"v_{result}", result, "        ")
        return name, result

    def value_lines(self, field: fields.Field, source: str, result: str, pad: str) -> list[str]:
        """Lines that check `source` (never rebinding it) and bind the loaded value to `result`."""
        kind = type(field)
        if kind is fields.String or (kind is fields.Integer and not field.strict):
            python = "str" if kind is fields.String else "int"
            lines = [f"{pad}if type({source}) is not {python}:", f"{pad}    raise Unsure", f"{pad}{result} = {source}"]
        elif kind is fields.Nested and not field.many and not field.only and not field.exclude:
            lines = [f"{pad}{result} = {self.object_function(field.schema, field.unknown)}({source})"]
        elif kind is fields.List and not getattr(field, "only", None) and not getattr(field, "exclude", None):
            lines = self.list_lines(field, source, result, pad)
        else:
            raise _Unsupported
        return lines + [line for validator in field.validators for line in self.validator_lines(validator, result, pad)]

    def list_lines(self, field: fields.List, source: str, result: str, pad: str) -> list[str]:
        index, item, checked, copy = self.name("index"), self.name("item"), self.name("checked"), self.name("copy")
        return [
            f"{pad}if type({source}) is not list:",
            f"{pad}    raise Unsure",
            f"{pad}{copy} = None",
            f"{pad}for {index}, {item} in enumerate({source}):",
            *self.value_lines(field.inner, item, checked, pad + "    "),
            f"{pad}    if {checked} is not {item}:",
            f"{pad}        if {copy} is None:",
            f"{pad}            {copy} = list({source})",
            f"{pad}        {copy}[{index}] = {checked}",
            f"{pad}{result} = {source} if {copy} is None else {copy}",
        ]

    def validator_lines(self, validator: Any, source: str, pad: str) -> list[str]:
        if type(validator) is validate.OneOf:
            return [f"{pad}if {source} not in {self.constant(frozenset(validator.choices))}:", f"{pad}    raise Unsure"]
        if type(validator) is validate.Length and validator.equal is None:
            low = 0 if validator.min is None else validator.min
            high = "" if validator.max is None else f" or len({source}) > {validator.max}"
            return [f"{pad}if len({source}) < {low}{high}:", f"{pad}    raise Unsure"]
        raise _Unsupported

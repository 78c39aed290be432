"""Reading and checking JSON request bodies: every problem is a 400 naming the field."""
from __future__ import annotations

from typing import Any

from flask import request

from sidecar.errors import BadRequest


def json_object() -> dict:
    """The request body as a JSON object ({} when empty).

    Raises:
        BadRequest: the body is not a JSON object.
    """
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object")
    return data


def field(data: dict, name: str, kind: type | tuple[type, ...], *, required: bool = True,
          nullable: bool = False, max_length: int | None = None, choices: tuple | None = None) -> Any:
    """data[name] checked for type, presence, length and allowed values.

    Raises:
        BadRequest: naming the field.
    """
    if name not in data:
        if required:
            raise BadRequest(f"{name} is required", field=name)
        return None
    value = data[name]
    if value is None:
        if nullable:
            return None
        raise BadRequest(f"{name} must not be null", field=name)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int in Python; an int field must not take true/false
    if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
        names = " or ".join(k.__name__.replace("str", "string").replace("bool", "boolean") for k in kinds)
        raise BadRequest(f"{name} must be a {names}", field=name)
    if isinstance(value, str):
        value = value.strip()
        if required and not value and not nullable:
            raise BadRequest(f"{name} must not be empty", field=name)
        if max_length is not None and len(value) > max_length:
            raise BadRequest(f"{name} is longer than {max_length} characters", field=name)
    if choices is not None and value not in choices:
        raise BadRequest(f"{name} must be one of {', '.join(map(str, choices))}", field=name)
    return value


def only_fields(data: dict, allowed: tuple[str, ...]) -> None:
    """Refuse unknown keys, so a typo never silently does nothing.

    Raises:
        BadRequest: naming the first unknown key.
    """
    for key in data:
        if key not in allowed:
            raise BadRequest(f"unknown field {key}", field=key)

"""Reading request bodies and query strings into the API's models (http/schemas.py): every problem is a 400
naming the field.

The body is parsed by pydantic's JSON parser, which bounds nesting and refuses lone surrogates and
invalid UTF-8, so no such string ever reaches MySQL.
"""
from __future__ import annotations

from typing import TypeVar

from flask import request
from pydantic import BaseModel, ValidationError

from sidecar.errors import BadRequest
from sidecar.http.schemas import ASCII_PATTERN

M = TypeVar("M", bound=BaseModel)

_KINDS = {"string_type": "a string", "bool_type": "a boolean", "int_type": "a whole number",
          "list_type": "a list", "dict_type": "an object", "model_type": "an object", "float_type": "a number"}
_BOUNDS = {"greater_than": "more than", "greater_than_equal": "at least", "less_than": "less than",
           "less_than_equal": "at most"}


def body(model: type[M]) -> M:
    """The request body (an empty one is {}) as `model`.

    Raises:
        BadRequest: not JSON, not an object, or a field missing, unknown or wrong, naming it.
    """
    raw = request.get_data(cache=True)
    try:
        return model.model_validate_json(raw if raw.strip() else b"{}")
    except ValidationError as exc:
        raise refusal(exc) from None


def query(model: type[M]) -> M:
    """The query string (first value of each parameter) as `model`.

    Raises:
        BadRequest: naming the parameter.
    """
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise refusal(exc) from None


def refusal(exc: ValidationError) -> BadRequest:
    """The first problem pydantic found, in the words of our other 400s."""
    problem = exc.errors(include_url=False, include_input=False)[0]
    kind, loc, ctx = problem["type"], problem["loc"], problem.get("ctx") or {}
    if kind == "json_invalid":
        return BadRequest(f"the request body is not valid JSON ({ctx.get('error', 'unreadable')})")
    if not loc:
        return BadRequest("the request body must be a JSON object")
    name, where = str(loc[0]), ".".join(map(str, loc))
    if kind == "missing":
        message = f"{where} is required"
    elif kind == "extra_forbidden":
        message = f"unknown field {where}"
    elif kind == "string_too_short" and ctx.get("min_length") == 1:
        message = f"{where} must not be empty"
    elif kind == "string_too_long":
        message = f"{where} is longer than {ctx['max_length']} characters"
    elif kind == "too_long":
        message = f"{where} holds more than {ctx['max_length']} items"
    elif kind == "literal_error":
        message = f"{where} must be one of {ctx['expected']}"
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") == ASCII_PATTERN:
        message = (f"{where} may hold only printable ASCII characters without spaces: was a zero-width space, "
                   "curly quote or emoji pasted in with it?")
    elif kind in _KINDS:
        message = f"{where} must be {_KINDS[kind]}"
    elif kind in _BOUNDS:  # ctx holds the one bound, e.g. {"le": 60}
        bound = next(iter(ctx.values()))
        message = f"{where} must be {_BOUNDS[kind]} {bound:g}" if isinstance(bound, float) else \
            f"{where} must be {_BOUNDS[kind]} {bound}"
    else:
        message = f"{where}: {problem['msg']}"
    return BadRequest(message, field=name)

"""GET /openapi.json: the API described from the routes themselves.

Each view is wrapped in `described(...)`, which names its body, query and answer models (http/schemas.py)
and validates the body and query with those same models before the view runs; the document is built by
walking Flask's URL map, so a route, its checks and its description cannot drift apart. Unsigned, like
/healthz: it holds no secret and monitors and fuzzers read it.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from flask import Blueprint, current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from sidecar.http import auth, payload, schemas
from sidecar.http.ids import MAX_ID

bp = Blueprint("openapi", __name__)

VERSION = "1"
REF = "#/components/schemas/{model}"
# What every signed call may answer besides its own outcomes.
SIGNED_ERRORS = {
    400: "the body or query is wrong (`field` names it)",
    401: "bad or missing X-BKZ-* signature, stale timestamp, replayed nonce",
    403: "signed by the wrong party, a tenant in the body, or the plan lacks zoom",
    404: "no such route, or nothing by that id for this tenant",
    413: "body over the size limit",
    503: "the database or Zoom cannot be reached now; try again",
}
OTHER_ERRORS = {
    409: "not possible in the current state (Zoom off, other method, not connected, needs reconnect)",
    422: "well formed but refused (by Zoom, or not a user of the account)",
    502: "Zoom answered in a way the sidecar cannot act on",
}
# The patterns are the ones http/auth.py checks.
SIGNATURE_HEADERS = {
    "X-BKZ-Timestamp": ("unix seconds, within 300 s of the sidecar's clock", auth._TIMESTAMP),
    "X-BKZ-Nonce": ("random, never reused", auth._NONCE),
    "X-BKZ-Tenant": ("the tenant id, or `platform`", auth._TENANT),
    "X-BKZ-Actor": ("the WordPress user id", auth._ACTOR),
    "X-BKZ-Signature": ("hex HMAC-SHA256(shared secret, ts\\nMETHOD\\npath?query\\ntenant\\nactor\\nsha256hex(body))",
                        re.compile("[0-9a-fA-F]{64}")),
}


@dataclass(frozen=True)
class Page:
    """A non-JSON answer: an HTML page for a browser, or a redirect (media_type None)."""

    description: str
    media_type: str | None = "text/html"


@dataclass(frozen=True)
class Operation:
    """What one view takes and answers."""

    summary: str
    answers: dict[int, type[BaseModel] | Page]
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)


def described(summary: str, *, answers: dict, body: type[BaseModel] | None = None,
              query: type[BaseModel] | None = None, errors: tuple[int, ...] = (), headers: dict | None = None):
    """Describe a view and validate its input: the view gets `body=` and/or `query=` as validated models."""
    operation = Operation(summary, answers, body, query, errors, headers or {})

    def wrap(view):
        @functools.wraps(view)
        def run(**kwargs):
            if body is not None:
                kwargs["body"] = payload.body(body)
            if query is not None:
                kwargs["query"] = payload.query(query)
            return view(**kwargs)

        run.operation = operation
        return run

    return wrap


def operations(app):
    """(rule, method, Operation or None) for every route of the app but Flask's static files."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        operation = getattr(app.view_functions[rule.endpoint], "operation", None)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, operation


_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def document(app) -> dict:
    """The OpenAPI 3.1 document of every described route."""
    described_ops = [(rule, method, op) for rule, method, op in operations(app) if op is not None]
    models = {m for _, _, op in described_ops for m in _models(op)} | {schemas.Error}
    _, defs = models_json_schema([(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
                                 ref_template=REF)
    paths: dict = {}
    for rule, method, op in described_ops:
        path = _ARGUMENT.sub(r"{\2}", rule.rule)
        paths.setdefault(path, {})[method.lower()] = _operation(rule, op, signed=rule.rule.startswith("/v1/"))
    return {
        "openapi": "3.1.0",
        "info": {"title": "booknetic-zoom sidecar", "version": VERSION,
                 "description": "The shim -> sidecar API (SPEC section 4). Every /v1 call is signed."},
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "parameters": {name: {"name": name, "in": "header", "required": True, "description": text,
                                  "schema": {"type": "string", "pattern": f"^(?:{pattern.pattern.strip('^$')})$"}}
                           for name, (text, pattern) in SIGNATURE_HEADERS.items()},
        },
    }


def _models(op: Operation):
    yield from (m for m in (op.body, op.query) if m is not None)
    yield from (m for m in op.answers.values() if isinstance(m, type))


def _ref(model: type[BaseModel]) -> dict:
    return {"$ref": REF.format(model=model.__name__)}


def _operation(rule, op: Operation, *, signed: bool) -> dict:
    out: dict = {"summary": op.summary, "operationId": rule.endpoint, "parameters": []}
    for converter, name in _ARGUMENT.findall(rule.rule):
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID} if converter == "id" else {"type": "string"}
        out["parameters"].append({"name": name, "in": "path", "required": True, "schema": schema})
    if op.query is not None:
        query = op.query.model_json_schema(ref_template=REF)
        for name, schema in query["properties"].items():
            out["parameters"].append({"name": name, "in": "query", "required": name in query.get("required", []),
                                      "schema": schema})
    for name, text in op.headers.items():
        out["parameters"].append({"name": name, "in": "header", "required": False, "description": text,
                                  "schema": {"type": "string"}})
    if signed:
        out["parameters"] += [{"$ref": f"#/components/parameters/{name}"} for name in SIGNATURE_HEADERS]
    if op.body is not None:
        out["requestBody"] = {"required": False, "content": {"application/json": {"schema": _ref(op.body)}}}
    answers = {str(status): _answer(answer) for status, answer in sorted(op.answers.items())}
    errors = {**(SIGNED_ERRORS if signed else {}), **{s: OTHER_ERRORS[s] for s in op.errors}}
    for status, text in sorted(errors.items()):
        answers.setdefault(str(status), {"description": text,
                                         "content": {"application/json": {"schema": _ref(schemas.Error)}}})
    out["responses"] = answers
    return out


def _answer(answer) -> dict:
    if isinstance(answer, Page):
        if answer.media_type is None:
            return {"description": answer.description, "headers": {"Location": {"schema": {"type": "string"}}}}
        kind = "object" if answer.media_type == "application/json" else "string"
        return {"description": answer.description, "content": {answer.media_type: {"schema": {"type": kind}}}}
    return {"description": (answer.__doc__ or answer.__name__).strip().splitlines()[0],
            "content": {"application/json": {"schema": _ref(answer)}}}


@bp.get("/openapi.json")
@described("This document", answers={200: Page("the OpenAPI 3.1 document", "application/json")})
def openapi_json():
    # Built once per app (about 50 ms): the routes do not change after start.
    if "bkz_openapi" not in current_app.extensions:
        current_app.extensions["bkz_openapi"] = document(current_app)
    return jsonify(current_app.extensions["bkz_openapi"])

"""Bad input on every route, fuzzed: Hypothesis builds signed requests from GET /openapi.json and each answer
must be a 4xx error as documented (JSON, or the stable links' HTML page) or, for a read, the documented
success; never a 5xx, and never a change to our tables or Booknetic's.

Why the state check can be strict: every write request generated here is invalid by construction (its
body is refused by the route's own model, or a path id or signature header is malformed), so a success
on a write is itself a failure. Reads (GET), calls well signed as a tenant that does not exist, and
Zoom-signed webhooks with made-up ids may succeed, and must still change nothing. Valid bodies (which
may rightly change state) are never sent: each drawn body is checked against the route's model first. The nonces table is left out: every signed request, even a refused one, may
record its nonce (the replay guard). The run is seeded (BKZ_FUZZ_SEED) and bounded (BKZ_FUZZ_EXAMPLES):
the same command on the same code repeats it exactly. (Hypothesis also draws string and number constants
from the project modules loaded, so `make test` and this module alone try different, equally fixed, sets.)
"""
from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, given, seed, settings, strategies as st
from pydantic import ValidationError

from sidecar.http import schemas
from sidecar.http.ids import MAX_ID, IdConverter
from sidecar.services.webhooks import zoom_signature
from tests.fixtures.app import signed_headers
from tests.fixtures.connect import WEBHOOK_SECRET
from tests.fixtures.database import table_checksums as state

SEED = int(os.environ.get("BKZ_FUZZ_SEED", "20261202"))
EXAMPLES = int(os.environ.get("BKZ_FUZZ_EXAMPLES", "500"))
VALID_ID = re.compile(IdConverter.regex)
ODD_TEXT = st.sampled_from(["\x00", "a\x00b", "\u200b", "\u2019", "\U0001f600", "\ud800", "\udfff", "²", "١٢",
                            "%00", "../..", "' OR 1=1 --", "\\", "\"", "{zoom_meeting_url}", " ", "\n", "Ā" * 300])
BAD_IDS = st.one_of(
    st.integers(max_value=0).map(str), st.integers(min_value=MAX_ID + 1, max_value=10 ** 30).map(str),
    st.sampled_from(["²", "١", "1.0", "1e3", "0x10", "+1", "01", " 1", "1 ", "null", "true", "-0", "1,2"]),
    st.text(max_size=12), ODD_TEXT)
ANY_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | ODD_TEXT,
                        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                    max_size=4), max_leaves=12)


def encoded(value: str) -> str:
    """Percent-encoded UTF-8; a lone surrogate becomes bytes that are not UTF-8 at all."""
    return quote(value, safe="", errors="surrogatepass")


class Fuzz:
    """The operations of /openapi.json and the world's ids to fill their paths."""

    def __init__(self, client, ready, appointment_id: int):
        self.doc = client.get("/openapi.json").get_json()
        self.ops = [(method.upper(), path, op) for path, ops in sorted(self.doc["paths"].items())
                    for method, op in sorted(ops.items()) if path.startswith("/v1/")]
        self.tenant = str(ready.tenant_id)
        self.ids = {"appointment_id": appointment_id, "staff_id": ready.world.staff_id,
                    "service_id": ready.world.service_id}

    def body_model(self, op):
        ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        return getattr(schemas, ref["$ref"].rsplit("/", 1)[-1]) if ref else None

    def signer(self, path: str) -> str:
        return "platform" if path.startswith(("/v1/platform", "/v1/zoom", "/v1/oauth", "/v1/join", "/v1/host")) \
            else self.tenant


def example(model) -> dict:
    """A body the model accepts: each required field with a plain value of its type."""
    schema = model.model_json_schema()
    body = {}
    for name in schema.get("required", []):
        prop = schema["properties"][name]
        kinds = [prop] + prop.get("anyOf", [])
        if any("enum" in k for k in kinds):
            body[name] = next(k["enum"][0] for k in kinds if "enum" in k)
        elif any(k.get("const") for k in kinds):
            body[name] = next(k["const"] for k in kinds if k.get("const"))
        else:
            kind = next(k["type"] for k in kinds if k.get("type") not in (None, "null"))
            body[name] = {"string": "x", "boolean": True, "integer": 1, "array": [], "object": {}}[kind]
    model.model_validate(body)
    return body


@st.composite
def bad_body(draw, model) -> bytes:
    """Bytes the model refuses: not JSON, too deep, not an object, or an object with a wrong field."""
    kind = draw(st.sampled_from(["bytes", "deep", "not_object", "mutated", "mutated", "mutated"]))
    if kind == "bytes":
        raw = draw(st.binary(min_size=1, max_size=64))
    elif kind == "deep":
        raw = draw(st.sampled_from([b"[", b'{"a":', b"[{\"x\":"])) * draw(st.integers(200, 100_000))
    elif kind == "not_object":
        raw = json.dumps(draw(st.none() | st.booleans() | st.integers() | st.text() | st.lists(st.integers()))).encode()
    else:
        body = example(model)
        fields = list(model.model_json_schema().get("properties", {})) or ["x"]
        for _ in range(draw(st.integers(1, 3))):
            name = draw(st.sampled_from(fields + ["unknown", "tenant_id"]))
            change = draw(st.sampled_from(["wrong_type", "oversized", "odd_text", "bad_number", "missing"]))
            if change == "missing":
                body.pop(name, None)
            elif change == "oversized":
                body[name] = "x" * draw(st.sampled_from([256, 2049, 70_000]))
            elif change == "odd_text":
                body[name] = draw(ODD_TEXT) + draw(st.text(max_size=8))
            elif change == "bad_number":
                body[name] = draw(st.integers(max_value=0) | st.integers(min_value=MAX_ID + 1) | st.floats())
            else:
                body[name] = draw(ANY_JSON)
        ascii_only = draw(st.booleans())  # False: lone surrogates become invalid UTF-8 bytes
        raw = json.dumps(body, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    if not raw.strip():
        raw = b"\x00"
    try:
        model.model_validate_json(raw)
    except ValidationError:
        return raw
    assume(False)  # a valid body: not this test's business (it may rightly change state)


@st.composite
def bad_request(draw, fuzz: Fuzz):
    """(kind, method, path with query, body, headers, op): one request that must not change anything."""
    method, template, op = draw(st.sampled_from(fuzz.ops))
    model = fuzz.body_model(op)
    is_read = method == "GET"
    kinds = ["read"] if is_read else []
    kinds += ["body"] if model is not None else []
    kinds += ["path"] if "{" in template and any(i in template for i in fuzz.ids) else []
    kinds += ["query", "headers", "stranger"]
    kind = draw(st.sampled_from(kinds))
    if kind == "query" and not is_read:
        kind = "body" if model is not None else "headers"
    values = {name: str(v) for name, v in fuzz.ids.items()}
    if kind == "path":
        name = draw(st.sampled_from([n for n in fuzz.ids if "{" + n + "}" in template]))
        bad = draw(BAD_IDS)
        assume(not VALID_ID.fullmatch(bad))
        values[name] = encoded(bad)
    path = template
    for name in re.findall(r"{(\w+)}", template):
        values.setdefault(name, encoded(draw(st.text(max_size=40) | ODD_TEXT)) or "x")
        path = path.replace("{" + name + "}", values[name])
    if kind in ("query", "read") and draw(st.booleans()):
        params = draw(st.dictionaries(st.sampled_from(["audience", "page", "t", "x"]),
                                      st.text(max_size=12) | ODD_TEXT, min_size=1, max_size=3))
        if not is_read or params.get("audience") in ("customer", "staff"):
            params.pop("audience", None)
        path += "?" + "&".join(f"{k}={encoded(v)}" for k, v in params.items())
    elif template.endswith("/links"):
        path += "?audience=" + ("staff" if kind == "read" else encoded(draw(st.text(max_size=12))))
    body = b""
    if model is not None:
        body = draw(bad_body(model)) if kind == "body" else json.dumps(example(model)).encode()
    tenant, actor, ts = fuzz.signer(template), "12", str(int(time.time()))
    if kind == "headers":
        # values a request must be refused for: malformed, stale, out of range, or a tenant that does not exist
        change = draw(st.sampled_from(["ts", "tenant", "actor"]))
        bad = draw(st.sampled_from(["²", "１２", "-1", "1e9", "9" * 40, " 1", "01", "18446744073709551616", "\u200b"]
                                   + {"ts": ["0", "99999999999"], "actor": [],
                                      "tenant": ["0", "4294967296", "platform\x00"]}[change]))
        ts, tenant, actor = (bad if change == "ts" else ts, bad if change == "tenant" else tenant,
                             bad if change == "actor" else actor)
    if kind == "stranger":  # well signed, as a tenant that does not exist: may read, never write
        tenant = str(MAX_ID)
    headers = signed_headers(method, path, body, tenant=tenant, actor=actor, ts=ts)
    if template == "/v1/zoom/webhook" and draw(st.booleans()):
        # Zoom-signed, so the envelope reaches the handlers; made-up ids match nothing of ours
        if kind not in ("body", "headers"):
            kind = "read"
            body = json.dumps({"event": draw(st.sampled_from(["app_deauthorized", "meeting.deleted",
                                                              "endpoint.url_validation", "x"])),
                               "payload": draw(st.dictionaries(st.text(max_size=10), ANY_JSON, max_size=4))}).encode()
            headers = signed_headers(method, path, body, tenant=tenant, actor=actor, ts=ts)
        zoom_ts = str(int(time.time()))
        headers.update({"x-zm-request-timestamp": zoom_ts, "x-zm-signature": zoom_signature(WEBHOOK_SECRET, zoom_ts,
                                                                                               body)})
    return kind, method, path, body, headers, op


def check_answer(may_succeed: bool, op: dict, answer) -> None:
    """A 4xx as documented, or (when the request may succeed) a documented success matching its description."""
    status = answer.status_code
    assert status < 500, answer.get_data(as_text=True)[:300]
    documented = op["responses"].get(str(status))
    if status in (404, 405) and answer.mimetype == "application/json":
        # a path no rule matches (a bad id or token) is refused by the router, as every unknown path
        documented = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    assert documented is not None, f"{status} is not documented"
    if status < 400:
        assert may_succeed, f"invalid input answered {status}"
    content = documented.get("content", {})
    if "application/json" in content:
        ref = content["application/json"]["schema"].get("$ref", "")
        model = getattr(schemas, ref.rsplit("/", 1)[-1])
        model.model_validate(answer.get_json())
    elif content:
        assert answer.mimetype in content, answer.mimetype


@pytest.fixture
def fuzz(client, zoom_ready, booknetic):
    appointment = booknetic.appointment(zoom_ready.world)
    assert zoom_ready.sync(appointment).state == "active"
    return Fuzz(client, zoom_ready, appointment)


def test_bad_input_on_every_route_answers_4xx_and_changes_nothing(client, db, fuzz, capsys):
    tried, by_status, by_kind, changes = Counter(), Counter(), Counter(), []
    before = state(db)
    started = time.monotonic()

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False, print_blob=True,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        kind, method, path, body, headers, op = data.draw(bad_request(fuzz))
        answer = client.open(path, method=method, data=body, headers=headers)
        tried[f"{method} {op['operationId']}"] += 1
        by_status[answer.status_code] += 1
        by_kind[kind] += 1
        after = state(db)
        if after != before:
            changes.append((method, path[:80], [t for t in after if after[t] != before.get(t)]))
        assert not changes, changes[-1]
        check_answer(method == "GET" or kind in ("read", "stranger"), op, answer)

    run()
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(f"\nfuzz (seed {SEED}): {sum(tried.values())} requests on {len(tried)} operations in {seconds:.1f} s; "
              f"answers {dict(sorted(by_status.items()))}; kinds {dict(sorted(by_kind.items()))}; "
              f"state changes {len(changes)}")
    assert len(tried) == len(fuzz.ops), sorted(set(f"{m} {op['operationId']}" for m, _, op in fuzz.ops) - set(tried))
    assert sum(n for s, n in by_status.items() if s not in (401,)) > sum(tried.values()) / 2  # reached the routes

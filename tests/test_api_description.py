"""GET /openapi.json describes every route: what it takes, what it answers and how it refuses; the answers
the routes really give match their description."""
from __future__ import annotations

import re

import pytest

from sidecar.http import openapi, schemas
from sidecar.http.ids import IdConverter, MAX_ID


def test_every_route_of_the_app_is_described(app, client):
    document = client.get("/openapi.json").get_json()
    missing = []
    for rule, method, operation in openapi.operations(app):
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
        if operation is None or method.lower() not in document["paths"].get(path, {}):
            missing.append(f"{method} {rule.rule}")
    assert missing == []
    assert len([1 for ops in document["paths"].values() for _ in ops]) >= 20


def test_every_signed_operation_documents_its_refusals_and_the_signature(client):
    document = client.get("/openapi.json").get_json()
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if not path.startswith("/v1/"):
                assert "401" not in op["responses"], path
                continue
            assert {"400", "401", "403", "404", "413"} <= set(op["responses"]), (method, path)
            assert op["responses"]["401"]["content"]["application/json"]["schema"] == \
                {"$ref": "#/components/schemas/Error"}
            assert {"$ref": "#/components/parameters/X-BKZ-Signature"} in op["parameters"]
            assert any(status.startswith(("2", "3")) for status in op["responses"]), (method, path)


def test_every_reference_resolves(client):
    document = client.get("/openapi.json").get_json()
    refs = set(re.findall(r'"\$ref": "#/components/(\w+)/([\w-]+)"', str(document).replace("'", '"')))
    assert refs
    for section, name in refs:
        assert name in document["components"][section], (section, name)


def test_the_body_a_route_checks_is_the_body_it_describes(client):
    document = client.get("/openapi.json").get_json()
    op = document["paths"]["/v1/tenant/shortcodes/expand"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ExpandRequest"}
    described = document["components"]["schemas"]["ExpandRequest"]
    assert described == schemas.ExpandRequest.model_json_schema(ref_template=openapi.REF)
    assert described["additionalProperties"] is False
    assert described["properties"]["appointment_id"]["maximum"] == MAX_ID
    assert described["properties"]["texts"]["maxItems"] == schemas.MAX_TEXTS


def test_path_ids_are_described_with_their_range(client):
    op = client.get("/openapi.json").get_json()["paths"]["/v1/tenant/appointments/{appointment_id}/sync"]["post"]
    (param,) = [p for p in op["parameters"] if p.get("in") == "path"]
    assert param == {"name": "appointment_id", "in": "path", "required": True,
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


@pytest.mark.parametrize("text, matches", [("1", True), (str(MAX_ID), True), (str(MAX_ID + 1), False), ("0", False),
                                           ("01", False), ("-1", False), ("²", False), ("4199999999", True)])
def test_the_id_pattern_holds_exactly_the_column_range(text, matches):
    assert bool(re.fullmatch(IdConverter.regex, text)) is matches


def conforms(document: dict, path: str, method: str, answer) -> None:
    """The answer's status is described for the operation, and its JSON body validates against the description."""
    described = document["paths"][path][method]["responses"].get(str(answer.status_code))
    assert described is not None, (path, answer.status_code)
    ref = described["content"]["application/json"]["schema"]["$ref"]
    getattr(schemas, ref.rsplit("/", 1)[-1]).model_validate(answer.get_json())


def test_the_answers_of_a_connected_tenant_match_their_description(client, shim, zoom_ready, booknetic):
    document = client.get("/openapi.json").get_json()
    world, tenant, platform = zoom_ready.world, shim.as_tenant(zoom_ready.tenant_id), shim.as_tenant("platform")
    appointment = booknetic.appointment(world)
    calls = [
        (platform, "GET", "/v1/platform/zoom", "/v1/platform/zoom", None),
        (tenant, "GET", "/v1/tenant/zoom", "/v1/tenant/zoom", None),
        (tenant, "GET", "/v1/tenant/zoom/users", "/v1/tenant/zoom/users", None),
        (tenant, "GET", "/v1/tenant/zoom/settings", "/v1/tenant/zoom/settings", None),
        (tenant, "PUT", "/v1/tenant/zoom/settings", "/v1/tenant/zoom/settings", {"meeting_agenda": "Hello"}),
        (tenant, "GET", f"/v1/tenant/staff/{world.staff_id}/zoom-user", "/v1/tenant/staff/{staff_id}/zoom-user", None),
        (tenant, "GET", f"/v1/tenant/services/{world.service_id}/zoom", "/v1/tenant/services/{service_id}/zoom", None),
        (tenant, "POST", f"/v1/tenant/appointments/{appointment}/sync", "/v1/tenant/appointments/{appointment_id}/sync",
         {}),
        (tenant, "GET", f"/v1/tenant/appointments/{appointment}/links?audience=staff",
         "/v1/tenant/appointments/{appointment_id}/links", None),
        (tenant, "POST", "/v1/tenant/shortcodes/expand", "/v1/tenant/shortcodes/expand",
         {"appointment_id": appointment, "channel": "email", "audience": "staff", "texts": ["{zoom_meeting_url}"]}),
        (tenant, "POST", "/v1/tenant/zoom/connect", "/v1/tenant/zoom/connect", {"return_url": "http://wp.test/x"}),
        (tenant, "PUT", "/v1/tenant/zoom/credentials", "/v1/tenant/zoom/credentials",
         {"account_id": "a", "client_id": "b", "client_secret": "c"}),  # OAuth platform: refused, as described
        (tenant, "DELETE", "/v1/tenant/zoom", "/v1/tenant/zoom", None),
    ]
    for signer, method, path, template, body in calls:
        answer = signer.request(method, path, body)
        conforms(document, template, method.lower(), answer)
    conforms(document, "/healthz", "get", client.get("/healthz"))

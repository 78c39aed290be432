"""The database down: the signed API answers 503 with Retry-After, the browser links a plain "try again
shortly" page, and the log says why in one line, without a traceback."""
from __future__ import annotations

import logging

import pytest

from sidecar import context
from sidecar.app import create_app
from sidecar.services import links
from tests.fixtures.app import Shim
from tests.fixtures.database import make_config
from tests.fixtures.wordpress import free_port


@pytest.fixture
def shim_without_database(db_name, encryption_key) -> Shim:
    config = make_config(db_name, keys=(encryption_key,), database={"port": free_port()})  # nothing listens
    return Shim(create_app(config).test_client())


def _no_traceback(caplog) -> None:
    assert not [r for r in caplog.records if r.exc_info], "a routine outage logged a traceback"
    assert any(r.getMessage() == "database_unavailable" for r in caplog.records)


@pytest.mark.parametrize("method, path", [("GET", "/v1/tenant/zoom"), ("POST", "/v1/tenant/appointments/5/sync"),
                                          ("POST", "/v1/tenant/shortcodes/expand")])
def test_signed_calls_answer_503_with_retry_after(shim_without_database, caplog, method, path):
    caplog.set_level(logging.INFO)
    answer = shim_without_database.as_tenant(3).request(method, path, json={})
    assert answer.status_code == 503 and answer.headers["Retry-After"].isdigit()
    assert answer.get_json()["error"] == "database_unavailable"
    _no_traceback(caplog)


@pytest.mark.parametrize("kind", [links.JOIN, links.HOST])
def test_a_stable_link_shows_a_try_again_page(shim_without_database, caplog, kind):
    caplog.set_level(logging.INFO)
    config = shim_without_database.client.application.config["BKZ"]
    token = links.token(context.build(config), kind, 3, 42)

    answer = shim_without_database.get(f"/v1/{kind}/{token}")

    assert answer.status_code == 503 and answer.mimetype == "text/html"
    assert "try again" in answer.get_data(as_text=True).lower()
    _no_traceback(caplog)

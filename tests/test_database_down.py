"""The database down: the signed API answers 503 with Retry-After, the browser links a plain "try again
shortly" page, and the log says why in one line, without a traceback."""
from __future__ import annotations

import logging

import pymysql
import pytest

from sidecar import context
from sidecar.app import create_app
from sidecar.services import links
from sidecar.store import jobs
from tests.fixtures.app import Shim
from tests.fixtures.database import make_config
from tests.fixtures.meetings import live_meetings, meeting_data, meeting_row
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


def test_the_database_lost_before_a_made_meeting_is_recorded_leaves_one_meeting(zoom_ready, booknetic, emulator):
    """Zoom made the meeting, then the connection dies before the rows recording it and the job's finish
    commit (together, in one commit): nothing of it is half-written, the job stays, and its rerun adopts
    the meeting by the marker committed before the create, instead of making a second one."""
    appt = booknetic.appointment(zoom_ready.world)
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)
    sync_connection = zoom_ready.ctx.db.query_one("SELECT CONNECTION_ID() AS id")["id"]

    def database_lost() -> None:  # in the job's finish, the sync's last step before its commit
        booknetic.db.execute("KILL CONNECTION %(id)s", {"id": sync_connection})

    with pytest.raises(pymysql.err.OperationalError):
        zoom_ready.sync(appt, finish=database_lost)
    [made] = live_meetings(emulator)
    row = meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt)
    assert row.pending_marker is not None and row.zoom_meeting_id != made["id"]  # the marker, not the meeting
    assert meeting_data(booknetic, appt) == [] and jobs.get(booknetic.db, zoom_ready.tenant_id, appt) is not None

    again = zoom_ready.sync(appt)
    assert (again.state, again.meeting_id) == ("active", made["id"])
    assert len(live_meetings(emulator)) == 1
    assert [c["endpoint"] for c in emulator.calls()].count("create_meeting") == 1
    assert len(meeting_data(booknetic, appt)) == 1

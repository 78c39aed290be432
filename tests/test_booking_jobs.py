"""The worker: drains the durable jobs table and maps every failure to the right job outcome."""
from __future__ import annotations

import signal
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from sidecar import worker as worker_mod
from sidecar.services.sync_jobs import DEFERRED, DONE, FAILED, RETRY, job_backoff_seconds, run_job
from sidecar.store import connections, jobs
from sidecar.worker import Worker
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.connect import connect_oauth
from tests.fixtures.database import make_config
from tests.fixtures.meetings import drain, live_meetings, meeting_row, worker_command, write_ini


def _job_row(db, appointment_id):
    return db.query_one("SELECT * FROM {jobs} WHERE appointment_id = %(a)s", {"a": appointment_id})


def test_worker_turns_queued_jobs_into_meetings(zoom_ready, booknetic, emulator, config):
    appts = [booknetic.appointment(zoom_ready.world, starts_at=DEFAULT_START + i * 3600) for i in range(3)]
    for a in appts:
        jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, a)

    handled = Worker(config).run(until_idle=True)

    assert handled == 3 and booknetic.db.query("SELECT * FROM {jobs}") == []
    assert len(live_meetings(emulator)) == 3
    assert all(meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, a).state == "active" for a in appts)


def test_backoff_doubles_per_attempt_with_jitter_and_a_cap():
    cfg = make_config("unused", jobs={"backoff_base": "30", "backoff_max": "3600"}).jobs
    assert job_backoff_seconds(cfg, 1, rand=lambda: 1.0) == 60
    assert job_backoff_seconds(cfg, 3, rand=lambda: 1.0) == 240
    assert job_backoff_seconds(cfg, 3, rand=lambda: 0.0) == 120
    assert job_backoff_seconds(cfg, 20, rand=lambda: 1.0) == 3600


def test_zoom_down_retries_later_spending_an_attempt(zoom_ready, booknetic, emulator, ctx):
    appt = booknetic.appointment(zoom_ready.world)
    zoom_ready.sync(appt)
    booknetic.update_appointment(appt, status="canceled")
    emulator.fail_next(count=3, status=503, endpoint="delete_meeting")
    jobs.enqueue_sync(ctx.db, zoom_ready.tenant_id, appt)

    outcome = run_job(ctx, jobs.claim_next(ctx.db, "w1", 30), rand=lambda: 1.0)

    row = _job_row(ctx.db, appt)
    assert outcome.kind == RETRY and row["attempts"] == 1 and row["locked_by"] is None
    assert "ZoomUnavailable" in row["last_error"]
    time.sleep(0.1)
    assert run_job(ctx, jobs.claim_next(ctx.db, "w1", 30)).kind == DONE
    assert live_meetings(emulator) == []


def test_daily_limit_defers_to_the_reset_without_spending_an_attempt(zoom_ready, booknetic, emulator, ctx):
    appt = booknetic.appointment(zoom_ready.world)
    emulator.rate_limit_next(limit_type="Daily-limit", endpoint="create_meeting")
    jobs.enqueue_sync(ctx.db, zoom_ready.tenant_id, appt)

    outcome = run_job(ctx, jobs.claim_next(ctx.db, "w1", 30))

    row = _job_row(ctx.db, appt)
    midnight = (datetime.now(timezone.utc) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    assert outcome.kind == DEFERRED and row["attempts"] == 0
    assert abs((row["run_after"].replace(tzinfo=timezone.utc) - midnight).total_seconds()) < 5
    assert meeting_row(ctx, zoom_ready.tenant_id, appt) is None  # not failed: it waits
    assert live_meetings(emulator) == []


def test_per_second_limit_waits_for_retry_after_without_spending_an_attempt(zoom_ready, booknetic, emulator, ctx):
    appt = booknetic.appointment(zoom_ready.world)
    emulator.rate_limit_next(count=5, endpoint="create_meeting")
    jobs.enqueue_sync(ctx.db, zoom_ready.tenant_id, appt)

    outcome = run_job(ctx, jobs.claim_next(ctx.db, "w1", 30))

    assert outcome.kind == DEFERRED and _job_row(ctx.db, appt)["attempts"] == 0
    emulator.clear_faults()
    drain(ctx.config)
    assert len(live_meetings(emulator)) == 1


def test_connection_needing_reconnect_makes_jobs_wait(zoom_ready, booknetic, emulator, ctx):
    appt = booknetic.appointment(zoom_ready.world)
    connections.set_status(ctx.db, zoom_ready.tenant_id, connections.NEEDS_RECONNECT)
    jobs.enqueue_sync(ctx.db, zoom_ready.tenant_id, appt)

    outcome = run_job(ctx, jobs.claim_next(ctx.db, "w1", 30))

    assert outcome.kind == DEFERRED
    row = _job_row(ctx.db, appt)
    assert row["attempts"] == 0 and "connect" in row["last_error"]
    assert meeting_row(ctx, zoom_ready.tenant_id, appt) is None


def test_jobs_waiting_for_a_reconnect_run_as_soon_as_the_tenant_reconnects(zoom_ready, booknetic, emulator,
                                                                          ctx, shim, config):
    appt = booknetic.appointment(zoom_ready.world)
    connections.set_status(ctx.db, zoom_ready.tenant_id, connections.NEEDS_RECONNECT)
    jobs.enqueue_sync(ctx.db, zoom_ready.tenant_id, appt)
    assert run_job(ctx, jobs.claim_next(ctx.db, "w1", 30)).kind == DEFERRED
    ctx.db.execute("UPDATE {jobs} SET run_after = UTC_TIMESTAMP(6) + INTERVAL 1 HOUR")  # backoff_max in production

    connect_oauth(shim, zoom_ready.tenant_id, zoom_ready.connected.account.admin["email"])
    Worker(config).run(until_idle=True)

    assert meeting_row(ctx, zoom_ready.tenant_id, appt).state == "active"
    assert jobs.get(ctx.db, zoom_ready.tenant_id, appt) is None


def test_nonsense_rows_get_a_clear_error_and_other_jobs_still_run(zoom_ready, booknetic, emulator, shim, config):
    bad_staff = booknetic.appointment(zoom_ready.world, staff_id=424242)
    backwards = booknetic.appointment(zoom_ready.world, starts_at=DEFAULT_START + 7200)
    booknetic.update_appointment(backwards, ends_at=DEFAULT_START)
    good = booknetic.appointment(zoom_ready.world, starts_at=DEFAULT_START + 3600)
    for a in (bad_staff, backwards, good):
        jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, a)

    Worker(config).run(until_idle=True)

    failed = meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, bad_staff)
    assert failed.state == "failed" and "staff 424242 does not exist" in failed.last_error
    assert "ends at or before it starts" in meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, backwards).last_error
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, good).state == "active"
    assert booknetic.db.query("SELECT * FROM {jobs}") == []
    status = shim.as_tenant(zoom_ready.tenant_id).get("/v1/tenant/zoom").get_json()
    assert status["meetings"] == {"active": 1, "failed": 2, "longer_than_basic_limit": 0}


def test_zoom_refusing_the_request_is_recorded_not_retried(zoom_ready, booknetic, emulator, ctx):
    appt = booknetic.appointment(zoom_ready.world)
    emulator.fail_next(status=400, endpoint="create_meeting")
    jobs.enqueue_sync(ctx.db, zoom_ready.tenant_id, appt)

    outcome = run_job(ctx, jobs.claim_next(ctx.db, "w1", 30))

    assert outcome.kind == FAILED and _job_row(ctx.db, appt) is None
    row = meeting_row(ctx, zoom_ready.tenant_id, appt)
    assert row.state == "failed" and row.last_error.startswith("Zoom HTTP 400")
    assert len([c for c in emulator.calls() if c["endpoint"] == "create_meeting"]) == 1


@pytest.fixture
def config(db_name, encryption_key, zoom_base_url):
    return make_config(db_name, keys=(encryption_key,), zoom_url=zoom_base_url,
                       jobs={"max_attempts": "2", "backoff_base": "0.02", "backoff_max": "0.05"})


def test_out_of_attempts_the_meeting_is_failed_with_the_reason(zoom_ready, booknetic, emulator, shim, config):
    appt = booknetic.appointment(zoom_ready.world)
    zoom_ready.sync(appt)
    booknetic.update_appointment(appt, status="canceled")
    emulator.fail_next(count=100, status=502, endpoint="delete_meeting")
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)

    drain(config)

    row = meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt)
    assert row.state == "failed" and row.last_error.startswith("gave up after 2 attempts: ZoomUnavailable")
    assert row.zoom_meeting_id is not None  # still known, so a later sync can delete it
    status = shim.as_tenant(zoom_ready.tenant_id).get("/v1/tenant/zoom").get_json()
    assert status["meetings"]["failed"] == 1 and status["queued"] == 0

    emulator.clear_faults()
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)
    drain(config)
    assert live_meetings(emulator) == []
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).state == "deleted"


def test_hook_arriving_while_the_job_runs_is_not_lost(zoom_ready, booknetic, emulator, ctx):
    appt = booknetic.appointment(zoom_ready.world)
    jobs.enqueue_sync(ctx.db, zoom_ready.tenant_id, appt)
    job = jobs.claim_next(ctx.db, "w1", 30)
    booknetic.update_appointment(appt, starts_at=DEFAULT_START + 3600)
    jobs.enqueue_sync(ctx.db, zoom_ready.tenant_id, appt)  # the shim's row for the reschedule

    run_job(ctx, job)
    assert _job_row(ctx.db, appt) is not None
    drain(ctx.config)

    [meeting] = live_meetings(emulator)
    assert meeting["start_time"] == "2030-01-10T15:00:00Z"


def test_worker_process_finishes_its_job_and_exits_on_sigterm(zoom_ready, booknetic, emulator, config, tmp_path):
    appt = booknetic.appointment(zoom_ready.world)
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)
    log = (tmp_path / "worker.log").open("w")
    proc = subprocess.Popen(worker_command(write_ini(config, tmp_path / "bkz.ini")), stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while booknetic.db.query("SELECT id FROM {jobs}") and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    output = (tmp_path / "worker.log").read_text()
    assert "worker stopped after 1 jobs" in output
    assert "job_done" in output and f"appointment_id={appt}" in output
    assert len(live_meetings(emulator)) == 1


@pytest.mark.parametrize("database, reason, fix", [
    ({"port": "1"}, "connection refused", "check [database] host, [database] port"),
    ({"password": "wrong-password"}, "access denied", "check [database] user and [database] password"),
    ({"name": "bkz_no_such_database"}, "unknown database", "check [database] name"),
])
def test_worker_says_why_the_database_fails_and_backs_off(monkeypatch, caplog, database, reason, fix):
    monkeypatch.setattr(worker_mod, "DB_PAUSE", 0.05)
    monkeypatch.setattr(worker_mod, "DB_PAUSE_MAX", 0.2)
    worker = Worker(make_config("bkz_unused", database=database))
    thread = threading.Thread(target=worker.run)

    def failures():
        return [r for r in caplog.records if r.getMessage() == "worker_database_error"]

    with caplog.at_level("WARNING", logger="sidecar.worker"):
        thread.start()
        deadline = time.monotonic() + 20  # four failed tries; a loaded machine only makes them slower
        while len(failures()) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        worker.stop()
        thread.join(timeout=5)
    seen = failures()
    assert seen and all(r.reason == reason and fix in r.detail for r in seen)
    # waits double from DB_PAUSE and stay at DB_PAUSE_MAX: a handful of lines a second, not one per poll
    assert [r.retry_in_s for r in seen[:4]] == [0.05, 0.1, 0.2, 0.2]
    assert seen[3].created - seen[0].created >= 0.05 + 0.1 + 0.2 - 0.01  # and it did wait them

"""Meetings Zoom accepts and hosts expect: the tenant's meeting options (waiting room, join before host, mute
upon entry, auto recording, or the host's own Zoom defaults) and passcodes that keep the account's rules."""
from __future__ import annotations

import re

import pytest

from sidecar.services.passcodes import PasscodeRules, generate
from sidecar.services.sync_jobs import FAILED, run_job
from sidecar.store import connections, jobs
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.meetings import live_meetings, meeting_row

OPTIONS = {"use_host_defaults": False, "waiting_room": False, "join_before_host": True, "mute_upon_entry": True,
           "auto_recording": "cloud"}


def _zoom_calls(emulator, endpoint: str) -> list[dict]:
    return [c for c in emulator.calls() if c["endpoint"] == endpoint]


def _save(shim, tenant_id: int, **changes) -> dict:
    answer = shim.as_tenant(tenant_id).put("/v1/tenant/zoom/settings", json=changes)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_meeting_options_go_out_in_create_and_patch_settings(zoom_ready, booknetic, emulator, shim):
    saved = _save(shim, zoom_ready.tenant_id, **OPTIONS)
    assert {k: saved[k] for k in OPTIONS} == OPTIONS
    appt = booknetic.appointment(zoom_ready.world)

    zoom_ready.sync(appt)
    booknetic.update_appointment(appt, starts_at=DEFAULT_START + 3600)
    zoom_ready.sync(appt)

    sent = {"waiting_room": False, "join_before_host": True, "mute_upon_entry": True, "auto_recording": "cloud"}
    [create] = _zoom_calls(emulator, "create_meeting")
    [patch] = _zoom_calls(emulator, "update_meeting")
    assert create["json"]["settings"] == sent and patch["json"]["settings"] == sent
    [meeting] = live_meetings(emulator)
    assert {k: meeting["settings"][k] for k in sent} == sent  # a passcode secures it: no waiting room forced


def test_host_zoom_defaults_send_no_settings_and_are_the_default(zoom_ready, booknetic, emulator, shim):
    assert shim.as_tenant(zoom_ready.tenant_id).get("/v1/tenant/zoom/settings").get_json()["use_host_defaults"]

    zoom_ready.sync(booknetic.appointment(zoom_ready.world))

    [create] = _zoom_calls(emulator, "create_meeting")
    assert "settings" not in create["json"]


def test_zoom_forces_the_waiting_room_on_a_meeting_with_no_security_option(zoom_ready, booknetic, emulator, shim):
    emulator.set_account_security(zoom_ready.connected.account.account_id, require_password=False)
    _save(shim, zoom_ready.tenant_id, random_password=False, use_host_defaults=False, waiting_room=False)

    zoom_ready.sync(booknetic.appointment(zoom_ready.world))

    [create] = _zoom_calls(emulator, "create_meeting")
    assert create["json"]["settings"]["waiting_room"] is False and "password" not in create["json"]
    [meeting] = live_meetings(emulator)
    assert meeting["password"] == "" and meeting["settings"]["waiting_room"] is True


@pytest.mark.parametrize("body, field", [
    ({"auto_recording": "tape"}, "auto_recording"), ({"waiting_room": "yes"}, "waiting_room"),
    ({"meetings_for": "everyone"}, "meetings_for"), ({"use_host_defaults": None}, "use_host_defaults"),
])
def test_bad_meeting_options_are_refused_and_change_nothing(shim, world, db, body, field):
    answer = shim.as_tenant(world.tenant_id).put("/v1/tenant/zoom/settings", json=body)
    assert answer.status_code == 400 and answer.get_json()["field"] == field
    assert db.query("SELECT * FROM {settings}") == []


RULES = {"length": 8, "have_letter": True, "have_number": True, "have_special_character": True,
         "have_upper_and_lower_characters": True}


def test_passcodes_keep_the_account_rules_read_from_zoom_user_settings(zoom_ready, booknetic, emulator):
    emulator.set_account_security(zoom_ready.connected.account.account_id, passcode_rules=RULES)

    zoom_ready.sync(booknetic.appointment(zoom_ready.world))
    zoom_ready.sync(booknetic.appointment(zoom_ready.world, starts_at=DEFAULT_START + 3600))

    assert len(_zoom_calls(emulator, "get_user_settings")) == 1  # cached with the connection
    for meeting in live_meetings(emulator):
        password = meeting["password"]
        assert 8 <= len(password) <= 10 and re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)
        assert re.search(r"\d", password) and re.search(r"[@_*-]", password)


def test_a_create_refused_for_its_passcode_rereads_the_rules_and_retries_once(zoom_ready, booknetic, emulator):
    zoom_ready.sync(booknetic.appointment(zoom_ready.world))  # rules cached: none
    emulator.set_account_security(zoom_ready.connected.account.account_id, passcode_rules={"length": 9})
    emulator.clear_calls()
    appt = booknetic.appointment(zoom_ready.world, starts_at=DEFAULT_START + 3600)

    result = zoom_ready.sync(appt)

    assert result.state == "active"
    assert [c["status"] for c in _zoom_calls(emulator, "create_meeting")] == [400, 201]
    assert len(_zoom_calls(emulator, "get_user_settings")) == 1
    assert len(meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).password) == 9
    assert '"length": 9' in connections.passcode_rules(zoom_ready.ctx.db, zoom_ready.tenant_id)


def test_a_passcode_refused_twice_fails_without_a_third_try(zoom_ready, booknetic, emulator, ctx):
    emulator.set_account_security(zoom_ready.connected.account.account_id, passcode_rules={"length": 9})
    connections.set_passcode_rules(ctx.db, zoom_ready.tenant_id, '{"length": 0}')
    emulator.fail_next(count=1, status=400, endpoint="get_user_settings")  # the re-read learns nothing
    appt = booknetic.appointment(zoom_ready.world)
    jobs.enqueue_sync(ctx.db, zoom_ready.tenant_id, appt)

    outcome = run_job(ctx, jobs.claim_next(ctx.db, "w1", 30))

    assert outcome.kind == FAILED and "password" in outcome.error
    assert [c["status"] for c in _zoom_calls(emulator, "create_meeting")] == [400, 400]
    assert live_meetings(emulator) == []


@pytest.mark.parametrize("rules", [
    PasscodeRules(), PasscodeRules(length=10, only_allow_numeric=True), PasscodeRules(have_letter=True, length=7),
    PasscodeRules(length=12, have_special_character=True, have_upper_and_lower_characters=True, have_number=True),
])
def test_generated_passcodes_fit_zoom_limits_and_the_rules(rules):
    for _ in range(50):
        password = generate(rules)
        assert re.fullmatch(r"[A-Za-z0-9@_*-]{6,10}", password)
        assert len(password) >= min(max(rules.length, 6), 10)
        assert not rules.only_allow_numeric or password.isdigit()
        assert rules.have_letter or rules.have_upper_and_lower_characters or password.isdigit()
        assert not rules.have_special_character or re.search(r"[@_*-]", password)


def test_rules_are_read_where_zoom_puts_them_in_user_settings():
    requirement = {"length": 8, "have_letter": True, "only_allow_numeric": False}
    for answer in ({"meeting_security": {"meeting_password_requirement": requirement}},
                   {"schedule_meeting": {"meeting_password_requirement": requirement}}):
        assert PasscodeRules.from_user_settings(answer) == PasscodeRules(length=8, have_letter=True)
    assert PasscodeRules.from_user_settings({}) == PasscodeRules()

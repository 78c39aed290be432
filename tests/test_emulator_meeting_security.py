"""The emulator's meeting security, as Zoom applies it per account (sidecar/emulator/security.py cites where
each rule comes from): passcode rules, generated passcodes, the forced waiting room, user settings, user types."""
from __future__ import annotations

import requests

from tests.test_emulator import admin_token, bearer, create

RULES = {"length": 8, "have_letter": True, "have_number": True, "have_special_character": True}


def test_user_settings_carry_the_accounts_passcode_rules(emulator, emulator_account):
    emulator.set_account_security(emulator_account.account_id, passcode_rules=RULES)
    token = admin_token(emulator, emulator_account)

    answer = requests.get(f"{emulator.api_base_url}/users/me/settings", params={"option": "meeting_security"},
                          headers=bearer(token))

    assert answer.status_code == 200 and list(answer.json()) == ["meeting_security"]
    security = answer.json()["meeting_security"]
    assert {k: security["meeting_password_requirement"][k] for k in RULES} == RULES
    assert security["meeting_password_requirement"]["only_allow_numeric"] is False
    assert security["require_password_for_scheduled_meeting"] is True
    defaults = requests.get(f"{emulator.api_base_url}/users/me/settings", headers=bearer(token)).json()
    assert defaults["schedule_meeting"]["meeting_password_requirement"]["length"] == 8


def test_a_passcode_breaking_the_accounts_rules_is_refused_in_create_and_patch(emulator, emulator_account):
    emulator.set_account_security(emulator_account.account_id, passcode_rules=RULES)
    token = admin_token(emulator, emulator_account)

    refused = create(emulator, token, password="123456")
    assert refused.status_code == 400
    assert refused.json()["code"] == 300 and refused.json()["errors"][0]["field"] == "password"
    made = create(emulator, token, password="ab1@cd2*")
    assert made.status_code == 201
    patch = requests.patch(f"{emulator.api_base_url}/meetings/{made.json()['id']}", json={"password": "abc"},
                           headers=bearer(token))
    assert patch.status_code == 400 and patch.json()["errors"][0]["field"] == "password"


def test_rules_are_per_account(emulator, emulator_account):
    emulator.set_account_security(emulator_account.account_id, passcode_rules=RULES)
    other = emulator.seed_account()
    emulator.seed_user(other, "owner@globex.example", "Olga", "Owner", role_name="Owner")
    app = emulator.seed_oauth_app("http://example.test/cb")
    theirs = emulator.issue_tokens(app["client_id"], "owner@globex.example")["access_token"]
    assert create(emulator, theirs, password="123456").status_code == 201


def test_a_meeting_without_a_passcode_gets_one_that_keeps_the_rules(emulator, emulator_account):
    numeric = {"length": 10, "only_allow_numeric": True}
    emulator.set_account_security(emulator_account.account_id, passcode_rules=numeric)
    meeting = create(emulator, admin_token(emulator, emulator_account)).json()
    assert len(meeting["password"]) == 10 and meeting["password"].isdigit()
    assert meeting["settings"]["waiting_room"] is False  # the passcode secures it


def test_the_waiting_room_is_forced_when_nothing_secures_the_meeting(emulator, emulator_account):
    emulator.set_account_security(emulator_account.account_id, require_password=False)
    token = admin_token(emulator, emulator_account)

    meeting = create(emulator, token, settings={"waiting_room": False, "join_before_host": True}).json()
    assert meeting["password"] == "" and meeting["settings"]["waiting_room"] is True

    secured = create(emulator, token, settings={"waiting_room": False, "meeting_authentication": True}).json()
    assert secured["settings"]["waiting_room"] is False
    requests.patch(f"{emulator.api_base_url}/meetings/{secured['id']}",
                   json={"settings": {"meeting_authentication": False}}, headers=bearer(token))
    again = requests.get(f"{emulator.api_base_url}/meetings/{secured['id']}", headers=bearer(token)).json()
    assert again["settings"]["waiting_room"] is True


def test_users_carry_their_licence_type(emulator, emulator_account):
    emulator.seed_user(emulator_account.account_id, "free@acme.example", "Fay", "Free", user_type=1)
    listed = requests.get(f"{emulator.api_base_url}/users", headers=bearer(admin_token(emulator, emulator_account)))
    types = {u["email"]: u["type"] for u in listed.json()["users"]}
    assert types["free@acme.example"] == 1 and types["bob@acme.example"] == 2


def test_a_deleted_meeting_answers_3001_to_get_patch_and_delete(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    meeting = create(emulator, token).json()
    emulator.delete_meeting_on_zoom(meeting["id"])
    url = f"{emulator.api_base_url}/meetings/{meeting['id']}"
    for method in ("GET", "PATCH", "DELETE"):
        answer = requests.request(method, url, json={"topic": "x"} if method == "PATCH" else None,
                                  headers=bearer(token))
        assert (answer.status_code, answer.json()["code"]) == (404, 3001)

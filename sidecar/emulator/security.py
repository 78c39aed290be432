"""Meeting security as Zoom applies it per account: passcode rules, generated passcodes, the forced waiting room.

What the emulator follows, and where from:
- Passcode rules are the account's `meeting_password_requirement` (`length` = minimum, `have_letter`,
  `have_number`, `have_special_character`, `have_upper_and_lower_characters`, `only_allow_numeric`),
  returned by `GET /users/{userId}/settings` (rate label MEDIUM, scopes user:read / user:read:admin, per
  Zoom's Postman collection of its reference) under `meeting_security` with `option=meeting_security`,
  else under `schedule_meeting` (field names: Zoom's user settings schema, as in the zoom-api crate and
  Cal.com's fix calcom/cal.diy#26148). Every user of an account gets the account's rules here, a
  simplification of Zoom's group and user locks.
- A passcode is 1-10 characters of letters, digits and `@ - _ *` (zoom-api.md section 2.4). One that breaks
  the account's rules is refused with 400 code 300 `Invalid parameter: password.` and `errors[].field`
  `password` (the code and text are a guess: Zoom documents no dedicated code, and Cal.com saw XML bodies).
- With `require_password_for_scheduled_meeting` on (the emulator's default, as for most accounts) a create
  without a passcode gets a generated one that keeps the rules.
- "All meetings must be secured with one option": when a create or update leaves no passcode, no waiting
  room and no authentication, Zoom turns the waiting room on and answers with the value it applied
  (developers.zoom.us/docs/api/references/meeting-api-security-enhancements/).
"""
from __future__ import annotations

import secrets
import string

RULE_FIELDS = ("length", "have_letter", "have_number", "have_special_character", "have_upper_and_lower_characters",
               "only_allow_numeric")
SPECIALS = "@-_*"


def passcode_problem(rules: dict, password: str) -> str | None:
    """What is wrong with `password` under the account's rules, or None."""
    if len(password) < int(rules.get("length") or 0):
        return f"shorter than {rules['length']} characters"
    if rules.get("only_allow_numeric") and not password.isdigit():
        return "not only digits"
    if rules.get("have_letter") and not any(c.isalpha() for c in password):
        return "no letter"
    if rules.get("have_number") and not any(c.isdigit() for c in password):
        return "no number"
    if rules.get("have_special_character") and not any(c in SPECIALS for c in password):
        return "no special character"
    if rules.get("have_upper_and_lower_characters") and (password.lower() == password or password.upper() == password):
        return "not both upper and lower case letters"
    return None


def generated_passcode(rules: dict) -> str:
    """A passcode Zoom would generate for the account: keeps the rules, 10 characters at most."""
    length = min(max(int(rules.get("length") or 0), 6), 10)
    if rules.get("only_allow_numeric"):
        return "".join(secrets.choice(string.digits) for _ in range(length))
    needed = [secrets.choice(string.ascii_lowercase), secrets.choice(string.ascii_uppercase),
              secrets.choice(string.digits)]
    if rules.get("have_special_character"):
        needed.append(secrets.choice(SPECIALS))
    chars = needed + [secrets.choice(string.ascii_letters + string.digits) for _ in range(length - len(needed))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def secured(settings: dict, password: str) -> dict:
    """The meeting settings Zoom applies: the waiting room forced on when nothing else secures the meeting."""
    if not password and not settings.get("waiting_room") and not settings.get("meeting_authentication"):
        return {**settings, "waiting_room": True}
    return settings


def user_settings(rules: dict, require_password: bool, settings: dict, option: str | None) -> dict:
    """The part of `GET /users/{userId}/settings` a scheduler reads; `option=meeting_security` answers only
    the meeting security settings (Zoom's reference: "view the meeting security settings applied to the
    user's account"), else the defaults with the passcode requirement under `schedule_meeting`, where
    Zoom's older answers have it."""
    requirement = {name: rules.get(name, 0 if name == "length" else False) for name in RULE_FIELDS}
    requirement.update(consecutive_characters_length=0, weak_enhance_detection=False)
    if option == "meeting_security":
        return {"meeting_security": {"waiting_room": settings["waiting_room"], "meeting_password": require_password,
                                     "require_password_for_scheduled_meeting": require_password,
                                     "meeting_password_requirement": requirement}}
    return {
        "schedule_meeting": {"host_video": settings["host_video"], "participants_video": settings["participant_video"],
                             "join_before_host": settings["join_before_host"],
                             "mute_upon_entry": settings["mute_upon_entry"],
                             "require_password_for_scheduling_new_meetings": require_password,
                             "meeting_password_requirement": requirement},
        "in_meeting": {"waiting_room": settings["waiting_room"]},
        "recording": {"auto_recording": settings["auto_recording"]},
    }

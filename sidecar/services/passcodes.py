"""Meeting passcodes the host's account accepts: its rules, read from Zoom's user settings and cached with
the connection, and a random passcode that keeps them.

Zoom's user settings with `option=meeting_security` (`GET /users/{userId}/settings`, Zoom's Postman
collection of its API reference) carry `meeting_security.meeting_password_requirement` with `length`
(minimum), `have_letter`, `have_number`, `have_special_character`, `only_allow_numeric` and
`have_upper_and_lower_characters` (older answers put it under `schedule_meeting`); a create with a passcode
that breaks them is refused (400; at times with a non-JSON body, as Cal.com reports). A passcode is at most
10 characters of letters, digits and `@ - _ *` (zoom-api.md section 2.4).
"""
from __future__ import annotations

import json
import logging
import re
import secrets
import string
from dataclasses import asdict, dataclass

from sidecar.context import Context
from sidecar.services.tokens import TenantTokens
from sidecar.store import connections
from sidecar.zoom import ZoomAuthError, ZoomBadRequest, ZoomNotFound

log = logging.getLogger("sidecar.passcodes")

MAX_LENGTH = 10
DEFAULT_LENGTH = 6  # what Booknetic's add-on generates
SPECIALS = "@-_*"
_MENTIONS_PASSCODE = re.compile(r"pass(word|code)", re.IGNORECASE)


@dataclass(frozen=True)
class PasscodeRules:
    """An account's passcode requirements (Zoom's meeting_password_requirement)."""

    length: int = 0
    have_letter: bool = False
    have_number: bool = False
    have_special_character: bool = False
    only_allow_numeric: bool = False
    have_upper_and_lower_characters: bool = False

    @classmethod
    def from_user_settings(cls, user_settings: dict) -> "PasscodeRules":
        """The rules in a user settings answer (none stated: no rules)."""
        found = ((user_settings.get("meeting_security") or {}).get("meeting_password_requirement")
                 or (user_settings.get("schedule_meeting") or {}).get("meeting_password_requirement") or {})
        return cls(**{name: type(getattr(cls, name))(found.get(name) or getattr(cls, name))
                      for name in cls.__dataclass_fields__})


def generate(rules: PasscodeRules | None) -> str:
    """A random passcode keeping `rules` (6 digits, as the add-on made them, when nothing more is asked)."""
    rules = rules or PasscodeRules()
    length = min(max(rules.length, DEFAULT_LENGTH), MAX_LENGTH)
    if rules.only_allow_numeric:
        return "".join(secrets.choice(string.digits) for _ in range(length))
    letters = rules.have_letter or rules.have_upper_and_lower_characters
    needed = []
    if rules.have_upper_and_lower_characters:
        needed += [secrets.choice(string.ascii_lowercase), secrets.choice(string.ascii_uppercase)]
    elif letters:
        needed.append(secrets.choice(string.ascii_letters))
    if rules.have_number or not letters:
        needed.append(secrets.choice(string.digits))
    if rules.have_special_character:
        needed.append(secrets.choice(SPECIALS))
    pool = string.digits + (string.ascii_letters if letters else "")
    chars = needed + [secrets.choice(pool) for _ in range(length - len(needed))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def rules(ctx: Context, tokens: TenantTokens, *, refresh: bool = False) -> PasscodeRules:
    """The connected account's passcode rules: cached with the connection, read from Zoom when missing or asked.

    Raises:
        NotConnected, NeedsReconnect, sidecar.zoom.ZoomError: they could not be read.
    """
    if not refresh:
        seen = tokens.seen  # a sync read the connection a moment ago, the rules with it
        cached = seen.passcode_rules if seen is not None else None
        cached = cached or connections.passcode_rules(ctx.db, tokens.tenant_id)
        if cached is not None:
            return PasscodeRules(**json.loads(cached))
    try:
        found = PasscodeRules.from_user_settings(ctx.zoom.api.user_settings(tokens, "me", "meeting_security"))
    except (ZoomAuthError, ZoomBadRequest, ZoomNotFound) as exc:
        # An app without the user settings scope still makes meetings: six digits, re-read if Zoom refuses them.
        log.warning("passcode_rules_unreadable", extra={"tenant": tokens.tenant_id, "error": type(exc).__name__,
                                                        "tracking_id": exc.request_id})
        found = PasscodeRules()
    connections.set_passcode_rules(ctx.db, tokens.tenant_id, json.dumps(asdict(found)))
    return found


def refused(exc: ZoomBadRequest) -> bool:
    """Whether Zoom's refusal of a create may be about its passcode (it says so, or says nothing readable)."""
    return exc.field == "password" or bool(_MENTIONS_PASSCODE.search(exc.message)) or exc.code is None

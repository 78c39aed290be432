"""Booking to meeting: the body Zoom gets for an appointment (pure; no database, no network).

Topic and agenda come from the tenant's templates with a few of Booknetic's shortcodes expanded and
HTML stripped, like the add-on's `ZoomService::meetingParameters`; unlike the add-on, the start time
goes out in UTC (`...Z`) with the site timezone named beside it (zoom-api.md section 5).
"""
from __future__ import annotations

import html
import json
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sidecar.booknetic.appointments import Appointment
from sidecar.services.passcodes import PasscodeRules, generate
from sidecar.store.settings import TenantSettings

TOPIC_MAX = 200  # Zoom's UI limit; the API documents none
AGENDA_MAX = 2000
SCHEDULED = 2

_TAG = re.compile(r"<[^>]*>")
_SHORTCODE = re.compile(r"\{([a-z_]+)\}")
_SPACES = re.compile(r"[ \t]+")


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, UTC when the name is unknown (an offset-only WordPress setting)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def shortcodes(appt: Appointment, tz: ZoneInfo) -> dict[str, str]:
    """The Booknetic shortcodes a meeting title or agenda may use, with this appointment's values."""
    local = datetime.fromtimestamp(appt.starts_at, tz)
    return {
        "service_name": appt.service_name or "",
        "staff_name": appt.staff_name or "",
        "customer_full_name": appt.customer_name,
        "customer_first_name": appt.customer_first_name or "",
        "customer_last_name": appt.customer_last_name or "",
        "customer_email": appt.customer_email or "",
        "appointment_id": str(appt.id),
        "appointment_date": local.strftime("%Y-%m-%d"),
        "appointment_start_time": local.strftime("%H:%M"),
    }


def fill_template(template: str, values: dict[str, str]) -> str:
    """template with known shortcodes replaced (unknown ones left as written) and HTML stripped."""
    text = _SHORTCODE.sub(lambda m: values.get(m[1], m[0]), template or "")
    text = html.unescape(_TAG.sub(" ", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def utc_iso(epoch: int) -> str:
    """An epoch as Zoom's GMT form, e.g. 2030-01-10T14:00:00Z."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def meeting_settings(tenant_settings: TenantSettings) -> dict | None:
    """Zoom's `settings` for the tenant's meeting options, or None to leave them to the host's Zoom defaults.

    With no passcode, no waiting room and no authentication Zoom turns the waiting room on by itself
    (developers.zoom.us/docs/api/references/meeting-api-security-enhancements/); the tenant screen says so.
    """
    if tenant_settings.use_host_defaults:
        return None
    return {"waiting_room": tenant_settings.waiting_room, "join_before_host": tenant_settings.join_before_host,
            "mute_upon_entry": tenant_settings.mute_upon_entry, "auto_recording": tenant_settings.auto_recording}


def meeting_request(appt: Appointment, tenant_settings: TenantSettings, timezone_name: str,
                    passcode_rules: PasscodeRules | None = None) -> dict:
    """The create body for the appointment's meeting (PATCH sends it without `password`).

    A random passcode keeps `passcode_rules` (the host account's); without them it is six digits.
    """
    tz = zone(timezone_name)
    values = shortcodes(appt, tz)
    topic = fill_template(tenant_settings.meeting_title, values).replace("\n", " ")[:TOPIC_MAX].strip()
    body = {
        "topic": topic or (appt.service_name or f"Appointment #{appt.id}")[:TOPIC_MAX],
        "type": SCHEDULED,
        "start_time": utc_iso(appt.starts_at),
        "duration": appt.duration_minutes,
        "timezone": tz.key,
        "agenda": fill_template(tenant_settings.meeting_agenda, values)[:AGENDA_MAX],
    }
    options = meeting_settings(tenant_settings)
    if options is not None:
        body["settings"] = options
    if tenant_settings.random_password:
        body["password"] = generate(passcode_rules)
    return body


def update_body(body: dict) -> dict:
    """The PATCH body for a meeting request: everything but the password (set once, at create)."""
    return {k: v for k, v in body.items() if k != "password"}


def fingerprint(body: dict) -> str:
    """What a PATCH must keep in step: start, duration, topic and timezone, as stable JSON."""
    keys = ("start_time", "duration", "topic", "timezone")
    return json.dumps({k: body.get(k) for k in keys}, sort_keys=True, separators=(",", ":"))

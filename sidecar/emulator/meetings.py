"""Meeting rules: request validation, start_time parsing, create/update/list, meeting JSON with fresh start_url."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import ids, security
from .clock import iso_z
from .models import Meeting, User
from .state import EmulatorState

_START_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z)?$")
_PASSWORD = re.compile(r"^[A-Za-z0-9@_*-]{1,10}$")
DEFAULT_SETTINGS = {
    "host_video": False, "participant_video": False, "join_before_host": False, "jbh_time": 0,
    "mute_upon_entry": False, "waiting_room": False, "approval_type": 2, "audio": "voip",
    "auto_recording": "none", "use_pmi": False, "watermark": False, "email_notification": True,
    "meeting_authentication": False, "alternative_hosts": "",
}
# The list of a host's meetings cuts each agenda to this many characters.
LIST_AGENDA_MAX = 250
LIST_FIELDS = ("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone", "agenda",
               "created_at", "join_url")


class ValidationFailed(Exception):
    """A request body Zoom would answer with 400 code 300 and `errors[]`."""

    def __init__(self, errors: list[dict], message: str = "Validation Failed.") -> None:
        super().__init__(message)
        self.errors = errors

    def body(self) -> dict:
        """Return Zoom's validation error body."""
        body = {"code": 300, "message": str(self)}
        if self.errors:
            body["errors"] = self.errors
        return body


def validate(body) -> dict:
    """Check a create/update body and return it.

    Raises:
        ValidationFailed: not a JSON object, or any field invalid.
    """
    if not isinstance(body, dict):
        raise ValidationFailed([], "Request Body should be a valid JSON object.")
    errors = []

    def bad(name: str, message: str = "Invalid field.") -> None:
        errors.append({"field": name, "message": message})

    if "type" in body and (type(body["type"]) is not int or body["type"] not in (1, 2, 3, 8)):
        bad("type")
    if "topic" in body and (not isinstance(body["topic"], str) or len(body["topic"]) > 200):
        bad("topic")
    if "start_time" in body and (not isinstance(body["start_time"], str) or not _parses(body["start_time"])):
        bad("start_time")
    if "timezone" in body and (not isinstance(body["timezone"], str) or not _known_zone(body["timezone"])):
        bad("timezone")
    if "duration" in body and (type(body["duration"]) is not int or body["duration"] < 0):
        bad("duration")
    if "password" in body and (not isinstance(body["password"], str) or not _PASSWORD.match(body["password"])):
        bad("password", "Password can only have a maximum of 10 characters and only contain alphanumeric "
                        "characters and @ - _ *.")
    if "agenda" in body and (not isinstance(body["agenda"], str) or len(body["agenda"]) > 2000):
        bad("agenda", "Agenda can have a maximum of 2000 characters.")
    if "settings" in body and not isinstance(body["settings"], dict):
        bad("settings")
    if errors:
        raise ValidationFailed(errors)
    return body


def parse_start(value: str, zone: str) -> datetime:
    """Read `...Z` as UTC and a suffix-less time as local time in `zone`; return aware UTC."""
    if value.endswith("Z"):
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    local = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=ZoneInfo(zone))
    return local.astimezone(timezone.utc)


def create(state: EmulatorState, host: User, body: dict) -> Meeting:
    """Create a meeting for host from a validated body."""
    with state.lock:
        account = state.account(host.account_id)
        zone = body.get("timezone") or account.timezone
        start = parse_start(body["start_time"], zone) if body.get("start_time") else state.clock.utcnow()
        password = body.get("password") or (security.generated_passcode(account.passcode_rules)
                                             if account.require_password else "")
        meeting_id = ids.meeting_number()
        while meeting_id in state.meetings:
            meeting_id = ids.meeting_number()
        meeting = Meeting(id=meeting_id, uuid=ids.meeting_uuid(), account_id=host.account_id, host_id=host.id,
                          host_email=host.email, topic=body.get("topic", "Zoom meeting"),
                          type=body.get("type", 2), start_time=start.replace(microsecond=0),
                          duration=body.get("duration", 60), timezone=zone, agenda=body.get("agenda", ""),
                          password=password, encrypted_password=ids.secret(32) + ".1",
                          settings=security.secured({**DEFAULT_SETTINGS, **body.get("settings", {})}, password),
                          created_at=state.clock.now(),
                          extra={"numeric_password": str(ids.meeting_number())[:8]})
        state.meetings[meeting.id] = meeting
        return meeting


def update(state: EmulatorState, meeting: Meeting, body: dict) -> None:
    """Apply a validated partial update to a meeting."""
    with state.lock:
        zone = body.get("timezone") or meeting.timezone
        for name in ("topic", "type", "duration", "agenda"):
            if name in body:
                setattr(meeting, name, body[name])
        meeting.timezone = zone
        if body.get("start_time"):
            meeting.start_time = parse_start(body["start_time"], zone)
        if body.get("password") and body["password"] != meeting.password:
            meeting.password = body["password"]
            meeting.encrypted_password = ids.secret(32) + ".1"
        meeting.settings = security.secured({**meeting.settings, **body.get("settings", {})}, meeting.password)


def start_url(state: EmulatorState, meeting: Meeting, base_url: str) -> str:
    """Mint a host start URL whose zak is valid for start_url_ttl seconds."""
    with state.lock:
        zak = ids.jwt_like({"mid": meeting.id, "typ": "zak"})
        state.zaks[zak] = (meeting.id, state.clock.now() + state.options.start_url_ttl)
        return f"{base_url}/s/{meeting.id}?zak={zak}"


def as_json(state: EmulatorState, meeting: Meeting, base_url: str) -> dict:
    """Return Zoom's full meeting object, with a freshly minted start_url."""
    numeric = meeting.extra["numeric_password"]
    return {
        "uuid": meeting.uuid, "id": meeting.id, "host_id": meeting.host_id, "host_email": meeting.host_email,
        "assistant_id": "", "topic": meeting.topic, "type": meeting.type, "status": meeting.status,
        "start_time": iso_z(meeting.start_time), "duration": meeting.duration, "timezone": meeting.timezone,
        "agenda": meeting.agenda, "created_at": iso_z(meeting.created_at),
        "start_url": start_url(state, meeting, base_url), "join_url": join_url(meeting, base_url),
        "password": meeting.password, "h323_password": numeric, "pstn_password": numeric,
        "encrypted_password": meeting.encrypted_password, "settings": dict(meeting.settings),
        "pre_schedule": False,
    }


def join_url(meeting: Meeting, base_url: str) -> str:
    """Return the participants' join URL (changes when the password does)."""
    return f"{base_url}/j/{meeting.id}?pwd={meeting.encrypted_password}"


def listed(state: EmulatorState, host_id: str, kind: str) -> list[Meeting]:
    """Return the host's live meetings of a listing type (scheduled, upcoming, live), by start time."""
    now = state.clock.utcnow()
    with state.lock:
        mine = [m for m in state.meetings.values() if m.host_id == host_id and not m.deleted]
    if kind == "upcoming":
        mine = [m for m in mine if m.start_time.timestamp() + m.duration * 60 >= now.timestamp()]
    elif kind == "live":
        mine = [m for m in mine if m.status == "started"]
    return sorted(mine, key=lambda m: (m.start_time, m.created_at))


def list_item(meeting: Meeting, base_url: str) -> dict:
    """Return the short meeting object used in `GET /users/{userId}/meetings`.

    Zoom's reference: "The length of agenda gets truncated to 250 characters when you list all meetings".
    """
    return {"uuid": meeting.uuid, "id": meeting.id, "host_id": meeting.host_id, "topic": meeting.topic,
            "type": meeting.type, "start_time": iso_z(meeting.start_time), "duration": meeting.duration,
            "timezone": meeting.timezone, "agenda": meeting.agenda[:LIST_AGENDA_MAX],
            "created_at": iso_z(meeting.created_at),
            "join_url": join_url(meeting, base_url)}


def _parses(value: str) -> bool:
    if not _START_TIME.match(value):
        return False
    try:
        datetime.strptime(value.rstrip("Z"), "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return True


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True

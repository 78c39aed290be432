"""The signed API's payloads and answers (SPEC section 4; field names are the contract), as pydantic models.

Request models validate the body the routes read (http/payload.py) and, with the answer models, make
GET /openapi.json (http/openapi.py): one source, so the description cannot drift from the checks.
To add a field to a screen's payload, add it here (a `*Change` model for the request, the answer next to it).
Longer than 200 lines because it is the one list of every payload; each model is a few plain lines.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sidecar.http.ids import MAX_ID
from sidecar.services.shortcodes import AUDIENCES, CHANNELS
from sidecar.store.settings import MEETINGS_FOR, RECORDINGS

# Zoom's ids and secrets are printable ASCII. They travel in an HTTP Basic header, which is latin-1:
# a pasted zero-width space, curly quote or emoji must be refused here, naming the field.
ASCII_PATTERN = r"^[!-~]*$"


def text(max_length: int, *, min_length: int = 0):
    """A string, trimmed, of at most max_length characters."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)]


def credential(*, min_length: int = 0):
    """A Zoom id or secret: printable ASCII without spaces, at most 255 characters."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=255,
                                            pattern=ASCII_PATTERN)]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Verbatim = Annotated[str, StringConstraints(strip_whitespace=False)]  # a message's text, spaces and newlines kept
MAX_TEXTS = 50


class Payload(BaseModel):
    """A request body: JSON types as they are (no "1" for 1), unknown fields refused, strings trimmed."""

    model_config = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=True)


class Answer(BaseModel):
    """An answer body (described, and checked by the tests: no undocumented field)."""

    model_config = ConfigDict(extra="forbid")


class Error(Answer):
    """Every refusal: a machine code, a human message, and the field at fault when there is one."""

    error: str
    message: str
    field: str | None = None


# Platform admin

class PlatformSettingsChange(Payload):
    """Omitted fields keep what is stored; secrets are never shown, so an omitted or empty one is unchanged."""

    enabled: bool = None
    method: Literal["oauth", "s2s"] = None
    client_id: credential() | None = Field(None, description="null or empty clears it")
    client_secret: credential() = None
    webhook_secret_token: credential() = None


class PlatformSettings(Answer):
    enabled: bool
    method: Literal["oauth", "s2s"]
    client_id: str | None
    client_secret_set: bool
    webhook_secret_token_set: bool
    redirect_uri: str
    webhook_url: str


class AlertsClaim(Payload):
    """An empty object: the shim's cron takes whatever alerts are waiting."""


class Alert(Answer):
    id: int
    tenant_id: int
    kind: Literal["needs_reconnect", "meeting_failed"]
    title: str
    message: str
    appointment_id: int | None
    owner_email: str | None = Field(description="the tenant owner's email (the wp_mail fallback)")


class Alerts(Answer):
    alerts: list[Alert] = Field(description="each handed over once; at most one per tenant, kind and UTC day")


# Tenant: connection

class MeetingCounts(Answer):
    active: int
    failed: int
    longer_than_basic_limit: int = Field(description="upcoming bookings longer than 40 minutes on Basic hosts")


class TenantStatus(Answer):
    available: bool = Field(description="the tenant's plan has the zoom capability")
    method: Literal["oauth", "s2s"] = Field(description="the platform's method: decides the screen")
    connected_method: Literal["oauth", "s2s"] | None
    connected: bool
    needs_reconnect: bool
    account_email: str | None
    account_id: str | None
    meetings: MeetingCounts
    queued: int


class ConnectRequest(Payload):
    return_url: text(2048, min_length=1)


class AuthorizeUrl(Answer):
    authorize_url: str


class OAuthCallback(Payload):
    code: text(2048, min_length=1)
    state: text(256, min_length=1)


class OAuthConnected(Answer):
    tenant_id: int
    return_url: str
    message: str


class S2SCredentials(Payload):
    account_id: credential(min_length=1)
    client_id: credential(min_length=1)
    client_secret: credential(min_length=1)


class ZoomUser(Answer):
    id: str
    email: str | None
    first_name: str | None
    last_name: str | None
    display_name: str | None
    status: str | None
    type: int | None = Field(description="Zoom's user type: 1 Basic, 2 Licensed, 4 Unassigned, 99 None")
    licence: str = Field(description="the type in words")


class ZoomUsers(Answer):
    users: list[ZoomUser]


# Tenant: the add-on's settings (new settings: a field in both models, and in services/zoom_settings.py)

class TenantSettingsChange(Payload):
    """Omitted fields keep what is stored."""

    enabled: bool = None
    meeting_title: text(200, min_length=1) = None
    meeting_agenda: text(2000) = None
    random_password: bool = None
    use_host_defaults: bool = Field(None, description="send no meeting options: the host's Zoom profile decides")
    waiting_room: bool = None
    join_before_host: bool = None
    mute_upon_entry: bool = None
    auto_recording: Literal[RECORDINGS] = None
    meetings_for: Literal[MEETINGS_FOR] = Field(None, description="which bookings get meetings")


class TenantSettings(Answer):
    enabled: bool
    meeting_title: str
    meeting_agenda: str
    random_password: bool
    use_host_defaults: bool
    waiting_room: bool
    join_before_host: bool
    mute_upon_entry: bool
    auto_recording: Literal[RECORDINGS]
    meetings_for: Literal[MEETINGS_FOR]


# Tenant: staff and services

class ServiceZoomChange(Payload):
    enabled: bool


class ServiceZoom(Answer):
    service_id: int
    enabled: bool


class StaffZoomUserChange(Payload):
    zoom_user_id: text(255) | None = Field(description="a user of the connected account; null or empty unlinks")


class LinkedZoomUser(Answer):
    id: str
    name: str


class StaffZoomUser(Answer):
    staff_id: int
    zoom_user: LinkedZoomUser | None
    warning: str | None = Field(None, description="set when linking a Basic user: its meetings end after 40 minutes")


# Appointments

class SyncRequest(Payload):
    """The ping after a booking hook (the appointment is read from Booknetic's tables): how many seconds the
    shim waits for the answer; without it, an older shim's 10."""

    timeout: Annotated[float, Field(gt=0, le=60)] | None = None


class MeetingRef(Answer):
    id: int
    join_url: str | None


class SyncOutcome(Answer):
    appointment_id: int
    state: Literal["active", "none", "deleted", "queued", "failed"]
    meeting: MeetingRef | None


class LinksQuery(BaseModel):
    """Query string of the panels' links (other parameters are ignored)."""

    audience: Literal["customer", "staff"]


class AppointmentLinks(Answer):
    appointment_id: int
    join_url: str | None
    host_url: str | None = Field(description="never for the customer")


class ExpandRequest(Payload):
    appointment_id: Id
    channel: Literal[CHANNELS]
    audience: Literal[AUDIENCES]
    texts: list[Verbatim] = Field(max_length=MAX_TEXTS)


class ExpandedTexts(Answer):
    texts: list[str]


# Zoom webhooks (relayed byte for byte; the x-zm-signature covers the raw body)

class ZoomEvent(Payload):
    """Zoom's event envelope; Zoom's other fields (event_ts, download_token, ...) are kept, not checked."""

    model_config = ConfigDict(strict=True, extra="allow")

    event: str
    payload: dict[str, Any] = {}


class WebhookAnswer(Answer):
    status: Literal["ok", "ignored"] | None = None
    disconnected: int | None = None
    flagged: int | None = None
    plainToken: str | None = Field(None, description="endpoint.url_validation only")
    encryptedToken: str | None = Field(None, description="endpoint.url_validation only")


# Unsigned

class Health(Answer):
    ok: bool
    problems: list[str]
    database: Literal["ok", "unreachable"]
    error: str | None = None
    booknetic_tables: bool | None = None
    schema_version: int | None = None
    schema_expected: int | None = None
    migrations_current: bool | None = None
    jobs_queued: int | None = None
    jobs_failing: int | None = None
    oldest_job_age_seconds: float | None = None

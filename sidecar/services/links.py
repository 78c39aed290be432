"""Stable join and host links (SPEC sections 4 and 6): signed, deterministic, URL-safe tokens.

A token names its kind, tenant and appointment and carries an HMAC over the three, so the same
appointment always gets the same link (emails and the add-on's start_url agree) and nobody can
forge one for another appointment or tenant. The signing key is derived from [security]
encryption_keys: the first key signs, every configured key verifies, so rotating keys keeps old
emails working. A join link may also be signed by the shim with the shared secret (prefix `s`): the
shim builds it itself when the sidecar cannot answer a shortcode expansion in time (SPEC section 6).
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from typing import NamedTuple

from sidecar import cross_table
from sidecar.booknetic import appointments
from sidecar.context import Context
from sidecar.errors import NeedsReconnect, NotConnected
from sidecar.services import public_urls
from sidecar.services.tokens import TenantTokens
from sidecar.store import meetings
from sidecar.zoom import ZoomError, ZoomNotFound

log = logging.getLogger("sidecar.links")

JOIN, HOST = "join", "host"
_PREFIX = {JOIN: "j", HOST: "h"}
_KIND = {v: k for k, v in _PREFIX.items()}
_LABEL = b"booknetic-zoom stable link v1"
_SHIM_LABEL = "booknetic-zoom shim join link v1"  # the shim's class-bkz-shortcodes.php signs the same
_SHIM_JOIN = "s"
_SIG_CHARS = 22  # 132 bits of HMAC-SHA256: unguessable, short enough for SMS
_TOKEN = re.compile(r"^([jhs])([1-9][0-9]{0,9})\.([1-9][0-9]{0,19})\.([A-Za-z0-9_-]{22})$")


class LinkToken(NamedTuple):
    kind: str
    tenant_id: int
    appointment_id: int


@functools.lru_cache(maxsize=8)
def _link_keys(encryption_keys: tuple[str, ...]) -> tuple[bytes, ...]:
    # A key of its own per Fernet key, so link signatures never reuse the encryption key directly.
    return tuple(
        hmac.new(base64.urlsafe_b64decode(k.encode()), _LABEL, hashlib.sha256).digest() for k in encryption_keys
    )


def _signature(key: bytes, kind: str, tenant_id: int, appointment_id: int) -> str:
    message = f"{kind}\n{tenant_id}\n{appointment_id}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:_SIG_CHARS]


def shim_join_token(shared_secret: str, tenant_id: int, appointment_id: int) -> str:
    """The join token the shim signs with the shared secret when it must build a link itself."""
    sig = _signature(shared_secret.encode(), _SHIM_LABEL, tenant_id, appointment_id)
    return f"{_SHIM_JOIN}{tenant_id}.{appointment_id}.{sig}"


def token(ctx: Context, kind: str, tenant_id: int, appointment_id: int) -> str:
    """The token of one stable link (kind JOIN or HOST), signed with the first configured key."""
    sig = _signature(_link_keys(ctx.config.security.encryption_keys)[0], kind, tenant_id, appointment_id)
    return f"{_PREFIX[kind]}{tenant_id}.{appointment_id}.{sig}"


def parse(ctx: Context, text: str) -> LinkToken | None:
    """The (kind, tenant_id, appointment_id) a token was signed for, or None if it is malformed or forged."""
    match = _TOKEN.match(text or "")
    if not match:
        return None
    tenant_id, appointment_id, sig = int(match[2]), int(match[3]), match[4]
    if match[1] == _SHIM_JOIN:
        made = shim_join_token(ctx.config.sidecar.shim_shared_secret, tenant_id, appointment_id)
        return LinkToken(JOIN, tenant_id, appointment_id) if hmac.compare_digest(made, text) else None
    kind = _KIND[match[1]]
    for key in _link_keys(ctx.config.security.encryption_keys):
        if hmac.compare_digest(_signature(key, kind, tenant_id, appointment_id), sig):
            return LinkToken(kind, tenant_id, appointment_id)
    return None


def _link(ctx: Context, kind: str, tenant_id: int, appointment_id: int) -> str:
    t = token(ctx, kind, tenant_id, appointment_id)
    return public_urls.public_url(ctx, f"zoom_{kind}", t=t)


def join_link(ctx: Context, tenant_id: int, appointment_id: int) -> str:
    """The stable customer link: redirects to the meeting's join URL once the meeting exists."""
    return _link(ctx, JOIN, tenant_id, appointment_id)


def host_link(ctx: Context, tenant_id: int, appointment_id: int) -> str:
    """The stable host link: fetches a fresh start_url from Zoom when clicked."""
    return _link(ctx, HOST, tenant_id, appointment_id)


@dataclass(frozen=True)
class Target:
    """Where a click on a stable link goes: redirect to url, or one of the pages."""

    outcome: str  # "redirect" | "preparing" | "gone" | "unavailable" | "disconnected"
    url: str = ""


PREPARING, GONE, UNAVAILABLE = Target("preparing"), Target("gone"), Target("unavailable")
DISCONNECTED = Target("disconnected")  # the tenant's Zoom account is not connected (or must reconnect)


def _meeting(ctx: Context, link: LinkToken) -> Target | appointments.ZoomView:
    """The live meeting behind a link, or the page to show instead."""
    view = cross_table.zoom_view(ctx.db, link.tenant_id, link.appointment_id)
    if not view.busy or view.meeting_state == meetings.DELETED_ON_ZOOM:
        return GONE
    if view.zoom_meeting_id is None or view.meeting_state not in meetings.LIVE_STATES or not view.join_url:
        return PREPARING
    return view


def join_target(ctx: Context, link: LinkToken) -> Target:
    """The customer's destination: the meeting's join URL once it exists."""
    found = _meeting(ctx, link)
    return found if isinstance(found, Target) else Target("redirect", found.join_url)


def host_target(ctx: Context, link: LinkToken) -> Target:
    """The host's destination: a start_url fetched from Zoom now (Zoom's expire after two hours)."""
    found = _meeting(ctx, link)
    if isinstance(found, Target):
        return found
    ids = {"tenant_id": link.tenant_id, "appointment_id": link.appointment_id,
           "zoom_meeting_id": found.zoom_meeting_id}
    try:
        zoom_meeting = ctx.zoom.api.get_meeting(TenantTokens(ctx, link.tenant_id), found.zoom_meeting_id)
    except ZoomNotFound:
        log.warning("host_link_meeting_missing", extra=ids)
        return GONE
    except (NotConnected, NeedsReconnect) as exc:
        log.warning("host_link_not_connected", extra={**ids, "error_type": exc.__class__.__name__})
        return DISCONNECTED
    except ZoomError as exc:
        log.warning("host_link_zoom_unavailable", extra={**ids, "error_type": exc.__class__.__name__})
        return UNAVAILABLE
    if not zoom_meeting.get("start_url"):
        log.warning("host_link_without_start_url", extra=ids)
        return UNAVAILABLE
    return Target("redirect", zoom_meeting["start_url"])


@dataclass(frozen=True)
class PanelLinks:
    """The buttons Booknetic's panels draw for one appointment (the add-on's join / START MEETING)."""

    join_url: str | None  # the stable join link, while the appointment still needs its meeting
    host_url: str | None  # the stable host link; never for the customer's own panel


def panel_links(ctx: Context, tenant_id: int, appointment_id: int, *, for_customer: bool, now: int) -> PanelLinks:
    """Links for the customer panel (join only) or the tenant's appointment info (join and host).

    As Booknetic's add-on does, a button shows while the appointment is not over (now <= busy_to) and
    it has a live meeting; our links are the stable ones, so a click always finds the current meeting.
    """
    appointment = appointments.get(ctx.db, tenant_id, appointment_id)
    row = meetings.get(ctx.db, tenant_id, appointment_id)
    if (appointment is None or not appointment.busy or now > appointment.busy_to or row is None
            or row.zoom_meeting_id is None or row.state not in meetings.LIVE_STATES):
        return PanelLinks(None, None)
    return PanelLinks(join_link(ctx, tenant_id, appointment_id),
                      None if for_customer else host_link(ctx, tenant_id, appointment_id))

"""Zoom webhooks (zoom-api.md section 4): signature check over the raw body, then one handler per event.

To handle another event, write `def _on_x(ctx, event) -> dict` and add it to HANDLERS.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from sidecar.context import Context
from sidecar.errors import BadRequest, Unauthorized
from sidecar.store import connections, meetings, nonces, settings

log = logging.getLogger("sidecar.webhooks")

FRESHNESS_SECONDS = 300


@dataclass(frozen=True)
class Event:
    """A verified Zoom event."""

    name: str
    payload: dict
    secret_token: str = field(repr=False)  # the platform's, for answers that must be signed
    signature: str = ""  # x-zm-signature as checked: one delivery, the replay guard's key
    sent_at_ms: int | None = None  # event_ts


def zoom_signature(secret_token: str, timestamp: str, body: bytes) -> str:
    """Zoom's `v0=<hex>` signature: HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")."""
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret_token.encode(), message, hashlib.sha256).hexdigest()


def verify(ctx: Context, body: bytes, timestamp: str, signed: str, now: float | None = None) -> Event:
    """The event in `body`, if Zoom signed it with the platform's secret token in the last 5 minutes.

    Raises:
        Unauthorized: no secret configured, stale or missing timestamp, bad signature.
        BadRequest: a correctly signed body that is not a Zoom event.
    """
    secret = settings.platform(ctx.db, ctx.crypto).webhook_secret_token
    if not secret:
        raise Unauthorized("no webhook secret token is configured", code="bad_webhook_signature")
    now = time.time() if now is None else now
    if not (timestamp.isascii() and timestamp.isdigit()) or abs(now - int(timestamp)) > FRESHNESS_SECONDS:
        log.warning("webhook_rejected", extra={"reason": "stale"})
        raise Unauthorized("x-zm-request-timestamp is missing or more than 300 s off", code="bad_webhook_signature")
    if not hmac.compare_digest(zoom_signature(secret, timestamp, body).encode(), signed.encode()):
        log.warning("webhook_rejected", extra={"reason": "signature"})
        raise Unauthorized("x-zm-signature does not match the body", code="bad_webhook_signature")
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise BadRequest("the webhook body is not a Zoom event")
    payload = data.get("payload")
    return Event(name=data["event"], payload=payload if isinstance(payload, dict) else {}, secret_token=secret,
                 signature=signed, sent_at_ms=_int(data.get("event_ts")))


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def handle(ctx: Context, event: Event) -> dict:
    """Run the event's handler once and return the JSON answer for Zoom (unknown events are ignored).

    A delivery whose signature was already accepted within the freshness window is a replay: it is
    acknowledged and changes nothing (only the URL validation, which changes nothing, is answered again).
    """
    handler = HANDLERS.get(event.name)
    if handler is None:
        log.info("webhook_ignored", extra={"event": event.name})
        return {"status": "ignored"}
    if handler is not _on_url_validation and not nonces.remember_webhook(
            ctx.db, event.signature.removeprefix("v0="), 2 * FRESHNESS_SECONDS):
        log.warning("webhook_replayed", extra={"event": event.name})
        return {"status": "duplicate"}
    return handler(ctx, event)


def _on_url_validation(ctx: Context, event: Event) -> dict:
    """Answer Zoom's CRC: the plainToken and its HMAC-SHA256 under the secret token (zoom-api.md 4.3)."""
    plain = str(event.payload.get("plainToken", ""))
    if not plain:
        raise BadRequest("endpoint.url_validation without payload.plainToken")
    encrypted = hmac.new(event.secret_token.encode(), plain.encode(), hashlib.sha256).hexdigest()
    log.info("webhook_url_validated")
    return {"plainToken": plain, "encryptedToken": encrypted}


def _on_app_deauthorized(ctx: Context, event: Event) -> dict:
    """Forget at once the OAuth connections this Zoom user made through this app in this account."""
    p = event.payload
    client_id, account_id, user_id = (str(p.get(k) or "") for k in ("client_id", "account_id", "user_id"))
    if not (client_id and account_id and user_id):
        raise BadRequest("app_deauthorized needs payload.client_id, account_id and user_id")
    # Zoom has already killed the tokens: nothing to revoke, only to forget. A connection made after the
    # deauthorization is a new authorization it cannot have ended.
    with ctx.db.transaction() as db:
        tenant_ids = connections.delete_oauth_of_user(db, client_id, account_id, user_id, _deauthorized_at(event))
    for tenant_id in tenant_ids:
        log.info("connection_deauthorized", extra={"tenant": tenant_id, "zoom_account": account_id})
    if not tenant_ids:
        log.info("webhook_deauthorized_unknown", extra={"zoom_account": account_id})
    return {"status": "ok", "disconnected": len(tenant_ids)}


def _deauthorized_at(event: Event) -> datetime | None:
    """When the app was deauthorized: payload.deauthorization_time, else event_ts (ms); None if neither reads."""
    stamp = event.payload.get("deauthorization_time")
    if isinstance(stamp, str):
        try:
            return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(timezone.utc)
        except ValueError:
            pass
    if isinstance(event.sent_at_ms, int) and event.sent_at_ms > 0:
        return datetime.fromtimestamp(event.sent_at_ms / 1000, timezone.utc)
    return None


def _on_meeting_deleted(ctx: Context, event: Event) -> dict:
    """A meeting was deleted on Zoom: flag our rows of it for the tenants on that account; never recreate it."""
    p = event.payload
    meeting = p.get("object") if isinstance(p.get("object"), dict) else {}
    try:
        zoom_meeting_id = int(meeting.get("id"))
    except (TypeError, ValueError):
        raise BadRequest("meeting.deleted needs payload.object.id") from None
    # Our own deletes are announced too: the sync that made one writes its rows' final state itself.
    tenant_ids = connections.tenants_of_account(ctx.db, str(p.get("account_id") or ""))
    flagged = meetings.mark_deleted_on_zoom(ctx.db, tenant_ids, zoom_meeting_id)
    for row in flagged:
        log.info("meeting_deleted_on_zoom", extra={"tenant": row.tenant_id, "appointment": row.appointment_id,
                                                   "zoom_meeting": zoom_meeting_id})
    return {"status": "ok", "flagged": len(flagged)}


HANDLERS: dict[str, Callable[[Context, Event], dict]] = {
    "endpoint.url_validation": _on_url_validation,
    "app_deauthorized": _on_app_deauthorized,
    "meeting.deleted": _on_meeting_deleted,
}

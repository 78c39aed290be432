"""Failure alerts for tenants (a connection that needs reconnecting, a meeting that failed for good), handed
to the shim, which fires them as a Booknetic workflow event or mails the tenant owner.

They are raised where the failure is found (services/tokens.py, services/sync_jobs.py) at most once a day
per kind and tenant (store/events.py); the shim claims the undelivered ones on its WordPress cron.
"""
from __future__ import annotations

from sidecar.booknetic import tenants
from sidecar.context import Context
from sidecar.store import events

TITLES = {events.NEEDS_RECONNECT: "Zoom: connect your Zoom account again",
          events.MEETING_FAILED: "Zoom: a booking's meeting could not be made"}


def claim(ctx: Context, limit: int = 100) -> list[dict]:
    """The alerts not delivered yet, each with its tenant owner's email; they count as delivered from now on."""
    found = []
    for alert in events.claim_alerts(ctx.db, limit):
        owner = tenants.get(ctx.db, alert.tenant_id)
        found.append({"id": alert.id, "tenant_id": alert.tenant_id, "kind": alert.kind,
                      "title": TITLES.get(alert.kind, alert.kind), "message": alert.detail or "",
                      "appointment_id": alert.appointment_id, "owner_email": owner.email if owner else None})
    return found

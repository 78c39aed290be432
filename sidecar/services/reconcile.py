"""Booknetic vs our meeting rows vs Zoom (`booknetic-zoom reconcile`): report what disagrees, repair on request.

Only upcoming appointments of tenants that may have meetings now are checked, plus each such tenant's
leftovers: meetings recorded for deletion that Zoom still has, and orphans (meetings on Zoom carrying
our marker that no row points to). Repair runs the one operation on each finding (a meeting a person
deleted on Zoom is recreated only here) and deletes orphans.
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from sidecar.booknetic import appointments
from sidecar.context import Context
from sidecar.errors import DomainError
from sidecar.services import sync
from sidecar.services.meeting_request import fingerprint
from sidecar.services.sync.lost_creates import marker_pattern
from sidecar.services.tokens import TenantTokens
from sidecar.store import deletions, meetings, settings
from sidecar.zoom import ZoomError, ZoomNotFound

MISSING, NOT_NEEDED, GONE, DELETED_ON_ZOOM, DRIFT, FAILED, INVALID, NOT_DELETED, ORPHAN = (
    "missing", "not_needed", "gone_on_zoom", "deleted_on_zoom", "drift", "failed", "invalid", "not_deleted",
    "orphan")


@dataclass(frozen=True)
class Finding:
    tenant_id: int
    appointment_id: int
    kind: str
    detail: str = ""
    zoom_meeting_id: int | None = None  # orphans: the meeting to delete


@dataclass
class Report:
    checked: int = 0
    skipped_tenants: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    repaired: int = 0
    repair_errors: list[str] = field(default_factory=list)


def reconcile(ctx: Context, tenant_id: int | None = None, *, repair: bool = False,
              progress: Callable[[str], None] = lambda _: None) -> Report:
    """Compare every upcoming appointment with its meeting row and Zoom; with repair, run the sync on each finding."""
    report = Report()
    by_tenant: dict[int, list[int]] = defaultdict(list)
    for tid, appointment_id in appointments.ids(ctx.db, tenant_id, since_epoch=int(time.time())):
        by_tenant[tid].append(appointment_id)
    for tid, ids in sorted(by_tenant.items()):
        try:
            ready = sync.tenant_ready(ctx, TenantTokens(ctx, tid))
        except DomainError:
            ready = False
        if not ready:
            report.skipped_tenants.append(tid)
            progress(f"tenant {tid}: skipped (not connected, needs reconnect, or Zoom off)")
            continue
        try:
            found = _check_tenant(ctx, tid, ids)
        except ZoomError as exc:  # Zoom down or refusing: this tenant cannot be checked now, the others can
            report.skipped_tenants.append(tid)
            progress(f"tenant {tid}: skipped, Zoom failed ({exc})")
            continue
        report.checked += len(ids)
        report.findings += found
        progress(f"tenant {tid}: {len(ids)} appointments checked, {len(found)} to fix")
        for finding in found:
            progress(f"  appointment {finding.appointment_id}: {finding.kind} {finding.detail}".rstrip())
            if repair and finding.kind != INVALID:
                _repair(ctx, finding, report, progress)
    return report


def _check_tenant(ctx: Context, tenant_id: int, ids: list[int]) -> list[Finding]:
    """What disagrees for each of the tenant's appointments.

    Raises:
        ZoomError: Zoom could not be asked (other than a meeting it no longer has).
    """
    tokens = TenantTokens(ctx, tenant_id)
    approved_only = settings.tenant(ctx.db, tenant_id).approved_only
    on_zoom: dict[int, dict | None] = {}  # group siblings share a meeting: one GET each
    found = []
    for appointment_id in ids:
        appt = appointments.get(ctx.db, tenant_id, appointment_id)
        row = meetings.get(ctx.db, tenant_id, appointment_id)
        try:
            needs = sync.wanted_host(ctx.db, tenant_id, appt, approved_only=approved_only) is not None
        except sync.InvalidAppointment as exc:
            found.append(Finding(tenant_id, appointment_id, INVALID, str(exc)))
            continue
        kind = _kind(ctx, tokens, row, needs, on_zoom)
        if kind is not None:
            found.append(Finding(tenant_id, appointment_id, *kind))
    return found + _leftovers(ctx, tokens)


def _leftovers(ctx: Context, tokens: TenantTokens) -> list[Finding]:
    """Meetings recorded for deletion, and orphans on Zoom: meetings with our marker no row points to.

    Raises:
        ZoomError: Zoom could not be asked (other than about a host user who is gone).
    """
    tenant_id = tokens.tenant_id
    doomed = deletions.of_tenant(ctx.db, tenant_id)
    found = [Finding(tenant_id, d.appointment_id, NOT_DELETED,
                     f"zoom meeting {d.zoom_meeting_id}" + (f": {d.last_error}" if d.last_error else ""))
             for d in doomed]
    in_use, in_flight, hosts = meetings.known_to_zoom(ctx.db, tenant_id)
    known = in_use | {d.zoom_meeting_id for d in doomed}
    ours = marker_pattern(tenant_id)
    for host in sorted(hosts | {d.host_user_id for d in doomed if d.host_user_id}):
        try:
            marked = list(ctx.zoom.api.marked_meetings(tokens, host, ours.fullmatch))
        except ZoomNotFound:
            continue  # the user is gone, and their meetings with them
        found += [Finding(tenant_id, int(ours.fullmatch(line)[1]), ORPHAN, f"zoom meeting {m['id']}", m["id"])
                  for line, m in marked if m["id"] not in known and line not in in_flight]
    return found


def _kind(ctx: Context, tokens: TenantTokens, row: meetings.Meeting | None, needs: bool,
          on_zoom: dict[int, dict | None]) -> tuple[str, str] | None:
    """The finding (kind, detail) for one appointment, or None when Booknetic, the row and Zoom agree."""
    if row is not None and row.state == meetings.DELETED_ON_ZOOM:
        return (DELETED_ON_ZOOM, "") if needs else None
    if row is not None and row.state == meetings.FAILED:
        return FAILED, row.last_error or ""
    if row is None or not row.live:
        return (MISSING, "") if needs else None
    if not needs:
        return NOT_NEEDED, f"zoom meeting {row.zoom_meeting_id}"
    if row.zoom_meeting_id not in on_zoom:
        try:
            on_zoom[row.zoom_meeting_id] = ctx.zoom.api.get_meeting(tokens, row.zoom_meeting_id)
        except ZoomNotFound:
            on_zoom[row.zoom_meeting_id] = None
    zoom_meeting = on_zoom[row.zoom_meeting_id]
    if zoom_meeting is None:
        return GONE, f"zoom meeting {row.zoom_meeting_id}"
    if fingerprint(zoom_meeting) != row.fingerprint:
        return DRIFT, f"zoom meeting {row.zoom_meeting_id} was changed on Zoom"
    return None


def _repair(ctx: Context, finding: Finding, report: Report, progress: Callable[[str], None]) -> None:
    """Run the sync on a finding (first making sure it will act on a gone or drifted meeting); delete an orphan."""
    if finding.kind == ORPHAN:
        _delete_orphan(ctx, finding, report, progress)
        return
    row = meetings.get(ctx.db, finding.tenant_id, finding.appointment_id)
    if finding.kind == GONE:
        meetings.mark_deleted_on_zoom(ctx.db, [finding.tenant_id], row.zoom_meeting_id)
    elif finding.kind == DRIFT:
        meetings.set_fingerprint(ctx.db, finding.tenant_id, row.zoom_meeting_id, "")  # so the sync PATCHes
    try:
        result = sync.sync_appointment(ctx, finding.tenant_id, finding.appointment_id, repair=True)
    except (ZoomError, DomainError, sync.SyncError) as exc:
        report.repair_errors.append(f"appointment {finding.appointment_id}: {exc}")
        progress(f"    repair failed: {exc}")
        return
    report.repaired += 1
    progress(f"    repaired: {result.state}" + (f" (zoom meeting {result.meeting_id})" if result.meeting_id else ""))


def _delete_orphan(ctx: Context, finding: Finding, report: Report, progress: Callable[[str], None]) -> None:
    try:
        ctx.zoom.api.delete_meeting(TenantTokens(ctx, finding.tenant_id), finding.zoom_meeting_id)
    except (ZoomError, DomainError) as exc:
        report.repair_errors.append(f"zoom meeting {finding.zoom_meeting_id}: {exc}")
        progress(f"    repair failed: {exc}")
        return
    report.repaired += 1
    progress(f"    repaired: zoom meeting {finding.zoom_meeting_id} deleted")

"""The one operation (SPEC section 2): read the appointment now and move Zoom to the state it should have.

Group bookings share one meeting per slot (tenant, staff, service, location, starts_at), so a sync
runs under named locks on every slot and meeting it may touch, taken sorted and re-read after
locking: two syncs never make two meetings for one session. Retryable Zoom errors propagate to the
caller (the worker decides when to try again); nothing here sleeps.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from sidecar.booknetic import addon_data, appointments, options
from sidecar.booknetic.appointments import Appointment
from sidecar.context import Context
from sidecar.errors import NeedsReconnect
from sidecar.services import gating
from sidecar.services.links import host_link
from sidecar.services.meeting_request import fingerprint, meeting_request, update_body
from sidecar.services.tokens import TenantTokens
from sidecar.store import meetings, settings
from sidecar.store.db import Database
from sidecar.store.meetings import Meeting
from sidecar.zoom import ZoomNotFound, ZoomOutcomeUnknown, ZoomUnavailable

log = logging.getLogger("sidecar.sync")

NONE = "none"
# A create that got no answer may still be carried out by Zoom for a while; until this many [zoom]
# timeouts have passed since it was sent, "not found" is no proof that it was not made.
IN_FLIGHT_TIMEOUTS = 6


class SyncError(Exception):
    """A sync that cannot go on now; `retryable` says whether trying again later may help."""

    retryable = True


class InvalidAppointment(SyncError):
    """The Booknetic row makes no sense (missing staff or service, end before start): no retry helps."""

    retryable = False


class SlotBusy(SyncError):
    """Another sync held the slot's lock for too long."""


class CreateInFlight(SyncError):
    """A create of unknown outcome is too recent to tell whether Zoom made it."""


@dataclass(frozen=True)
class SyncResult:
    state: str  # active | none | deleted | deleted_on_zoom | failed
    meeting_id: int | None = None
    join_url: str | None = None


def _result(row: Meeting | None) -> SyncResult:
    if row is None:
        return SyncResult(NONE)
    if row.state == meetings.ACTIVE:
        return SyncResult(row.state, row.zoom_meeting_id, row.join_url)
    return SyncResult(row.state)


def wanted_host(db: Database, tenant_id: int, appt: Appointment | None) -> str | None:
    """The Zoom user who should host the appointment's meeting, or None when it needs no meeting.

    Raises:
        InvalidAppointment: the row is nonsense (missing staff or service, ends before it starts).
    """
    if appt is None or not appt.busy:
        return None
    if appt.staff_name is None:
        raise InvalidAppointment(f"appointment {appt.id}: staff {appt.staff_id} does not exist")
    if appt.service_name is None:
        raise InvalidAppointment(f"appointment {appt.id}: service {appt.service_id} does not exist")
    if appt.ends_at <= appt.starts_at:
        raise InvalidAppointment(f"appointment {appt.id}: ends at or before it starts")
    if not addon_data.service_zoom_enabled(db, tenant_id, appt.service_id):
        return None
    user = addon_data.staff_zoom_user(db, tenant_id, appt.staff_id)
    return user["id"] if user else None


def tenant_ready(ctx: Context, tokens: TenantTokens) -> settings.TenantSettings | None:
    """The tenant's Zoom settings if it may get meetings now; None means: touch nothing, old meetings stay.

    Ready = plan has zoom, Zoom on for the platform and the tenant, and a Zoom connection.
    Raises:
        NeedsReconnect: the connection must be made again first (the job waits).
    """
    tenant_id = tokens.tenant_id
    if not gating.plan_allows_zoom(ctx, tenant_id) or not settings.platform(ctx.db, ctx.crypto).enabled:
        return None
    tenant_settings = settings.tenant(ctx.db, tenant_id)
    conn = tokens.connection() if tenant_settings.enabled else None
    if conn is None:
        return None
    if not conn.connected:
        raise NeedsReconnect("the tenant's Zoom connection needs to be made again")
    return tenant_settings


def slot_lock(tenant_id: int, slot_key: str) -> str:
    """The named lock of one group session of a tenant."""
    return f"zoom-slot:{tenant_id}:{slot_key}"


def _lock_names(tenant_id: int, appt: Appointment | None, row: Meeting | None) -> set[str]:
    names = set()
    if appt is not None:
        names.add(slot_lock(tenant_id, appt.slot_key))
    if row is not None:
        names.update(slot_lock(tenant_id, s) for s in (row.slot_key, row.pending_slot) if s)
        if row.live:
            names.add(f"zoom-meeting:{tenant_id}:{row.zoom_meeting_id}")
    return names


def sync_appointment(ctx: Context, tenant_id: int, appointment_id: int, *, repair: bool = False) -> SyncResult:
    """Make Zoom match the appointment: create, update, move or delete its (shared) meeting.

    repair=True recreates a meeting a person deleted on Zoom (reconcile --repair).
    Raises:
        SyncError, NeedsReconnect, sidecar.zoom.ZoomError: the worker maps each to a job outcome.
    """
    tokens = TenantTokens(ctx, tenant_id)
    tenant_settings = tenant_ready(ctx, tokens)
    if tenant_settings is None:
        return _result(meetings.get(ctx.db, tenant_id, appointment_id))
    timeout = max(5.0, 3 * ctx.config.zoom.timeout)
    for _ in range(3):
        seen = appointments.get(ctx.db, tenant_id, appointment_id)
        names = _lock_names(tenant_id, seen, meetings.get(ctx.db, tenant_id, appointment_id))
        with ctx.db.named_locks(sorted(names), timeout) as locked:
            if not locked:
                raise SlotBusy(f"appointment {appointment_id}: its slot stayed locked for {timeout:.0f} s")
            # Re-read under the locks; the session's rows come with it when the booking stayed in its slot.
            session = _session(ctx, seen) if seen is not None else []
            appt = next((a for a in session if a.id == appointment_id), None)
            if appt is None:
                session, appt = None, appointments.get(ctx.db, tenant_id, appointment_id)
            row = meetings.get(ctx.db, tenant_id, appointment_id)
            if _lock_names(tenant_id, appt, row) <= names:
                return _Sync(ctx, tokens, appointment_id, tenant_settings, repair).run(appt, row, session)
    raise SlotBusy(f"appointment {appointment_id} kept changing while its slot was being locked")


def _session(ctx: Context, appt: Appointment) -> list[Appointment]:
    """Every booking in the appointment's group session, oldest first."""
    return appointments.in_slot(ctx.db, appt.tenant_id, appt.staff_id, appt.service_id, appt.location_id,
                                appt.starts_at)


class _Sync:
    """One sync of one appointment, run while its slot and meeting locks are held."""

    def __init__(self, ctx: Context, tokens: TenantTokens, appointment_id: int,
                 tenant_settings: settings.TenantSettings, repair: bool):
        self.ctx, self.db, self.api = ctx, ctx.db, ctx.zoom.api
        self.tenant_id, self.appointment_id, self.repair = tokens.tenant_id, appointment_id, repair
        self.settings = tenant_settings
        self.tokens = tokens

    def _ids(self, **more) -> dict:
        return {"tenant_id": self.tenant_id, "appointment_id": self.appointment_id, **more}

    def run(self, appt: Appointment | None, row: Meeting | None, session: list[Appointment] | None) -> SyncResult:
        slots = sorted({s for s in (appt and appt.slot_key, row and row.slot_key, row and row.pending_slot) if s})
        nearby = meetings.in_slots(self.db, self.tenant_id, slots) if slots else []
        pending = [m for m in nearby if m.pending_marker and m.pending_slot in slots]
        for unsettled in pending:
            self._resolve(unsettled)
        if pending:
            row = meetings.get(self.db, self.tenant_id, self.appointment_id)
            nearby = meetings.in_slots(self.db, self.tenant_id, slots)
        host = wanted_host(self.db, self.tenant_id, appt)
        if row is not None and row.state == meetings.DELETED_ON_ZOOM and not self.repair:
            return self._leave(row) if host is None else _result(row)
        if host is None:
            return self._leave(row)
        busy = [a for a in (session if session is not None else _session(self.ctx, appt)) if a.busy]
        # The session's meeting is described by its oldest busy booking, so every sync agrees on it.
        body = meeting_request(busy[0] if busy else appt, self.settings,
                               options.site_timezone(self.db))
        self.row = row or meetings.empty(self.tenant_id, appt.id)
        current = row if row is not None and row.live else None
        if current is not None and current.slot_key == appt.slot_key:
            return self._keep(current, appt, body, host)
        target = next((m for m in nearby if m.live and m.slot_key == appt.slot_key), None)
        if target is not None:
            result = self._keep(target, appt, body, host)
        elif current is not None and self._can_take(current, appt):
            return self._keep(current, appt, body, host)
        else:
            result = self._create(appt, body, host, replacing=None)
        if current is not None and current.zoom_meeting_id != result.meeting_id:
            self._drop_if_unused(current.zoom_meeting_id)
        return result

    def _can_take(self, current: Meeting, appt: Appointment) -> bool:
        """Whether the meeting may move with this booking: nobody is left in its old slot."""
        staff_id, service_id, location, starts_at = current.slot_key.split(":")
        left = [a for a in appointments.in_slot(self.db, self.tenant_id, int(staff_id), int(service_id),
                                                int(location) or None, int(starts_at))
                if a.busy and a.id != appt.id]
        elsewhere = [m for m in meetings.live_sharing(self.db, self.tenant_id, current.zoom_meeting_id)
                     if m.appointment_id != appt.id and m.slot_key != current.slot_key]
        return not left and not elsewhere

    def _keep(self, base: Meeting, appt: Appointment, body: dict, host: str) -> SyncResult:
        """Make `base`'s meeting serve the slot with this body and host, and attach the appointment to it."""
        if base.host_user_id != host:
            return self._create(appt, body, host, replacing=base)
        wanted = fingerprint(body)
        if base.fingerprint != wanted:
            try:
                self.api.update_meeting(self.tokens, base.zoom_meeting_id, update_body(body))
            except ZoomNotFound:
                return self._gone_on_zoom(base.zoom_meeting_id)
            meetings.set_fingerprint(self.db, self.tenant_id, base.zoom_meeting_id, wanted)
            log.info("meeting_updated", extra=self._ids(zoom_meeting_id=base.zoom_meeting_id))
        self._attach(self.row, base.zoom_meeting_id, host, base.join_url, base.password, appt.slot_key, wanted)
        return SyncResult(meetings.ACTIVE, base.zoom_meeting_id, base.join_url)

    def _create(self, appt: Appointment, body: dict, host: str, replacing: Meeting | None) -> SyncResult:
        """Create the slot's meeting under `host`; rows of the slot on `replacing`'s meeting move to it."""
        marker = f"bkz-{self.tenant_id}-{appt.id}-{secrets.token_hex(6)}"
        meetings.set_pending(self.db, self.tenant_id, appt.id, marker, host, appt.slot_key)
        try:
            made = self.api.create_meeting(self.tokens, host, body, marker)
        except ZoomOutcomeUnknown as exc:
            if exc.status is None or exc.status == 504:
                raise  # it may still land: the marker stays, and the next sync of this slot looks it up first
            made = self._made_anyway(appt, host, marker, exc)
        except Exception:
            meetings.clear_pending(self.db, self.tenant_id, appt.id)
            raise
        password = made.get("password") or body.get("password")
        self._adopt(self.row, appt.slot_key, made["id"], host, made.get("join_url"), password, fingerprint(body),
                    replacing)
        log.info("meeting_created", extra=self._ids(zoom_meeting_id=made["id"], replaced=replacing and
                                                    replacing.zoom_meeting_id))
        return SyncResult(meetings.ACTIVE, made["id"], made.get("join_url"))

    def _made_anyway(self, appt: Appointment, host: str, marker: str, unknown: ZoomOutcomeUnknown) -> dict:
        """Zoom answered the create with an error: look for the meeting now, since nothing is in flight.

        Raises:
            ZoomUnavailable: Zoom did not make it (retry later).
        """
        found = self.api.find_meeting_by_marker(self.tokens, host, marker)
        if found is None:
            meetings.clear_pending(self.db, self.tenant_id, appt.id)
            raise ZoomUnavailable(unknown.message, status=unknown.status, code=unknown.code,
                                  request_id=unknown.request_id) from unknown
        log.info("pending_create_adopted", extra=self._ids(zoom_meeting_id=found["id"]))
        return found

    def _adopt(self, maker: Meeting, slot_key: str, zoom_id: int, host: str, join_url: str | None,
               password: str | None, fp: str, replacing: Meeting | None) -> None:
        """Record a meeting made for a slot on the row that made it (settling its pending create) and on the
        slot's rows of the meeting it replaces."""
        others = []
        if replacing is not None:
            others = [m for m in meetings.live_sharing(self.db, self.tenant_id, replacing.zoom_meeting_id)
                      if m.slot_key == slot_key and m.appointment_id != maker.appointment_id]
        settled = replace(maker, pending_marker=None, pending_host=None, pending_slot=None, pending_at=None)
        if not others:  # one row: if we die before its add-on row is written, the job's rerun writes it
            self._attach(settled, zoom_id, host, join_url, password, slot_key, fp, force=True)
        else:
            with self.db.transaction():  # the session's rows move to the new meeting together
                self._attach(settled, zoom_id, host, join_url, password, slot_key, fp, force=True)
                for row in others:
                    self._attach(row, zoom_id, host, join_url, password, slot_key, fp)
        if replacing is not None:
            self._drop_if_unused(replacing.zoom_meeting_id)

    def _attach(self, row: Meeting, zoom_id: int, host: str, join_url: str | None, password: str | None,
                slot_key: str, fp: str, *, force: bool = False) -> None:
        """Point one appointment's row and its add-on row at a meeting (force: write even if it looks unchanged)."""
        attached = replace(row, zoom_meeting_id=zoom_id, host_user_id=host, join_url=join_url, password=password,
                           slot_key=slot_key, fingerprint=fp, state=meetings.ACTIVE, last_error=None)
        if force or attached != row:
            meetings.save(self.db, attached)
        addon_data.set_meeting_data(self.db, self.tenant_id, row.appointment_id, {
            "id": zoom_id, "join_url": join_url or "", "password": password or "",
            "start_url": host_link(self.ctx, self.tenant_id, row.appointment_id)})

    def _leave(self, row: Meeting | None) -> SyncResult:
        """The appointment needs no meeting: detach it, deleting the meeting if nobody else has it."""
        if row is None:
            return SyncResult(NONE)
        if row.live:
            self._drop_if_unused(row.zoom_meeting_id, leaving=row.appointment_id)
        if row.state != meetings.DELETED:
            meetings.set_state(self.db, self.tenant_id, row.appointment_id, meetings.DELETED)
        addon_data.delete_meeting_data(self.db, self.tenant_id, row.appointment_id)
        return SyncResult(meetings.DELETED)

    def _drop_if_unused(self, zoom_id: int, leaving: int | None = None) -> None:
        """Delete a meeting on Zoom once no live row (but `leaving`) carries it; gone already counts as done."""
        users = [m for m in meetings.live_sharing(self.db, self.tenant_id, zoom_id) if m.appointment_id != leaving]
        if users:
            return
        existed = self.api.delete_meeting(self.tokens, zoom_id)
        log.info("meeting_deleted", extra=self._ids(zoom_meeting_id=zoom_id, already_gone=not existed))

    def _gone_on_zoom(self, zoom_id: int) -> SyncResult:
        """Zoom no longer has the meeting (a person deleted it): flag it, never recreate it unasked."""
        flagged = meetings.mark_deleted_on_zoom(self.db, [self.tenant_id], zoom_id)
        log.warning("meeting_missing_on_zoom", extra=self._ids(zoom_meeting_id=zoom_id, rows=len(flagged)))
        return SyncResult(meetings.DELETED_ON_ZOOM)

    def _resolve(self, pending: Meeting) -> None:
        """Settle a create whose answer was lost: adopt the meeting Zoom made, or forget the attempt.

        Raises:
            CreateInFlight: too recent to tell; try again shortly.
        """
        try:
            found = self.api.find_meeting_by_marker(self.tokens, pending.pending_host, pending.pending_marker)
        except ZoomNotFound:
            found = None  # the host user is gone, and with it anything made for them
        if found is None:
            settle = timedelta(seconds=IN_FLIGHT_TIMEOUTS * self.ctx.config.zoom.timeout)
            if pending.pending_at is not None and self.db.now() - pending.pending_at < settle:
                raise CreateInFlight(f"appointment {pending.appointment_id}: a meeting create may still land")
            meetings.clear_pending(self.db, self.tenant_id, pending.appointment_id)
            log.info("pending_create_not_made", extra=self._ids(pending_appointment_id=pending.appointment_id))
            return
        replacing = pending if pending.live and pending.zoom_meeting_id != found["id"] else None
        self._adopt(pending, pending.pending_slot, found["id"], pending.pending_host,
                    found.get("join_url"), found.get("password"), fingerprint(found), replacing)
        log.info("pending_create_adopted", extra=self._ids(pending_appointment_id=pending.appointment_id,
                                                           zoom_meeting_id=found["id"]))

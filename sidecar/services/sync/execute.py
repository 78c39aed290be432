"""Carrying out a plan: the Zoom calls and the rows that record them, while the slot's locks are held.

The rows a sync writes wait in one open transaction (record()), committed right before the next Zoom
call (zoom()) or at the end together with the job's finish (one_commit()): a create's marker is durable
before its POST, no row lock is held across a Zoom call, and a sync that creates one meeting pays one
commit for its meeting row, its add-on row and its job. An error rolls back what is open, as a crash at
that point would (every such point is recoverable: what was committed last is the marker or a row that
records a Zoom answer); rows that must outlive the error are written right after the failed Zoom call,
when nothing is open, so they commit on their own.

Over 200 lines: when to commit is decided by the Zoom calls and writes here, so both stay in one module.
"""
from __future__ import annotations

import logging
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from typing import Callable, Iterator

from sidecar.booknetic import addon_data
from sidecar.context import Context
from sidecar.services import passcodes
from sidecar.services.links import host_link
from sidecar.services.meeting_request import fingerprint, update_body
from sidecar.services.sync import lost_creates
from sidecar.services.sync.outcomes import OldMeetingNotDeleted, SyncResult, result_of
from sidecar.services.sync.plan import Action, Create, Delete, Leave, NewHost, Nothing, Patch
from sidecar.services.tokens import TenantTokens
from sidecar.store import deletions, events, meetings
from sidecar.store.meetings import Meeting
from sidecar.zoom import HELD_MEETING_CODES, ZoomApi, ZoomBadRequest, ZoomError, ZoomNotFound, ZoomRateLimited

log = logging.getLogger("sidecar.sync")


class Executor:
    """Carries out the actions of one sync of one appointment."""

    def __init__(self, ctx: Context, tokens: TenantTokens, appointment_id: int, row: Meeting | None):
        self.ctx, self.db, self.api, self.tokens = ctx, ctx.db, ctx.zoom.api, tokens
        self.tenant_id, self.appointment_id = tokens.tenant_id, appointment_id
        # The appointment's own row, blank until it first gets a meeting.
        self.row = row or meetings.without_meeting(self.tenant_id, appointment_id)
        # Appointments whose left-behind meetings this sync deletes at the end (settled creates add theirs).
        self.retiring_for = {appointment_id}
        self._open: ExitStack | None = None  # the transaction holding the rows recorded since the last commit

    def record(self) -> None:
        """Make the rows written next part of the open transaction (begun now if none is open)."""
        if self._open is None:
            stack = ExitStack()
            stack.enter_context(self.db.transaction())
            self._open = stack

    def commit(self) -> None:
        """Commit the rows recorded so far, if any."""
        stack, self._open = self._open, None
        if stack is not None:
            stack.close()

    def zoom(self) -> ZoomApi:
        """The Zoom client, for one call made right away: what is recorded commits first (a create's marker
        must be durable before its POST, and the token provider may run a transaction of its own)."""
        self.commit()
        return self.api

    def passcode_rules(self, *, refresh: bool = False) -> passcodes.PasscodeRules:
        """The account's passcode rules (a Zoom call when not cached or asked to refresh: commits first)."""
        self.commit()
        return passcodes.rules(self.ctx, self.tokens, refresh=refresh)

    @contextmanager
    def one_commit(self, finish: Callable[[], object] | None) -> Iterator[None]:
        """Run the block, then commit its last rows with finish() (the job's) in the same transaction.

        On an error finish() does not run and what is open is rolled back (see the module's note).
        """
        try:
            yield
            if finish is not None:
                self.record()
                finish()
        except BaseException as exc:
            stack, self._open = self._open, None
            if stack is not None:
                stack.__exit__(type(exc), exc, exc.__traceback__)  # rolls back and lets exc go on
            raise
        self.commit()

    def ids(self, **more) -> dict:
        """Log fields naming this sync."""
        return {"tenant_id": self.tenant_id, "appointment_id": self.appointment_id, **more}

    def carry_out(self, action: Action) -> SyncResult:
        """Do what the plan says; a meeting left behind by a move or a new host is recorded before any Zoom
        call and goes afterwards if nobody else has it (delete_retired)."""
        if isinstance(action, Nothing):
            return result_of(action.row)
        if isinstance(action, (Leave, Delete)):
            return self._detach(action.row, delete=isinstance(action, Delete))
        moving_from = [action.moving_from] if action.moving_from is not None else []
        if isinstance(action, Create):
            result = self._create(action.appointment, action.wanted, action.host, replacing=None, retiring=moving_from)
            if action.lost is not None:
                self._recreated(action.lost, result)
            return result
        if isinstance(action, NewHost):
            return self._create(action.appointment, action.wanted, action.host, replacing=action.base,
                                retiring=[*moving_from, action.base.zoom_meeting_id])
        for zoom_id in moving_from:
            self.retire(zoom_id)
        if isinstance(action, Patch):
            return self._patch(action.appointment, action.base, action.wanted)
        return self._join(action.appointment, action.base)

    def _patch(self, appt, base: Meeting, wanted: dict) -> SyncResult:
        try:
            self.zoom().update_meeting(self.tokens, base.zoom_meeting_id, update_body(wanted))
        except ZoomNotFound:
            # Zoom no longer has it (a person deleted it), but the booking moved and still needs a meeting.
            result = self._create(appt, wanted, base.host_user_id, replacing=base, retiring=[])
            self._recreated(base.zoom_meeting_id, result)
            return result
        fp = fingerprint(wanted)
        self.record()
        meetings.set_fingerprint(self.db, self.tenant_id, base.zoom_meeting_id, fp)
        log.info("meeting_updated", extra=self.ids(zoom_meeting_id=base.zoom_meeting_id))
        return self._join(appt, replace(base, fingerprint=fp))

    def _join(self, appt, base: Meeting) -> SyncResult:
        self.attach(self.row, base.zoom_meeting_id, base.host_user_id, base.join_url, base.password, appt.slot_key,
                    base.fingerprint)
        return SyncResult(meetings.ACTIVE, base.zoom_meeting_id, base.join_url)

    def _create(self, appt, body: dict, host: str, replacing: Meeting | None, retiring: list[int]) -> SyncResult:
        """Create the slot's meeting under `host`; rows of the slot on `replacing`'s meeting move to it.

        `retiring` (meetings this one replaces) is recorded with the create's marker, before the POST.
        """
        try:
            made = lost_creates.create_marked(self, appt, body, host, retiring)
        except ZoomBadRequest as exc:
            if "password" not in body or not passcodes.refused(exc):
                raise
            # The account's passcode rules changed since they were cached: read them again, try once more.
            log.info("passcode_refused", extra=self.ids(tracking_id=exc.request_id))
            body = {**body, "password": passcodes.generate(self.passcode_rules(refresh=True))}
            made = lost_creates.create_marked(self, appt, body, host, retiring)
        password = made.get("password") or body.get("password")
        self.adopt(self.row, appt.slot_key, made["id"], host, made.get("join_url"), password, fingerprint(body),
                   replacing)
        log.info("meeting_created", extra=self.ids(zoom_meeting_id=made["id"], replaced=replacing and
                                                   replacing.zoom_meeting_id))
        return SyncResult(meetings.ACTIVE, made["id"], made.get("join_url"))

    def adopt(self, maker: Meeting, slot_key: str, zoom_id: int, host: str, join_url: str | None,
              password: str | None, fp: str, replacing: Meeting | None) -> None:
        """Record a meeting made for a slot on the row that made it (settling its pending create) and on the
        slot's rows of the meeting it replaces."""
        others = []
        if replacing is not None:
            others = [m for m in meetings.live_sharing(self.db, self.tenant_id, replacing.zoom_meeting_id)
                      if m.slot_key == slot_key and m.appointment_id != maker.appointment_id]
        settled = replace(maker, pending_marker=None, pending_host=None, pending_slot=None, pending_at=None)
        self.record()  # the session's rows move to the new meeting together, the old one retires
        self.attach(settled, zoom_id, host, join_url, password, slot_key, fp, force=True)
        for row in others:
            self.attach(row, zoom_id, host, join_url, password, slot_key, fp)
        if replacing is not None:
            self.retire(replacing.zoom_meeting_id, maker.appointment_id, replacing.host_user_id)
        self.retiring_for.add(maker.appointment_id)

    def attach(self, row: Meeting, zoom_id: int, host: str, join_url: str | None, password: str | None,
               slot_key: str, fp: str, *, force: bool = False) -> None:
        """Point one appointment's row and its add-on row at a meeting (force: write even if it looks unchanged)."""
        attached = replace(row, zoom_meeting_id=zoom_id, host_user_id=host, join_url=join_url, password=password,
                           slot_key=slot_key, fingerprint=fp, state=meetings.ACTIVE, last_error=None)
        self.record()
        if force or attached != row:
            meetings.save(self.db, attached)
        addon_data.set_meeting_data(self.db, self.tenant_id, row.appointment_id, {
            "id": zoom_id, "join_url": join_url or "", "password": password or "",
            "start_url": host_link(self.ctx, self.tenant_id, row.appointment_id)})

    def _detach(self, row: Meeting, *, delete: bool) -> SyncResult:
        """The appointment needs no meeting: detach it, deleting the meeting on Zoom when told to."""
        if delete:
            self._delete(row.zoom_meeting_id)
        self.record()
        if row.state != meetings.DELETED:
            meetings.set_state(self.db, self.tenant_id, row.appointment_id, meetings.DELETED)
        addon_data.delete_meeting_data(self.db, self.tenant_id, row.appointment_id)
        return SyncResult(meetings.DELETED)

    def retire(self, zoom_id: int, appointment_id: int | None = None, host: str | None = None) -> None:
        """Record that a meeting must go once no live row carries it (kept until Zoom confirms)."""
        if host is None:
            carriers = meetings.live_sharing(self.db, self.tenant_id, zoom_id)
            host = carriers[0].host_user_id if carriers else None
        self.record()
        deletions.record(self.db, self.tenant_id, zoom_id, host, appointment_id or self.appointment_id)

    def delete_retired(self) -> None:
        """Delete on Zoom the meetings this sync's appointments left behind and nobody carries any more.

        One still carried by a live row is dropped from the list (the plan records it again if it must go).
        Raises:
            OldMeetingNotDeleted: Zoom failed the delete; the meeting stays recorded and the appointment's
                job retries (a refusal such as "not the host" is only noted: reconcile shows it).
            ZoomRateLimited, DomainError: Zoom's limits or the connection; the job waits as for any call.
        """
        for appointment_id in sorted(self.retiring_for):
            for doomed in deletions.of_appointment(self.db, self.tenant_id, appointment_id):
                if not meetings.live_sharing(self.db, self.tenant_id, doomed.zoom_meeting_id):
                    # A failure is noted at once (nothing is open after a Zoom call): it outlives the error.
                    try:
                        self._delete(doomed.zoom_meeting_id)
                    except ZoomBadRequest as exc:
                        deletions.failed(self.db, self.tenant_id, doomed.zoom_meeting_id, str(exc))
                        log.warning("meeting_delete_refused", extra=self.ids(zoom_meeting_id=doomed.zoom_meeting_id))
                        continue
                    except ZoomRateLimited as exc:
                        deletions.failed(self.db, self.tenant_id, doomed.zoom_meeting_id, str(exc))
                        raise
                    except ZoomError as exc:
                        deletions.failed(self.db, self.tenant_id, doomed.zoom_meeting_id, str(exc))
                        raise OldMeetingNotDeleted(f"meeting {doomed.zoom_meeting_id}, which appointment "
                                                   f"{appointment_id} left behind, is not deleted yet: {exc}") from exc
                self.record()
                deletions.done(self.db, self.tenant_id, doomed.zoom_meeting_id)

    def _delete(self, zoom_id: int) -> None:
        """Delete the meeting on Zoom. Gone already counts as done, and so does a meeting that was held:
        Zoom keeps those whatever is asked (3002 in progress, 3007 ended)."""
        try:
            existed = self.zoom().delete_meeting(self.tokens, zoom_id)
        except ZoomBadRequest as exc:
            if exc.code not in HELD_MEETING_CODES:
                raise
            log.info("meeting_kept_by_zoom", extra=self.ids(zoom_meeting_id=zoom_id, zoom_code=exc.code))
            return
        log.info("meeting_deleted", extra=self.ids(zoom_meeting_id=zoom_id, already_gone=not existed))

    def _recreated(self, lost_id: int, result: SyncResult) -> None:
        """Record that a moved booking got a new meeting because Zoom no longer had its old one."""
        self.record()
        events.record(self.db, self.tenant_id, events.MEETING_RECREATED,
                      f"Zoom no longer had meeting {lost_id}; the moved booking got meeting {result.meeting_id}",
                      self.appointment_id)
        log.warning("meeting_recreated", extra=self.ids(lost_zoom_meeting_id=lost_id,
                                                        zoom_meeting_id=result.meeting_id))


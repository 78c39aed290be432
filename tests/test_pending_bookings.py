"""Which bookings get meetings: pending and approved (the add-on's rule, the default) or approved only;
switching it queues a sync of every upcoming appointment, so meetings come and go at once."""
from __future__ import annotations

from sidecar.services.reconcile import reconcile
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.meetings import drain, live_meetings, meeting_row


def _meetings_for(shim, tenant_id: int, choice: str) -> dict:
    answer = shim.as_tenant(tenant_id).put("/v1/tenant/zoom/settings", json={"meetings_for": choice})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_pending_bookings_get_meetings_by_default(zoom_ready, booknetic, emulator):
    appt = booknetic.appointment(zoom_ready.world, status="pending")
    assert zoom_ready.sync(appt).state == "active"


def test_approved_only_gives_pending_bookings_no_meeting_until_approved(zoom_ready, booknetic, emulator, shim):
    _meetings_for(shim, zoom_ready.tenant_id, "approved")
    appt = booknetic.appointment(zoom_ready.world, status="pending")

    assert zoom_ready.sync(appt).state == "none" and live_meetings(emulator) == []

    booknetic.update_appointment(appt, status="approved")
    assert zoom_ready.sync(appt).state == "active" and len(live_meetings(emulator)) == 1


def test_switching_queues_upcoming_appointments_and_meetings_follow(zoom_ready, booknetic, emulator, shim,
                                                                   config):
    pending = booknetic.appointment(zoom_ready.world, status="pending")
    approved = booknetic.appointment(zoom_ready.world, starts_at=DEFAULT_START + 3600, status="approved")
    past = booknetic.appointment(zoom_ready.world, starts_at=1_600_000_000, status="pending")
    for appt in (pending, approved):
        zoom_ready.sync(appt)

    _meetings_for(shim, zoom_ready.tenant_id, "approved")
    queued = {r["appointment_id"] for r in booknetic.db.query("SELECT appointment_id FROM {jobs}")}
    assert queued == {pending, approved}  # upcoming ones only
    drain(config)

    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, pending).state == "deleted"
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, approved).state == "active"
    assert len(live_meetings(emulator)) == 1 and meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, past) is None

    _meetings_for(shim, zoom_ready.tenant_id, "pending_and_approved")
    drain(config)
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, pending).state == "active"


def test_saving_the_same_choice_queues_nothing(zoom_ready, booknetic, shim):
    booknetic.appointment(zoom_ready.world, status="pending")
    _meetings_for(shim, zoom_ready.tenant_id, "pending_and_approved")
    assert booknetic.db.query("SELECT * FROM {jobs}") == []


def test_reconcile_does_not_count_a_pending_booking_as_missing_under_approved_only(zoom_ready, booknetic, shim):
    _meetings_for(shim, zoom_ready.tenant_id, "approved")
    booknetic.appointment(zoom_ready.world, status="pending")
    assert reconcile(zoom_ready.ctx, zoom_ready.tenant_id).findings == []

"""SPEC section 2's table, row by row, against the pure planner: no database, no Zoom."""
from __future__ import annotations

from dataclasses import replace

from sidecar.booknetic.appointments import Appointment
from sidecar.services.meeting_request import fingerprint
from sidecar.services.sync.plan import Create, Delete, Join, Leave, NewHost, Nothing, Patch, Situation, plan
from sidecar.store.meetings import Meeting

START = 1_894_284_000  # 2030-01-10T14:00:00Z
HOST, OTHER_HOST = "zoom-user-1", "zoom-user-2"


def booking(id_=1, *, status="approved", starts_at=START) -> Appointment:
    return Appointment(id=id_, tenant_id=3, status=status, starts_at=starts_at, ends_at=starts_at + 2700,
                       busy_to=starts_at + 2700, staff_id=5, service_id=7, location_id=None, customer_id=9,
                       staff_name="John Smith", service_name="Consultation", customer_first_name="Ann",
                       customer_last_name="Lee", customer_email="ann@example.com")


def wanted(appt: Appointment) -> dict:
    return {"topic": "Consultation", "type": 2, "start_time": f"@{appt.starts_at}", "duration": 45, "timezone": "UTC"}


def meeting_of(appt: Appointment, *, zoom_id=100, host=HOST, state="active", fp=None) -> Meeting:
    return Meeting(tenant_id=3, appointment_id=appt.id, zoom_meeting_id=zoom_id, host_user_id=host,
                   join_url=f"https://zoom.example/j/{zoom_id}", password="123456", slot_key=appt.slot_key,
                   fingerprint=fp or fingerprint(wanted(appt)), state=state, last_error=None)


def needs_meeting(appt: Appointment, row: Meeting | None, **more) -> Situation:
    return Situation(appt, row, HOST, wanted(appt), **more)


def test_a_booking_that_needs_a_meeting_and_has_none_gets_one_created():
    appt = booking()
    assert plan(needs_meeting(appt, None)) == Create(appt, wanted(appt), HOST)


def test_a_changed_time_duration_topic_or_timezone_patches_the_meeting():
    appt = booking()
    row = meeting_of(appt, fp='{"start_time":"before"}')
    assert plan(needs_meeting(appt, row)) == Patch(appt, row, wanted(appt))


def test_a_new_zoom_user_for_the_staff_creates_under_the_new_host():
    appt = booking()
    row = meeting_of(appt, host=OTHER_HOST)
    assert plan(needs_meeting(appt, row)) == NewHost(appt, row, wanted(appt), HOST)


def test_a_booking_that_stops_needing_its_meeting_deletes_it():
    appt = booking(status="canceled")
    row = meeting_of(appt)
    assert plan(Situation(appt, row, None, None)) == Delete(row)  # canceled, toggle off, unlinked: host None
    assert plan(Situation(None, row, None, None)) == Delete(row)  # deleted in Booknetic


def test_without_zoom_for_the_tenant_nothing_is_touched():
    appt = booking()
    row = meeting_of(appt)
    assert plan(needs_meeting(appt, row, zoom_on=False)) == Nothing(row)
    assert plan(Situation(appt, None, None, None, zoom_on=False)) == Nothing(None)


def test_a_meeting_a_person_deleted_on_zoom_is_not_recreated():
    appt = booking()
    row = meeting_of(appt, state="deleted_on_zoom")
    assert plan(needs_meeting(appt, row)) == Nothing(row)


def test_a_moved_booking_whose_meeting_zoom_lost_gets_a_new_one_on_repair():
    appt = booking(starts_at=START + 600)
    row = replace(meeting_of(booking()), state="deleted_on_zoom")
    assert plan(needs_meeting(appt, row, repair=True)) == Create(appt, wanted(appt), HOST)


def test_a_moved_booking_whose_meeting_a_person_deleted_on_zoom_gets_a_new_one():
    appt = booking(starts_at=START + 600)
    row = meeting_of(booking(), state="deleted_on_zoom")
    assert plan(needs_meeting(appt, row)) == Create(appt, wanted(appt), HOST, lost=100)


def test_a_booking_whose_details_or_host_changed_after_its_meeting_was_deleted_on_zoom_gets_a_new_one():
    appt = booking()
    changed_topic = meeting_of(appt, state="deleted_on_zoom", fp='{"topic":"before"}')
    assert plan(needs_meeting(appt, changed_topic)) == Create(appt, wanted(appt), HOST, lost=100)
    other_host = meeting_of(appt, state="deleted_on_zoom", host=OTHER_HOST)
    assert plan(needs_meeting(appt, other_host)) == Create(appt, wanted(appt), HOST, lost=100)


def test_a_canceled_booking_whose_meeting_was_deleted_on_zoom_needs_no_zoom_call():
    appt = booking(status="canceled")
    row = meeting_of(appt, state="deleted_on_zoom")
    assert plan(Situation(appt, row, None, None)) == Leave(row)


def test_an_unchanged_booking_sits_on_its_meeting_without_calling_zoom():
    appt = booking()
    row = meeting_of(appt)
    assert plan(needs_meeting(appt, row)) == Join(appt, row)


def test_a_group_booking_joins_the_meeting_of_its_session():
    first, second = booking(1), booking(2)
    session_meeting = meeting_of(first)
    assert plan(needs_meeting(second, None, neighbours=(session_meeting,))) == Join(second, session_meeting)


def test_a_group_booking_that_leaves_keeps_the_meeting_for_the_others():
    first, second = booking(1, status="canceled"), booking(2)
    row = meeting_of(first)
    assert plan(Situation(first, row, None, None, sharers=(meeting_of(second),))) == Leave(row)


def test_a_moved_session_takes_its_meeting_along_when_nobody_is_left_behind():
    old, appt = booking(), booking(starts_at=START + 3600)
    row = meeting_of(old)
    assert plan(needs_meeting(appt, row)) == Patch(appt, row, wanted(appt))


def test_a_mover_leaving_others_behind_gets_a_new_meeting_and_keeps_theirs():
    old, appt = booking(), booking(starts_at=START + 3600)
    row = meeting_of(old)
    stayed = booking(2)
    # moving_from: the old meeting is deleted afterwards only if nobody has it any more
    assert plan(needs_meeting(appt, row, left_behind=(stayed,))) == Create(appt, wanted(appt), HOST, moving_from=100)


def test_a_mover_into_a_slot_with_a_meeting_joins_it_and_lets_its_old_one_go():
    old, appt = booking(), booking(starts_at=START + 3600)
    row, there = meeting_of(old), meeting_of(booking(2, starts_at=START + 3600), zoom_id=200)
    assert plan(needs_meeting(appt, row, neighbours=(there,))) == Join(appt, there, moving_from=100)

"""Browser pages behind meeting links: `/s/{id}?zak=` (host start) and `/j/{id}?pwd=` (join)."""
from __future__ import annotations

from html import escape

from flask import Blueprint, request

from .context import current

bp = Blueprint("pages", __name__)


@bp.get("/s/<int:meeting_id>")
def start_page(meeting_id: int):
    """Answer 200 "meeting started" for a fresh zak, 410 for an expired one, 403 for an unknown one."""
    state = current().state
    with state.lock:
        grant = state.zaks.get(request.args.get("zak", ""))
        meeting = state.meetings.get(meeting_id)
    if grant is None or grant[0] != meeting_id or meeting is None or meeting.deleted:
        return "<!doctype html><p id='error'>This start link is not valid.</p>", 403
    if grant[1] < state.clock.now():
        return "<!doctype html><p id='error'>This start link has expired.</p>", 410
    return f"<!doctype html><h1 id='started'>Meeting started</h1><p>{escape(meeting.topic)}</p>", 200


@bp.get("/j/<int:meeting_id>")
def join_page(meeting_id: int):
    """Answer 200 for a live meeting with the current passcode in `pwd`, else 404."""
    state = current().state
    with state.lock:
        meeting = state.meetings.get(meeting_id)
    if meeting is None or meeting.deleted or request.args.get("pwd") != meeting.encrypted_password:
        return "<!doctype html><p id='error'>This meeting link is not valid.</p>", 404
    return f"<!doctype html><h1 id='join'>Join meeting</h1><p>{escape(meeting.topic)}</p>", 200

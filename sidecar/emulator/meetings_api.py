"""REST `/v2` meeting endpoints: create, list per host, get (fresh start_url), update, delete."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from . import meetings, security, webhooks
from .api import ApiError, authorize, charge_host, find_meeting, find_user, page, validated_body
from .context import current

bp = Blueprint("meetings", __name__, url_prefix="/v2")

STARTED = {"code": 3000, "message": "You cannot update or delete meetings that have started using this method."}
IN_PROGRESS = {"code": 3002, "message": "Sorry, you cannot delete this meeting since it is in progress."}
# zoom-api.md gives the code only; the message is ours, in the style of 3002's.
ENDED = {"code": 3007, "message": "Sorry, you cannot delete this meeting since it has ended."}
NOT_HOSTING = {"code": 3161, "message": "Meeting hosting and scheduling capabilities are not allowed for your "
                                        "user account."}


def _base_url() -> str:
    return request.host_url.rstrip("/")


def _check_passcode(account_id: str, body: dict) -> None:
    """Refuse a passcode that breaks the account's rules (security.py says what Zoom answers)."""
    if body.get("password") and security.passcode_problem(current().state.account(account_id).passcode_rules,
                                                          body["password"]):
        raise ApiError(400, {"code": 300, "message": "Invalid parameter: password.",
                             "errors": [{"field": "password", "message": "Invalid field."}]})


@bp.post("/users/<user_ref>/meetings")
def create_meeting(user_ref: str):
    """Create a meeting hosted by the user; 201 with the full meeting object."""
    token = authorize()
    host = find_user(token, user_ref, "meeting:write:meeting", "meeting:write")
    body = validated_body()
    if host.status != "active":
        raise ApiError(400, NOT_HOSTING)
    _check_passcode(host.account_id, body)
    charge_host(host.id)
    state = current().state
    meeting = meetings.create(state, host, body)
    current().recorder.count("meetings_created_by_host", host.id)
    return jsonify(meetings.as_json(state, meeting, _base_url())), 201


@bp.get("/users/<user_ref>/meetings")
def list_meetings(user_ref: str):
    """List the user's meetings (type scheduled, upcoming or live) with a cursor."""
    token = authorize()
    host = find_user(token, user_ref, "meeting:read:list_meetings", "meeting:read")
    kind = request.args.get("type", "scheduled")
    if kind not in ("scheduled", "upcoming", "live"):
        raise ApiError(400, {"code": 300, "message": "Validation Failed.",
                             "errors": [{"field": "type", "message": "Invalid field."}]})
    found = meetings.listed(current().state, host.id, kind)
    chunk, paging = page(f"meetings:{host.id}:{kind}", found, 30, 300)
    paging = {k: paging[k] for k in ("page_size", "total_records", "next_page_token")}
    return jsonify({**paging, "meetings": [meetings.list_item(m, _base_url()) for m in chunk]})


@bp.get("/meetings/<meeting_id>")
def get_meeting(meeting_id: str):
    """Return the meeting with a freshly minted start_url."""
    token = authorize()
    meeting = find_meeting(token, meeting_id, "meeting:read:meeting", "meeting:read")
    return jsonify(meetings.as_json(current().state, meeting, _base_url()))


@bp.patch("/meetings/<meeting_id>")
def update_meeting(meeting_id: str):
    """Partially update a meeting; 204 with an empty body."""
    token = authorize()
    meeting = find_meeting(token, meeting_id, "meeting:update:meeting", "meeting:write")
    body = validated_body()
    if meeting.status == "started":
        raise ApiError(400, STARTED)
    _check_passcode(meeting.account_id, body)
    charge_host(meeting.host_id)
    meetings.update(current().state, meeting, body)
    return "", 204


@bp.delete("/meetings/<meeting_id>")
def delete_meeting(meeting_id: str):
    """Delete a meeting (204) and send `meeting.deleted` to subscribed apps; a second delete is 404 3001."""
    token = authorize()
    meeting = find_meeting(token, meeting_id, "meeting:delete:meeting", "meeting:write")
    state = current().state
    with state.lock:  # check and mark together so two concurrent deletes cannot both succeed
        if meeting.deleted:
            raise ApiError(404, {"code": 3001, "message": f"Meeting {meeting_id} is not found or has expired."})
        if meeting.status == "started":
            raise ApiError(400, IN_PROGRESS)
        if meeting.ended:
            raise ApiError(400, ENDED)
        meeting.deleted = True
    webhooks.announce_deleted(current(), meeting, state.users.get(token.user_id))
    return "", 204

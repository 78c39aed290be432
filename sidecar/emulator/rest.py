"""REST API under `/v2`: users (me, one, list) and meetings (create, list, get, update, delete).

Every call needs a live bearer token (else 401 code 124), is charged to the token's account rate
limits (X-RateLimit-* headers on success), and acts only within the token's account: users or
meetings of other accounts answer 404 as if they did not exist. Acting on a user other than the
token's own needs the `:admin` (or classic) scope, else 400 code 4711.
"""
from __future__ import annotations

import math

from flask import Blueprint, g, jsonify, request

from . import limits, meetings, webhooks
from .context import current
from .limits import RateLimited
from .meetings import ValidationFailed
from .models import Meeting, Token, User
from .tokens import bearer

bp = Blueprint("rest", __name__, url_prefix="/v2")

CATEGORY = {"get_user": "Light", "list_users": "Medium", "create_meeting": "Medium", "list_meetings": "Medium",
            "get_meeting": "Light", "update_meeting": "Light", "delete_meeting": "Light"}


class ApiError(Exception):
    """A Zoom error answered as `{"code", "message"[, "errors"]}` with an HTTP status and headers."""

    def __init__(self, status: int, body: dict, headers: dict | None = None) -> None:
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body
        self.headers = headers or {}


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return jsonify(exc.body), exc.status, exc.headers


@bp.after_request
def _rate_headers(response):
    if response.status_code < 300:
        response.headers.update(g.get("rate_headers", {}))
    return response


def _authorize() -> Token:
    """Check the bearer token and charge the account's rate limit for this endpoint."""
    header = request.headers.get("Authorization", "")
    token = bearer(current().state, header[7:].strip()) if header[:7].lower() == "bearer " else None
    if token is None:
        raise ApiError(401, {"code": 124, "message": "Invalid access token."})
    category = CATEGORY[request.endpoint.split(".")[-1]]
    try:
        g.rate_headers = limits.charge_account(current().state, token.account_id, category)
    except RateLimited as exc:
        raise ApiError(429, exc.body(), exc.headers) from None
    return token


def _require_scope(token: Token, granular: str, classic: str, other_user: bool) -> None:
    """Refuse with 4711 unless the token has a scope for this operation (`:admin` for other users)."""
    wanted = [f"{granular}:admin", f"{classic}:admin"]
    if not other_user:
        wanted += [granular, classic]
    if not set(wanted) & set(token.scopes):
        raise ApiError(400, {"code": 4711, "message": f"Invalid access token, does not contain scopes:[{wanted[0]}]."})


def _user(token: Token, user_ref: str, granular: str, classic: str) -> User:
    """Resolve `me`, an id or an email within the token's account, checking scopes."""
    state = current().state
    user = state.users.get(token.user_id) if user_ref == "me" else state.find_user(token.account_id, user_ref)
    if user is None:
        raise ApiError(404, {"code": 1001, "message": f"User does not exist: {user_ref}."})
    _require_scope(token, granular, classic, other_user=user.id != token.user_id)
    return user


def _meeting(token: Token, meeting_id: str, granular: str, classic: str) -> Meeting:
    """Return a live meeting of the token's account, checking scopes."""
    state = current().state
    meeting = state.meetings.get(int(meeting_id)) if meeting_id.isdigit() else None
    if meeting is None or meeting.deleted or meeting.account_id != token.account_id:
        raise ApiError(404, {"code": 3001, "message": f"Meeting {meeting_id} is not found or has expired."})
    _require_scope(token, granular, classic, other_user=meeting.host_id != token.user_id)
    return meeting


def _page(key: str, items: list, default_size: int, max_size: int) -> tuple[list, dict]:
    """Cut one page out of items using page_size and next_page_token; return it with paging fields."""
    state = current().state
    try:
        size = min(max(int(request.args.get("page_size", default_size)), 1), max_size)
    except ValueError:
        raise ApiError(400, {"code": 300, "message": "Validation Failed.",
                             "errors": [{"field": "page_size", "message": "Invalid field."}]}) from None
    offset = 0
    if request.args.get("next_page_token"):
        offset = state.page_offset(request.args["next_page_token"], key)
        if offset is None:
            raise ApiError(400, {"code": 300, "message": "The next page token is invalid or expired."})
    chunk = items[offset:offset + size]
    more = offset + size < len(items)
    return chunk, {"page_size": size, "total_records": len(items),
                   "next_page_token": state.new_page_token(key, offset + size) if more else "",
                   "page_count": math.ceil(len(items) / size), "page_number": offset // size + 1}


def _validated_body() -> dict:
    try:
        return meetings.validate(request.get_json(force=True, silent=True))
    except ValidationFailed as exc:
        raise ApiError(400, exc.body()) from None


def _charge_host(host_id: str) -> None:
    try:
        limits.check_user_meetings(current().state, host_id, CATEGORY[request.endpoint.split(".")[-1]])
    except RateLimited as exc:
        raise ApiError(429, exc.body(), exc.headers) from None


@bp.get("/users/<user_ref>")
def get_user(user_ref: str):
    """Return one user (`me`, id or email) of the token's account."""
    token = _authorize()
    return jsonify(_user(token, user_ref, "user:read:user", "user:read").as_json())


@bp.get("/users")
def list_users():
    """List the account's users with a status filter and a next_page_token cursor."""
    token = _authorize()
    _require_scope(token, "user:read:list_users", "user:read", other_user=True)
    status = request.args.get("status", "active")
    state = current().state
    with state.lock:
        users = sorted((u for u in state.users.values() if u.account_id == token.account_id and u.status == status),
                       key=lambda u: u.created_at)
    chunk, paging = _page(f"users:{token.account_id}:{status}", users, 30, 2000)
    return jsonify({**paging, "users": [u.as_json(include_id=u.status != "pending") for u in chunk]})


@bp.post("/users/<user_ref>/meetings")
def create_meeting(user_ref: str):
    """Create a meeting hosted by the user; 201 with the full meeting object."""
    token = _authorize()
    host = _user(token, user_ref, "meeting:write:meeting", "meeting:write")
    body = _validated_body()
    if host.status != "active":
        raise ApiError(400, {"code": 3161, "message": "Meeting hosting and scheduling capabilities are not "
                                                      "allowed for your user account."})
    _charge_host(host.id)
    state = current().state
    meeting = meetings.create(state, host, body)
    g.rate_headers = limits.charge_user_meetings(state, host.id, "Medium")
    current().recorder.count("meetings_created_by_host", host.id)
    return jsonify(meetings.as_json(state, meeting, request.host_url.rstrip("/"))), 201


@bp.get("/users/<user_ref>/meetings")
def list_meetings(user_ref: str):
    """List the user's meetings (type scheduled, upcoming or live) with a cursor."""
    token = _authorize()
    host = _user(token, user_ref, "meeting:read:list_meetings", "meeting:read")
    kind = request.args.get("type", "scheduled")
    if kind not in ("scheduled", "upcoming", "live"):
        raise ApiError(400, {"code": 300, "message": "Validation Failed.",
                             "errors": [{"field": "type", "message": "Invalid field."}]})
    found = meetings.listed(current().state, host.id, kind)
    chunk, paging = _page(f"meetings:{host.id}:{kind}", found, 30, 300)
    base = request.host_url.rstrip("/")
    paging = {k: paging[k] for k in ("page_size", "total_records", "next_page_token")}
    return jsonify({**paging, "meetings": [meetings.list_item(m, base) for m in chunk]})


@bp.get("/meetings/<meeting_id>")
def get_meeting(meeting_id: str):
    """Return the meeting with a freshly minted start_url."""
    token = _authorize()
    meeting = _meeting(token, meeting_id, "meeting:read:meeting", "meeting:read")
    return jsonify(meetings.as_json(current().state, meeting, request.host_url.rstrip("/")))


@bp.patch("/meetings/<meeting_id>")
def update_meeting(meeting_id: str):
    """Partially update a meeting; 204 with an empty body."""
    token = _authorize()
    meeting = _meeting(token, meeting_id, "meeting:update:meeting", "meeting:write")
    body = _validated_body()
    if meeting.status == "started":
        raise ApiError(400, {"code": 3000, "message": "You cannot update or delete meetings that have started "
                                                      "using this method."})
    _charge_host(meeting.host_id)
    state = current().state
    meetings.update(state, meeting, body)
    g.rate_headers = limits.charge_user_meetings(state, meeting.host_id, "Light")
    return "", 204


@bp.delete("/meetings/<meeting_id>")
def delete_meeting(meeting_id: str):
    """Delete a meeting (204) and send `meeting.deleted` to subscribed apps; a second delete is 404 3001."""
    token = _authorize()
    meeting = _meeting(token, meeting_id, "meeting:delete:meeting", "meeting:write")
    if meeting.status == "started":
        raise ApiError(400, {"code": 3002, "message": "Sorry, you cannot delete this meeting since it is in "
                                                      "progress."})
    state = current().state
    with state.lock:
        meeting.deleted = True
    operator = state.users.get(token.user_id)
    webhooks.announce_deleted(current(), meeting, operator)
    return "", 204

"""Shared plumbing of the REST API under `/v2`: errors, bearer check, rate charging, scopes, paging.

Every call needs a live bearer token (else 401 code 124), is charged to the token's account rate
limits (X-RateLimit-* headers on success), and acts only within the token's account: users or
meetings of other accounts answer 404 as if they did not exist. Acting on a user other than the
token's own needs the `:admin` (or classic) scope, else 400 code 4711.
"""
from __future__ import annotations

import math

from flask import g, jsonify, request

from . import limits, meetings
from .context import current
from .limits import RateLimited
from .meetings import ValidationFailed
from .models import Meeting, Token, User
from .tokens import bearer

CATEGORY = {"get_user": "Light", "get_user_settings": "Medium", "list_users": "Medium", "create_meeting": "Medium",
            "list_meetings": "Medium", "get_meeting": "Light", "update_meeting": "Light", "delete_meeting": "Light"}


class ApiError(Exception):
    """A Zoom error answered as `{"code", "message"[, "errors"]}` with an HTTP status and headers."""

    def __init__(self, status: int, body: dict, headers: dict | None = None) -> None:
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body
        self.headers = headers or {}


def answer_error(exc: ApiError):
    """Turn an ApiError into Zoom's JSON error answer (registered app-wide)."""
    return jsonify(exc.body), exc.status, exc.headers


def add_rate_headers(response):
    """Put the X-RateLimit-* headers computed for this call on a successful answer."""
    if response.status_code < 300:
        response.headers.update(g.get("rate_headers", {}))
    return response


def authorize() -> Token:
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


def require_scope(token: Token, granular: str, classic: str, other_user: bool) -> None:
    """Refuse with 4711 unless the token has a scope for this operation (`:admin` for other users)."""
    wanted = [f"{granular}:admin", f"{classic}:admin"]
    if not other_user:
        wanted += [granular, classic]
    if not set(wanted) & set(token.scopes):
        raise ApiError(400, {"code": 4711, "message": f"Invalid access token, does not contain scopes:[{wanted[0]}]."})


def find_user(token: Token, user_ref: str, granular: str, classic: str) -> User:
    """Resolve `me`, an id or an email within the token's account, checking scopes."""
    state = current().state
    user = state.users.get(token.user_id) if user_ref == "me" else state.find_user(token.account_id, user_ref)
    if user is None:
        raise ApiError(404, {"code": 1001, "message": f"User does not exist: {user_ref}."})
    require_scope(token, granular, classic, other_user=user.id != token.user_id)
    return user


def find_meeting(token: Token, meeting_id: str, granular: str, classic: str) -> Meeting:
    """Return a live meeting of the token's account, checking scopes."""
    state = current().state
    meeting = state.meetings.get(int(meeting_id)) if meeting_id.isdigit() else None
    if meeting is None or meeting.deleted or meeting.account_id != token.account_id:
        raise ApiError(404, {"code": 3001, "message": f"Meeting {meeting_id} is not found or has expired."})
    require_scope(token, granular, classic, other_user=meeting.host_id != token.user_id)
    return meeting


def page(key: str, items: list, default_size: int, max_size: int) -> tuple[list, dict]:
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


def validated_body() -> dict:
    """Return the request's meeting body, validated.

    Raises:
        ApiError: 400 code 300.
    """
    try:
        return meetings.validate(request.get_json(force=True, silent=True))
    except ValidationFailed as exc:
        raise ApiError(400, exc.body()) from None


def charge_host(host_id: str) -> None:
    """Count one create/update against the host's daily limit and keep its headers for the answer.

    Raises:
        ApiError: 429 Daily-limit.
    """
    try:
        g.rate_headers = limits.charge_user_meetings(current().state, host_id,
                                                     CATEGORY[request.endpoint.split(".")[-1]])
    except RateLimited as exc:
        raise ApiError(429, exc.body(), exc.headers) from None

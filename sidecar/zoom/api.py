"""Zoom's REST API (/v2): the signed-in user, account users and meetings (one thin method per endpoint,
which is why it is just over 200 lines)."""
from __future__ import annotations

import logging
from typing import Any, Callable, Iterator, Protocol
from urllib.parse import quote

import requests

from sidecar.zoom.errors import (ZoomAuthError, ZoomNotFound, ZoomOutcomeUnknown, ZoomUnavailable,
                                 api_error, response_json)
from sidecar.zoom.transport import Transport

log = logging.getLogger("sidecar.zoom")

AGENDA_MAX = 2000
# GET /users/{userId}/meetings truncates each agenda to this many characters (Zoom's reference).
LIST_AGENDA_MAX = 250
PAGE_SIZE = 300


class TokenProvider(Protocol):
    """Where the API gets access tokens; the store-backed implementation lives outside zoom/."""

    def access_token(self) -> str:
        """A currently valid access token (refreshing it if due)."""

    def mark_expired(self, token: str) -> None:
        """Zoom rejected `token`: the next access_token() must return a new one."""


def agenda_with_marker(agenda: str | None, marker: str) -> str:
    """`agenda` with `marker` as its last line, shortened so the whole fits Zoom's 2000 characters.

    Raises: ValueError if the marker is empty, has a line break or leaves no room.
    """
    if not marker or "\n" in marker or "\r" in marker or len(marker) > AGENDA_MAX // 2:
        raise ValueError("marker must be one non-empty line of at most 1000 characters")
    text = (agenda or "").rstrip()
    room = AGENDA_MAX - len(marker) - 1
    if len(text) > room:
        text = text[:room - 3].rstrip() + "..."
    return f"{text}\n{marker}" if text else marker


def carries_marker(agenda: str | None, marker: str) -> bool:
    """Whether one line of `agenda` is exactly `marker`."""
    return _marker_line(agenda, lambda line: line == marker) is not None


def _marker_line(agenda: str | None, is_marker: Callable[[str], bool]) -> str | None:
    """The first line of `agenda` (stripped) that is_marker accepts, or None."""
    return next((line.strip() for line in (agenda or "").splitlines() if is_marker(line.strip())), None)


class ZoomApi:
    """Calls https://api.zoom.us/v2 with tokens from a TokenProvider; knows nothing of bookings."""

    def __init__(self, base_url: str, transport: Transport):
        self.base_url = base_url.rstrip("/")
        self._transport = transport

    def me(self, tokens: TokenProvider) -> dict:
        """The user the token belongs to (GET /users/me): id, account_id, email, timezone, ..."""
        return _json(self._call(tokens, "GET", "/users/me", "/users/me"))

    def user_settings(self, tokens: TokenProvider, user_id: str, option: str | None = None) -> dict:
        """A user's settings (GET /users/{userId}/settings); `option` picks a part, e.g. "meeting_security".

        Raises: ZoomNotFound (1001), ZoomAuthError, ZoomUnavailable.
        """
        params = {"option": option} if option else None
        return _json(self._call(tokens, "GET", f"/users/{_seg(user_id)}/settings", "/users/{userId}/settings",
                                params=params))

    def list_users(self, tokens: TokenProvider, status: str = "active", *, page_size: int = PAGE_SIZE) -> list[dict]:
        """Every user of the account with this status, across all pages (GET /users)."""
        params = {"status": status, "page_size": page_size}
        return list(self._pages(tokens, "/users", "/users", "users", params))

    def create_meeting(self, tokens: TokenProvider, user_id: str, body: dict, marker: str) -> dict:
        """Create a meeting for `user_id` carrying `marker` as the agenda's last line; return Zoom's 201 body.

        Raises: ZoomOutcomeUnknown when the request was sent but its result is unknown (look it up with
        find_meeting_by_marker; it is never resent), ZoomDailyLimit, ZoomRateLimited, ZoomBadRequest,
        ZoomNotFound (user), ZoomAuthError, ZoomUnavailable (provably not sent).
        """
        payload = {**body, "agenda": agenda_with_marker(body.get("agenda"), marker)}
        try:
            resp = self._call(tokens, "POST", f"/users/{_seg(user_id)}/meetings", "/users/{userId}/meetings",
                              idempotent=False, json=payload)
        except ZoomUnavailable as exc:
            if not exc.sent:
                raise
            raise ZoomOutcomeUnknown(exc.message, status=exc.status, code=exc.code,
                                     request_id=exc.request_id) from exc
        meeting = response_json(resp)
        if meeting is None or "id" not in meeting:
            raise ZoomOutcomeUnknown("meeting create answered without a readable meeting",
                                     status=resp.status_code, request_id=resp.headers.get("x-zm-trackingid"))
        return meeting

    def find_meeting_by_marker(self, tokens: TokenProvider, user_id: str, marker: str) -> dict | None:
        """The full meeting of `user_id` whose agenda carries `marker`, or None."""
        return next((meeting for _, meeting in self.marked_meetings(tokens, user_id, lambda line: line == marker)),
                    None)

    def marked_meetings(self, tokens: TokenProvider, user_id: str,
                        is_marker: Callable[[str], bool]) -> Iterator[tuple[str, dict]]:
        """(marker line, full meeting) for each meeting of `user_id` with an agenda line `is_marker` accepts.

        The list cuts agendas to 250 characters, so a meeting whose listed agenda may have been cut is read in
        full (GET) before it is ruled out.
        """
        # "scheduled" covers upcoming, live and unexpired past meetings: a booking starting now still counts.
        params = {"type": "scheduled", "page_size": PAGE_SIZE}
        for item in self._pages(tokens, f"/users/{_seg(user_id)}/meetings", "/users/{userId}/meetings",
                                "meetings", params):
            listed = item.get("agenda")
            if listed is not None and len(listed) < LIST_AGENDA_MAX and _marker_line(listed, is_marker) is None:
                continue  # the whole agenda was listed, without a marker
            try:
                meeting = self.get_meeting(tokens, item["id"])
            except ZoomNotFound:
                continue  # deleted since the list was read
            line = _marker_line(meeting.get("agenda"), is_marker)
            if line is not None:
                yield line, meeting

    def get_meeting(self, tokens: TokenProvider, meeting_id: int | str) -> dict:
        """The meeting as Zoom has it now, with a fresh start_url.

        Raises: ZoomNotFound (3001), ZoomAuthError, ZoomUnavailable.
        """
        return _json(self._call(tokens, "GET", f"/meetings/{_seg(meeting_id)}", "/meetings/{meetingId}"))

    def update_meeting(self, tokens: TokenProvider, meeting_id: int | str, body: dict) -> None:
        """Apply a partial update (PATCH, 204).

        Raises: ZoomNotFound (3001), ZoomBadRequest (3000 started, validation), ZoomDailyLimit,
        ZoomRateLimited, ZoomAuthError, ZoomUnavailable.
        """
        self._call(tokens, "PATCH", f"/meetings/{_seg(meeting_id)}", "/meetings/{meetingId}", json=body)

    def delete_meeting(self, tokens: TokenProvider, meeting_id: int | str) -> bool:
        """Delete the meeting: True if deleted now, False if it was already gone.

        Raises: ZoomBadRequest (3002 in progress, 3007 ended), ZoomAuthError, ZoomUnavailable.
        """
        try:
            self._call(tokens, "DELETE", f"/meetings/{_seg(meeting_id)}", "/meetings/{meetingId}")
        except ZoomNotFound:
            return False
        return True

    def _pages(self, tokens: TokenProvider, path: str, endpoint: str, key: str, params: dict) -> Iterator[dict]:
        """Yield the `key` items of every page, following next_page_token."""
        params = dict(params)
        while True:
            body = _json(self._call(tokens, "GET", path, endpoint, params=params))
            yield from body.get(key) or []
            if not body.get("next_page_token"):
                return
            params["next_page_token"] = body["next_page_token"]

    def _call(self, tokens: TokenProvider, method: str, path: str, endpoint: str, *,
              idempotent: bool = True, **kwargs: Any) -> requests.Response:
        """Send a call with a bearer token; when Zoom rejects the token (401/124), renew it and retry once."""
        token = tokens.access_token()
        try:
            return self._send(method, path, endpoint, token, idempotent, kwargs)
        except ZoomAuthError as exc:
            if exc.status != 401 and exc.code != 124:
                raise  # a missing scope: a new token would not have it either
            log.info("zoom_token_rejected", extra={"method": method, "endpoint": endpoint,
                                                   "tracking_id": exc.request_id})
            tokens.mark_expired(token)
        return self._send(method, path, endpoint, tokens.access_token(), idempotent, kwargs)

    def _send(self, method: str, path: str, endpoint: str, token: str, idempotent: bool,
              kwargs: dict) -> requests.Response:
        """One call through the transport with this token."""
        return self._transport.send(method, self.base_url + path, endpoint=endpoint, idempotent=idempotent,
                                    to_error=api_error, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def _seg(value: int | str) -> str:
    """A path segment, percent-encoded (user ids may be emails)."""
    return quote(str(value), safe="@")


def _json(resp: requests.Response) -> dict:
    """The JSON object of a 2xx answer.

    Raises: ZoomUnavailable when a success answer has no readable JSON object.
    """
    body = response_json(resp)
    if body is None:
        raise ZoomUnavailable("success answer without a JSON object", status=resp.status_code,
                              request_id=resp.headers.get("x-zm-trackingid"))
    return body

"""`EmulatorControl`: the Python helper tests and other processes use to drive `/_emulator/...`."""
from __future__ import annotations

import time

import requests


class EmulatorError(RuntimeError):
    """The control API refused a request."""


class EmulatorControl:
    """Seeds, faults, events and inspection of a running emulator, over HTTP."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.oauth_base_url = self.url
        self.api_base_url = self.url + "/v2"
        self._timeout = timeout
        self._http = requests.Session()

    def _call(self, method: str, path: str, body: dict | None = None, params: dict | None = None):
        """Call the control API and return its decoded JSON.

        Raises:
            EmulatorError: the emulator answered 4xx/5xx.
        """
        response = self._http.request(method, f"{self.url}/_emulator{path}", json=body, params=params,
                                      timeout=self._timeout)
        if response.status_code >= 400:
            raise EmulatorError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    # seeding
    def reset(self) -> None:
        """Forget all data, faults, calls, counters and deliveries; restore starting options."""
        self._call("POST", "/reset")

    def seed_account(self, account_id: str | None = None, timezone: str = "UTC") -> str:
        """Create an account and return its id."""
        return self._call("POST", "/accounts", {"account_id": account_id, "timezone": timezone})["account_id"]

    def set_account_security(self, account_id: str, **changes) -> dict:
        """Change an account's passcode_rules ({"length": 8, "have_letter": true, ...}) or require_password."""
        return self._call("PUT", f"/accounts/{account_id}", changes)

    def seed_user(self, account_id: str, email: str, first_name: str = "", last_name: str = "", *,
                  status: str = "active", role_name: str = "Member", timezone: str | None = None,
                  password: str = "", user_type: int = 2) -> dict:
        """Create a user and return Zoom's user object (with `id`, even when pending)."""
        body = {"account_id": account_id, "email": email, "first_name": first_name, "last_name": last_name,
                "status": status, "role_name": role_name, "timezone": timezone, "password": password,
                "type": user_type}
        return self._call("POST", "/users", body)

    def seed_oauth_app(self, redirect_uri: str, **fields) -> dict:
        """Create an OAuth app; fields: client_id, client_secret, secret_token, scopes, webhook_url."""
        return self._call("POST", "/apps", {"kind": "oauth", "redirect_uri": redirect_uri, **fields})

    def seed_s2s_app(self, account_id: str, **fields) -> dict:
        """Create an S2S app for an account; fields as for seed_oauth_app."""
        return self._call("POST", "/apps", {"kind": "s2s", "account_id": account_id, **fields})

    def update_app(self, client_id: str, **fields) -> dict:
        """Change an app's webhook_url, scopes or redirect_uri."""
        return self._call("PUT", f"/apps/{client_id}", fields)

    # options, clock, tokens
    def options(self) -> dict:
        """Return the current options."""
        return self._call("GET", "/options")

    def set_options(self, **changes) -> dict:
        """Change options (e.g. access_token_ttl=2, qps={"Medium": 1}, user_daily_meeting_limit=3)."""
        return self._call("PUT", "/options", changes)

    def advance_clock(self, seconds: float) -> float:
        """Fast-forward the emulated clock; return the emulated Unix time."""
        return self._call("POST", "/clock/advance", {"seconds": seconds})["now"]

    def issue_tokens(self, client_id: str, email: str) -> dict:
        """Authorize an OAuth app for a user without the browser and return the token JSON."""
        return self._call("POST", "/tokens", {"client_id": client_id, "email": email})

    def expire_tokens(self, **match) -> int:
        """Expire live access tokens matching account_id/client_id/user_id; return how many."""
        return self._call("POST", "/tokens/expire", match)["expired"]

    def revoke_tokens(self, **match) -> int:
        """Revoke tokens matching account_id/client_id/user_id (e.g. an account's); return how many."""
        return self._call("POST", "/tokens/revoke", match)["revoked"]

    # events
    def deauthorize(self, client_id: str, user_id: str, url: str | None = None, wait: bool = True) -> dict:
        """Uninstall an app for a user (id or email) and send `app_deauthorized` to url or the app's webhook_url."""
        return self._call("POST", "/deauthorize", {"client_id": client_id, "user_id": user_id, "url": url,
                                                   "wait": wait})

    def delete_meeting_on_zoom(self, meeting_id: int, url: str | None = None, secret_token: str | None = None,
                               wait: bool = True) -> list[dict]:
        """Delete a meeting as its host would; send `meeting.deleted` to url (or subscribed apps)."""
        return self._call("POST", f"/meetings/{meeting_id}/delete",
                          {"url": url, "secret_token": secret_token, "wait": wait})["deliveries"]

    def start_meeting(self, meeting_id: int) -> None:
        """Mark a meeting started."""
        self._call("POST", f"/meetings/{meeting_id}/start")

    def end_meeting(self, meeting_id: int) -> None:
        """Mark a meeting held and over."""
        self._call("POST", f"/meetings/{meeting_id}/end")

    def validate_url(self, url: str, secret_token: str | None = None, client_id: str | None = None) -> dict:
        """Send a CRC to url; return {"ok", "status", "reason"}."""
        return self._call("POST", "/webhooks/validate", {"url": url, "secret_token": secret_token,
                                                         "client_id": client_id})

    def webhooks(self) -> list[dict]:
        """Return every webhook delivery with attempts."""
        return self._call("GET", "/webhooks")

    def wait_for_webhooks(self, count: int, timeout: float = 10.0) -> list[dict]:
        """Wait until at least `count` deliveries are done and return them all.

        Raises:
            TimeoutError: fewer were done in time.
        """
        deadline = time.monotonic() + timeout
        while True:
            found = self.webhooks()
            if sum(d["done"] for d in found) >= count:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(found)} webhook deliveries, wanted {count} done")
            time.sleep(0.05)

    # faults
    def add_fault(self, kind: str, count: int = 1, endpoint: str | None = None, method: str | None = None,
                  **fields) -> dict:
        """Plan a fault: kind error|hang|rate_limit|invalid_grant|xml; fields status, seconds, limit_type."""
        return self._call("POST", "/faults", {"kind": kind, "count": count, "endpoint": endpoint,
                                              "method": method, **fields})

    def fail_next(self, count: int = 1, status: int = 500, endpoint: str | None = None,
                  method: str | None = None) -> dict:
        """Make the next calls answer a 5xx (or any status)."""
        return self.add_fault("error", count, endpoint, method, status=status)

    def hang_next(self, seconds: float, count: int = 1, endpoint: str | None = None,
                  method: str | None = None) -> dict:
        """Make the next calls sleep `seconds` before being handled normally."""
        return self.add_fault("hang", count, endpoint, method, seconds=seconds)

    def rate_limit_next(self, count: int = 1, limit_type: str = "QPS", endpoint: str | None = None,
                        method: str | None = None) -> dict:
        """Make the next calls answer 429 (QPS or Daily-limit)."""
        return self.add_fault("rate_limit", count, endpoint, method, limit_type=limit_type)

    def token_error_next(self, kind: str = "invalid_grant", count: int = 1, status: int | None = None) -> dict:
        """Make the next token endpoint calls answer invalid_grant, an XML body or a 5xx (kind "error")."""
        return self.add_fault(kind, count, "token", None, status=status)

    def refuse_connections(self, seconds: float) -> dict:
        """Make the emulator stop listening for `seconds` (from about 0.1 s after this call answers)."""
        answer = self._call("POST", "/refuse", {"seconds": seconds})
        time.sleep(0.3)  # until the listening socket is closed
        return answer

    def faults(self) -> list[dict]:
        """Return faults with uses left."""
        return self._call("GET", "/faults")

    def clear_faults(self) -> None:
        """Drop all planned faults."""
        self._call("DELETE", "/faults")

    # inspection
    def counters(self) -> dict:
        """Return requests (by endpoint), token_requests (by grant_type), meetings_created_by_host, meetings_by_host."""
        return self._call("GET", "/counters")

    def calls(self, endpoint: str | None = None, since: int = 0) -> list[dict]:
        """Return logged Zoom-facing calls (method, path, query, endpoint, status, started, ended, json, seq)."""
        return self._call("GET", "/calls", params={"endpoint": endpoint, "since": since})

    def clear_calls(self) -> None:
        """Forget the call log."""
        self._call("DELETE", "/calls")

    def meetings(self, host_id: str | None = None, account_id: str | None = None,
                 include_deleted: bool = False) -> list[dict]:
        """Return meetings held by the emulator (full objects plus `deleted`)."""
        params = {"host_id": host_id, "account_id": account_id, "include_deleted": "1" if include_deleted else None}
        return self._call("GET", "/meetings", params=params)

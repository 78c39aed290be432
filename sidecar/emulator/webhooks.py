"""Webhook sender (zoom-api.md section 4): signed POSTs, retries only on >=500 or timeout, URL validation.

Signature: `x-zm-signature: v0=` + hex HMAC-SHA256(secret token, `v0:{x-zm-request-timestamp}:{raw body}`),
computed over the exact bytes sent. Timestamps are real Unix time (not the emulated clock) so a
receiver's freshness check keeps working after a clock fast-forward.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import requests

from . import ids
from .clock import iso_z
from .models import App, Meeting, User
from .state import EmulatorState

if TYPE_CHECKING:
    from .context import Emulator


def sign(secret_token: str, timestamp: str, body: bytes) -> str:
    """Return Zoom's `v0=<hex>` signature of a raw body sent at `timestamp` (Unix seconds)."""
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret_token.encode(), message, hashlib.sha256).hexdigest()


class WebhookSender:
    """Delivers events in background threads and remembers every delivery and attempt."""

    def __init__(self, state: EmulatorState) -> None:
        self._state = state
        self._lock = threading.Lock()
        self._deliveries: list[dict] = []
        self._done: dict[int, threading.Event] = {}

    def reset(self) -> None:
        """Forget past deliveries (threads still running finish unobserved)."""
        with self._lock:
            self._deliveries = []
            self._done = {}

    def deliveries(self) -> list[dict]:
        """Return a copy of every delivery with its attempts."""
        with self._lock:
            return json.loads(json.dumps(self._deliveries))

    def send(self, url: str, secret_token: str, event: str, payload: dict, wait: bool = False) -> dict:
        """Queue one event for delivery; with wait, block until it is delivered or retries ran out."""
        body = json.dumps({"event": event, "event_ts": int(time.time() * 1000), "payload": payload},
                          separators=(",", ":")).encode()
        with self._lock:
            delivery = {"id": len(self._deliveries) + 1, "event": event, "url": url, "body": json.loads(body),
                        "attempts": [], "delivered": False, "done": False}
            self._deliveries.append(delivery)
            done = self._done[delivery["id"]] = threading.Event()
        threading.Thread(target=self._deliver, args=(delivery, secret_token, body, done), daemon=True).start()
        if wait:
            done.wait()
        with self._lock:
            return json.loads(json.dumps(delivery))

    def _deliver(self, delivery: dict, secret_token: str, body: bytes, done: threading.Event) -> None:
        delays = [0.0] + list(self._state.options.webhook_retry_delays)
        for delay in delays:
            time.sleep(delay)
            status, error = self._attempt(delivery["url"], secret_token, body)
            with self._lock:
                delivery["attempts"].append({"status": status, "error": error, "at": time.time()})
                if status is not None and status < 500:
                    delivery["delivered"] = 200 <= status < 300
                    break
        with self._lock:
            delivery["done"] = True
        done.set()

    def _attempt(self, url: str, secret_token: str, body: bytes) -> tuple[int | None, str | None]:
        timestamp = str(int(time.time()))
        headers = {"content-type": "application/json; charset=utf-8", "user-agent": "Zoom Marketplace/1.0a",
                   "x-zm-request-timestamp": timestamp, "x-zm-signature": sign(secret_token, timestamp, body),
                   "x-zm-request-id": secrets.token_hex(16), "x-zm-trackingid": "v=2.0;clid=emu;rid=" + ids.zoom_id(12)}
        try:
            response = requests.post(url, data=body, headers=headers, timeout=self._state.options.webhook_timeout)
        except requests.RequestException as exc:
            return None, type(exc).__name__
        return response.status_code, None

    def validate_url(self, url: str, secret_token: str) -> dict:
        """Send an `endpoint.url_validation` CRC and report whether the answer was right."""
        plain = ids.zoom_id(22)
        body = json.dumps({"payload": {"plainToken": plain}, "event_ts": int(time.time() * 1000),
                           "event": "endpoint.url_validation"}, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        expected = hmac.new(secret_token.encode(), plain.encode(), hashlib.sha256).hexdigest()
        started = time.monotonic()
        try:
            response = requests.post(url, data=body, timeout=self._state.options.webhook_timeout, headers={
                "content-type": "application/json; charset=utf-8", "x-zm-request-timestamp": timestamp,
                "x-zm-signature": sign(secret_token, timestamp, body)})
        except requests.RequestException as exc:
            return {"ok": False, "status": None, "reason": type(exc).__name__}
        elapsed = time.monotonic() - started
        try:
            answer = response.json()
        except ValueError:
            answer = None
        ok = (response.status_code in (200, 204) and isinstance(answer, dict)
              and answer.get("plainToken") == plain and answer.get("encryptedToken") == expected)
        reason = "ok" if ok else f"status {response.status_code}, answer {answer!r}"
        return {"ok": ok, "status": response.status_code, "reason": reason, "elapsed": elapsed}

    def send_deauthorized(self, app: App, account_id: str, user_id: str, url: str, wait: bool = False) -> dict:
        """Send `app_deauthorized` for this app and user."""
        payload = {"account_id": account_id, "user_id": user_id, "signature": secrets.token_hex(32),
                   "deauthorization_time": datetime.now(timezone.utc).isoformat(timespec="milliseconds")
                   .replace("+00:00", "Z"), "client_id": app.client_id}
        return self.send(url, app.secret_token, "app_deauthorized", payload, wait)


def subscribers(state: EmulatorState, account_id: str) -> list[App]:
    """Return apps with a webhook URL that are installed in the account (S2S, or OAuth with a live token)."""
    with state.lock:
        installed = {t.client_id for t in state.tokens.values() if t.account_id == account_id and not t.revoked}
        return [a for a in state.apps.values() if a.webhook_url and (
            (a.kind == "s2s" and a.account_id == account_id) or (a.kind == "oauth" and a.client_id in installed))]


def announce_deleted(emulator: Emulator, meeting: Meeting, operator: User | None,
                     targets: list[tuple[str, str]] | None = None, wait: bool = False) -> list[dict]:
    """Send `meeting.deleted` to (url, secret) targets, by default to every subscribed app of the account."""
    if targets is None:
        targets = [(a.webhook_url, a.secret_token) for a in subscribers(emulator.state, meeting.account_id)]
    payload = {"account_id": meeting.account_id, "operator": operator.email if operator else "",
               "operator_id": operator.id if operator else "", "operation": "all",
               "object": {"uuid": meeting.uuid, "id": meeting.id, "host_id": meeting.host_id, "topic": meeting.topic,
                          "type": meeting.type, "start_time": iso_z(meeting.start_time),
                          "duration": meeting.duration, "timezone": meeting.timezone}}
    return [emulator.webhooks.send(url, secret_token, "meeting.deleted", payload, wait) for url, secret_token in targets]

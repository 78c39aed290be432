"""The call log and counters tests and benchmarks read back through the control API."""
from __future__ import annotations

import threading
from collections import defaultdict


class Recorder:
    """Thread-safe log of Zoom-facing calls plus named counters."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget every call and counter."""
        with self._lock:
            self._calls: list[dict] = []
            self._seq = 0
            self._counters: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def count(self, counter: str, key: str, by: int = 1) -> None:
        """Add `by` to counters[counter][key]."""
        with self._lock:
            self._counters[counter][key] += by

    def log(self, call: dict) -> None:
        """Append one finished call (method, path, endpoint, status, started, ended, ...)."""
        with self._lock:
            self._seq += 1
            call["seq"] = self._seq
            self._calls.append(call)

    def calls(self, endpoint: str | None = None, since: int = 0) -> list[dict]:
        """Return logged calls, optionally only one endpoint's and only after sequence number `since`."""
        with self._lock:
            return [dict(c) for c in self._calls
                    if c["seq"] > since and (endpoint is None or c["endpoint"] == endpoint)]

    def clear_calls(self) -> None:
        """Forget the call log but keep counters."""
        with self._lock:
            self._calls = []

    def counters(self) -> dict[str, dict[str, int]]:
        """Return a copy of all counters."""
        with self._lock:
            return {name: dict(values) for name, values in self._counters.items()}

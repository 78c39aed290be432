"""The emulator's clock: real time plus an offset tests can fast-forward."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone


class Clock:
    """Wall-clock seconds shifted by an adjustable offset."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Return emulated Unix time in seconds."""
        with self._lock:
            return time.time() + self._offset

    def utcnow(self) -> datetime:
        """Return emulated time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)

    def advance(self, seconds: float) -> float:
        """Move the clock forward by seconds and return the new emulated time."""
        with self._lock:
            self._offset += seconds
        return self.now()

    def reset(self) -> None:
        """Return to real time."""
        with self._lock:
            self._offset = 0.0


def iso_z(moment: datetime | float) -> str:
    """Format a datetime or Unix time as Zoom's `yyyy-MM-ddTHH:mm:ssZ`."""
    if not isinstance(moment, datetime):
        moment = datetime.fromtimestamp(moment, tz=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

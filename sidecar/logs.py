"""Structured logging: one line per event, text or JSON, ids from `extra=`, secrets never."""
from __future__ import annotations

import json
import logging
import re

# Attributes every LogRecord has; anything else came from `extra=` and is an event field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# Defence in depth: whatever slips into a message, bearer tokens and secrets-looking values are masked.
_SECRET_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)((?:access_token|refresh_token|client_secret|secret|password|token)[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}]+"),
]


def redact(text: str) -> str:
    """text with anything that looks like a credential replaced by ***."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1***", text)
    return text


def _fields(record: logging.LogRecord) -> dict:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(f"{k}={v}" for k, v in _fields(record).items())
        line = f"{self.formatTime(record)} {record.levelname} {record.name} {record.getMessage()} {extras}".rstrip()
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return redact(line)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {"ts": self.formatTime(record), "level": record.levelname, "logger": record.name,
                "event": record.getMessage(), **_fields(record)}
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(data, default=str))


def configure(level: str, fmt: str) -> None:
    """Send the sidecar's logs to stderr in the configured format."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger("sidecar")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = True  # let pytest's caplog see the events

"""Structured logging: one stream for the app, gunicorn and the worker; text or JSON, UTC timestamps, secrets never."""
from __future__ import annotations

import logging
import logging.handlers
import re
from datetime import datetime, timezone

from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter

from sidecar.config import BadKey, LoggingConfig

# Every logger whose lines make up the one stream: ours, and gunicorn's error and access logs.
LOGGERS = ("sidecar", "gunicorn.error", "gunicorn.access")

# Attributes every LogRecord has; anything else came from `extra=` and is an event field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# Defence in depth: whatever slips into a message, bearer tokens and secrets-looking values are masked.
_SECRET_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)((?:access_token|refresh_token|client_secret|secret|password|token)[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}]+"),
    # A stable link's token opens the meeting (the host link: as its host); access lines carry paths.
    re.compile(r"(/v1/(?:join|host)/)[^/?\s\"]+"),
]


def redact(text: str) -> str:
    """text with anything that looks like a credential replaced by ***."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1***", text)
    return text


def utc_timestamp(record: logging.LogRecord) -> str:
    """The record's time as ISO-8601 in UTC with its zone, to the millisecond."""
    return datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")


def _fields(record: logging.LogRecord) -> dict:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(f"{k}={v}" for k, v in _fields(record).items())
        line = f"{utc_timestamp(record)} {record.levelname} {record.name} {record.getMessage()} {extras}".rstrip()
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return redact(line)


class JsonFormatter(_LibraryJsonFormatter):
    """python-json-logger's formatter (typed encoding of extras) with our field names, UTC time and redaction."""

    def __init__(self):
        super().__init__("{levelname}{name}{message}", style="{",
                         rename_fields={"levelname": "level", "name": "logger", "message": "event",
                                        "exc_info": "exception"})

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        log_data["ts"] = utc_timestamp(record)  # first, and to the millisecond like the text format
        super().add_fields(log_data, record, message_dict)

    def serialize_log_record(self, log_data: dict) -> str:
        return redact(super().serialize_log_record(log_data))


def _handler(settings: LoggingConfig) -> logging.Handler:
    if not settings.file:
        handler: logging.Handler = logging.StreamHandler()
    else:
        try:
            # WatchedFileHandler reopens the file when logrotate has moved it, without a signal.
            handler = logging.handlers.WatchedFileHandler(settings.file)
        except OSError as exc:
            raise BadKey("logging", "file", f"cannot append to {settings.file} ({exc.strerror})") from None
    handler.setFormatter(JsonFormatter() if settings.format == "json" else TextFormatter())
    return handler


def configure(settings: LoggingConfig) -> None:
    """Send the sidecar's and gunicorn's logs to one handler (stderr or [logging] file) at [logging] level.

    Raises:
        BadKey: [logging] file cannot be opened for appending.
    """
    handler = _handler(settings)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in logger.handlers:
            old.close()
        logger.handlers[:] = [handler]
        logger.setLevel(settings.level)
    logging.getLogger("sidecar").propagate = True  # let pytest's caplog see the events

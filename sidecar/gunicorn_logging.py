"""gunicorn's error and access logs in the one stream: our format, [logging] level, file and access_log."""
from __future__ import annotations

from gunicorn import glogging

from sidecar import logs
from sidecar.config import LoggingConfig


class GunicornLogger(glogging.Logger):
    """gunicorn's `logger_class`; `logger_class(settings)` makes one bound to our [logging] settings."""

    settings: LoggingConfig

    def setup(self, cfg) -> None:
        # gunicorn calls this at start and on HUP; our handler replaces its own formats and files.
        self.cfg = cfg
        logs.configure(self.settings)

    @property
    def access_log_enabled(self) -> bool:
        return self.settings.access_log

    def access(self, resp, req, environ, request_time) -> None:
        """One http_request event per answered request (the path's link tokens are masked by the formatter)."""
        if not self.settings.access_log:
            return
        query = environ.get("QUERY_STRING")
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        self.access_log.info("http_request", extra={
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO", "") + (f"?{query}" if query else ""),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote": environ.get("REMOTE_ADDR"),
        })


def logger_class(settings: LoggingConfig) -> type[GunicornLogger]:
    """A GunicornLogger subclass carrying settings (gunicorn instantiates the class itself)."""
    return type("BoundGunicornLogger", (GunicornLogger,), {"settings": settings})

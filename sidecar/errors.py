"""Domain errors that every layer may raise and the HTTP layer turns into JSON answers."""
from __future__ import annotations


class AppError(Exception):
    """An error with an HTTP status, a machine code, a human message and optionally the field at fault."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class BadRequest(AppError):
    status, code = 400, "bad_request"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class NotFound(AppError):
    status, code = 404, "not_found"


class Conflict(AppError):
    status, code = 409, "conflict"


class Unprocessable(AppError):
    status, code = 422, "unprocessable"


class UpstreamError(AppError):
    """Zoom answered in a way we cannot act on."""

    status, code = 502, "zoom_error"


class Unavailable(AppError):
    status, code = 503, "unavailable"


class NotConnected(AppError):
    """The tenant has no Zoom connection."""

    status, code = 409, "not_connected"


class NeedsReconnect(AppError):
    """Zoom refused the tenant's stored grant (invalid_grant): the tenant must connect again."""

    status, code = 409, "needs_reconnect"


class ZoomUnreachable(AppError):
    """Zoom could not be reached or kept failing; the work stays queued."""

    status, code = 503, "zoom_unavailable"

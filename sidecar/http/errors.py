"""Every error leaves as JSON: {"error": code, "message": text, "field": optional}."""
from __future__ import annotations

import logging

from flask import jsonify
from werkzeug.exceptions import HTTPException

from sidecar.errors import AppError
from sidecar.zoom import ZoomError, ZoomRateLimited, ZoomUnavailable

log = logging.getLogger("sidecar.http")


def error_response(status: int, code: str, message: str, field: str | None = None):
    """A JSON error answer."""
    return jsonify(error=code, message=message, field=field), status


def init_app(app) -> None:
    """Register the JSON error handlers."""

    @app.errorhandler(AppError)
    def _app_error(exc: AppError):
        return error_response(exc.status, exc.code, exc.message, exc.field)

    @app.errorhandler(ZoomError)
    def _zoom_error(exc: ZoomError):
        # A route that did not map a Zoom failure itself: say it was Zoom, and whether waiting helps.
        if isinstance(exc, (ZoomUnavailable, ZoomRateLimited)):
            return error_response(503, "zoom_unavailable", f"Zoom is unavailable right now ({exc}); try again later")
        log.warning("zoom_error_unmapped", extra={"error_type": exc.__class__.__name__, "status": exc.status})
        return error_response(502, "zoom_error", str(exc))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled_error", extra={"error_type": exc.__class__.__name__})
        return error_response(500, "internal_error", "the sidecar failed to handle this request; see its log")

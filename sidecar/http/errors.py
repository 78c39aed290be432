"""Every error leaves as JSON: {"error": code, "message": text, "field": optional}.

`ANSWERS` is the one table from domain (and Zoom) errors to HTTP status and default code.
"""
from __future__ import annotations

import logging

import pymysql
from flask import current_app, jsonify
from werkzeug.exceptions import HTTPException

from sidecar import context, db_errors, errors
from sidecar.zoom import ZoomError, ZoomRateLimited, ZoomUnavailable

log = logging.getLogger("sidecar.http")

# The database is down or refusing connections: worth trying again after this many seconds.
DATABASE_RETRY_SECONDS = 5
DATABASE_DOWN = (pymysql.err.OperationalError, pymysql.err.InterfaceError)

ANSWERS: dict[type[Exception], tuple[int, str]] = {
    errors.BadRequest: (400, "bad_request"),
    errors.Unauthorized: (401, "unauthorized"),
    errors.Forbidden: (403, "forbidden"),
    errors.NotFound: (404, "not_found"),
    errors.Conflict: (409, "conflict"),
    errors.NotConnected: (409, "not_connected"),
    errors.NeedsReconnect: (409, "needs_reconnect"),
    errors.Unprocessable: (422, "unprocessable"),
    errors.ZoomRefused: (502, "zoom_error"),
    ZoomUnavailable: (503, "zoom_unavailable"),
    ZoomRateLimited: (503, "zoom_unavailable"),  # waiting helps, as when Zoom is down
}


def answer_for(exc: Exception) -> tuple[int, str]:
    """The status and default code of an error, from its nearest class in ANSWERS."""
    for cls in type(exc).__mro__:
        if cls in ANSWERS:
            return ANSWERS[cls]
    raise KeyError(type(exc).__name__)


def error_response(status: int, code: str, message: str, field: str | None = None):
    """A JSON error answer."""
    return jsonify(error=code, message=message, field=field), status


def init_app(app) -> None:
    """Register the JSON error handlers."""

    @app.errorhandler(errors.DomainError)
    def _domain_error(exc: errors.DomainError):
        status, code = answer_for(exc)
        return error_response(status, exc.code or code, exc.message, exc.field)

    @app.errorhandler(ZoomError)
    def _zoom_error(exc: ZoomError):
        # A Zoom failure no service turned into a domain error: say it was Zoom, and whether waiting helps.
        if isinstance(exc, (ZoomUnavailable, ZoomRateLimited)):
            status, code = answer_for(exc)
            return error_response(status, code, f"Zoom could not be reached ({exc.status or 'no answer'}); "
                                                "try again in a moment")
        log.warning("zoom_error_unmapped", extra={"error_type": exc.__class__.__name__, "status": exc.status})
        return error_response(502, "zoom_error", str(exc))

    @app.errorhandler(pymysql.err.OperationalError)
    @app.errorhandler(pymysql.err.InterfaceError)
    def _database_down(exc: pymysql.err.Error):
        database_down(exc)
        response = error_response(503, "database_unavailable", "the database cannot be reached; try again shortly")
        response[0].headers["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled_error", extra={"error_type": exc.__class__.__name__})
        return error_response(500, "internal_error", "the sidecar failed to handle this request; see its log")


def database_down(exc: pymysql.err.Error) -> None:
    """Log why the database failed in one line (no traceback: it is routine) and drop the connection."""
    log.warning("database_unavailable", extra={"reason": db_errors.reason(exc),
                                               "detail": db_errors.explain(exc, current_app.config["BKZ"].database)})
    context.current().db.close()

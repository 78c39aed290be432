"""Domain errors: what went wrong, in words every layer may raise; `http/errors.py` alone gives them a status.

Zoom's own failures are `sidecar.zoom.ZoomError`s (one name for "Zoom is down": ZoomUnavailable).
"""
from __future__ import annotations


class DomainError(Exception):
    """A refusal with a human message, optionally a machine code (for the answer's `error`) and the field at fault."""

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class BadRequest(DomainError):
    """The request's content is wrong."""


class Unauthorized(DomainError):
    """The caller could not be told apart from a forger (signature, timestamp, nonce)."""


class Forbidden(DomainError):
    """The caller is known but may not do this."""


class NotFound(DomainError):
    """What the request names does not exist for this tenant."""


class Conflict(DomainError):
    """The request cannot be carried out in the current state (Zoom off, other method, ...)."""


class Unprocessable(DomainError):
    """The values are well formed but refused (e.g. by Zoom, checking credentials)."""


class ZoomRefused(DomainError):
    """Zoom answered in a way we cannot act on."""


class NotConnected(DomainError):
    """The tenant has no Zoom connection."""


class NeedsReconnect(DomainError):
    """Zoom refused the tenant's stored grant (invalid_grant): the tenant must connect again."""

"""The WordPress URLs by which browsers and Zoom reach us through the shim (SPEC section 7), built in one place.

Each is `[sidecar] public_base_url` + `/?booknetic_action=<action>`; the shim routes that action to us.
"""
from __future__ import annotations

from urllib.parse import urlencode

from sidecar.context import Context


def public_url(ctx: Context, action: str, **query: str) -> str:
    """The public URL of a shim action, with query parameters percent-encoded."""
    params = urlencode({"booknetic_action": action, **query}, safe="")
    return f"{ctx.config.sidecar.public_base_url}/?{params}"


def oauth_redirect_uri(ctx: Context) -> str:
    """The OAuth redirect URI registered on the platform's Marketplace app."""
    return public_url(ctx, "zoom_oauth_callback")


def webhook_url(ctx: Context) -> str:
    """The Zoom event notification URL."""
    return public_url(ctx, "zoom_webhook")

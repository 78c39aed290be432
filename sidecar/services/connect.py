"""Connecting a tenant's Zoom account (SPEC section 5): OAuth with a one-time state and PKCE, or
Server-to-Server credentials checked before saving; disconnecting."""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sidecar.context import Context
from sidecar.errors import BadRequest, Conflict, Unprocessable, ZoomRefused
from sidecar.services import gating, public_urls
from sidecar.store import connections, jobs, oauth_states, settings
from sidecar.store.connections import StoredConnection
from sidecar.zoom import (ZoomAuthError, ZoomBadRequest, ZoomError, ZoomInvalidAccount, ZoomInvalidClient,
                          ZoomInvalidGrant, ZoomNotFound, ZoomRateLimited, ZoomUnavailable, pkce_pair)

log = logging.getLogger("sidecar.connect")

STATE_TTL = timedelta(minutes=10)
CONNECTED_MESSAGE = "Your Zoom account has been connected"


@dataclass(frozen=True)
class StaticToken:
    """A TokenProvider for one token we just got (before anything is stored)."""

    token: str = field(repr=False)

    def access_token(self) -> str:
        """The token."""
        return self.token

    def mark_expired(self, token: str) -> None:
        """Nothing to renew: a freshly granted token that Zoom rejects is an error."""


def _state_hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _platform_for(ctx: Context, method: str) -> settings.PlatformSettings:
    """The platform settings, if they let tenants make a new connection with `method`.

    Raises:
        Conflict: Zoom is off for the platform, or the platform uses the other method.
    """
    platform = settings.platform(ctx.db, ctx.crypto)
    if not platform.enabled:
        raise Conflict("the platform admin has not enabled Zoom", code="zoom_disabled")
    if platform.method != method:
        raise Conflict(f"the platform connects Zoom with the {platform.method} method", code="wrong_method")
    return platform


def start_oauth(ctx: Context, tenant_id: int, wp_user_id: int, return_url: str) -> str:
    """The Zoom authorize URL carrying a new one-time state (bound to tenant and WP user) and a PKCE challenge.

    Raises:
        Conflict: Zoom off, S2S platform, or no OAuth app configured.
    """
    platform = _platform_for(ctx, connections.OAUTH)
    if not (platform.client_id and platform.client_secret):
        raise Conflict("the platform admin has not entered the Zoom OAuth app", code="platform_not_configured")
    state = secrets.token_urlsafe(32)
    verifier, challenge = pkce_pair()
    oauth_states.purge_expired(ctx.db)
    oauth_states.create(ctx.db, ctx.crypto, _state_hash(state), tenant_id, wp_user_id, verifier, return_url,
                  datetime.now(timezone.utc) + STATE_TTL)
    log.info("oauth_started", extra={"tenant": tenant_id, "wp_user": wp_user_id})
    return ctx.zoom.oauth.authorize_url(platform.client_id, public_urls.oauth_redirect_uri(ctx), state, challenge)


def finish_oauth(ctx: Context, code: str, state: str, wp_user_id: int, tenant_id: int | None = None) -> dict:
    """Trade the code for tokens, look up who connected, and store the tenant's connection.

    Raises:
        BadRequest: invalid_state (forged, reused, expired, another user's or tenant's), invalid_code.
        Forbidden: the tenant's plan lacks zoom. Conflict: Zoom off or not OAuth.
        ZoomUnavailable: Zoom down. ZoomRefused: Zoom refused the app's credentials.
    """
    found = oauth_states.consume(ctx.db, ctx.crypto, _state_hash(state), wp_user_id, tenant_id)
    if found is None:
        log.warning("oauth_state_refused", extra={"wp_user": wp_user_id})
        raise BadRequest("this Zoom authorization link is not valid any more; click Connect again",
                         code="invalid_state", field="state")
    gating.require_zoom_plan(ctx, found.tenant_id)
    platform = _platform_for(ctx, connections.OAUTH)
    try:
        tokens = ctx.zoom.oauth.exchange_code(platform.client_id or "", platform.client_secret or "", code,
                                              public_urls.oauth_redirect_uri(ctx), found.code_verifier)
        me = ctx.zoom.api.me(StaticToken(tokens.access_token))
    except ZoomInvalidGrant:
        raise BadRequest("Zoom refused the authorization code; click Connect again", code="invalid_code",
                         field="code") from None
    except (ZoomUnavailable, ZoomRateLimited):
        raise  # Zoom is down: the caller hears so, not that Zoom refused
    except ZoomError as exc:
        raise ZoomRefused(f"Zoom refused the platform's OAuth app ({exc.code or exc.status})") from None
    new = StoredConnection(
        tenant_id=found.tenant_id, method=connections.OAUTH, status=connections.CONNECTED,
        zoom_account_id=me.get("account_id"), zoom_user_id=me.get("id"), zoom_user_email=me.get("email"),
        client_id=platform.client_id, access_token=tokens.access_token, access_expires_at=tokens.expires_at,
        refresh_token=tokens.refresh_token)
    _replace(ctx, new)
    return {"tenant_id": found.tenant_id, "return_url": found.return_url, "message": CONNECTED_MESSAGE}


def connect_s2s(ctx: Context, tenant_id: int, account_id: str, client_id: str, client_secret: str) -> None:
    """Check Server-to-Server credentials by getting a token, then store them with the token.

    Raises:
        Unprocessable: Zoom refused them (field account_id or client_secret); nothing is saved.
        ZoomUnavailable: Zoom down; nothing is saved. Conflict: Zoom off or not S2S.
    """
    _platform_for(ctx, connections.S2S)
    try:
        tokens = ctx.zoom.oauth.account_credentials(client_id, client_secret, account_id)
    except ZoomInvalidAccount:
        raise Unprocessable("Zoom does not accept this Account ID for these app credentials",
                            code="invalid_credentials", field="account_id") from None
    except ZoomInvalidClient:
        raise Unprocessable("Zoom does not accept this Client ID or Client Secret",
                            code="invalid_credentials", field="client_secret") from None
    try:
        owner = ctx.zoom.api.me(StaticToken(tokens.access_token))
    except (ZoomAuthError, ZoomBadRequest, ZoomNotFound):
        owner = {}  # an app without a user:read scope still makes meetings; the screen shows the account id
    _replace(ctx, StoredConnection(
        tenant_id=tenant_id, method=connections.S2S, status=connections.CONNECTED, zoom_account_id=account_id,
        zoom_user_id=owner.get("id"), zoom_user_email=owner.get("email"), client_id=client_id, client_secret=client_secret,
        access_token=tokens.access_token, access_expires_at=tokens.expires_at, refresh_token=None))


def _replace(ctx: Context, new: StoredConnection) -> None:
    """Store `new` as the tenant's connection; revoke the one it replaces when it was another Zoom user's."""
    with ctx.db.transaction() as db:
        old = connections.get(db, ctx.crypto, new.tenant_id, for_update=True)
        connections.save(db, ctx.crypto, new)
        # jobs that waited for this (re)connection run now, not when their deferral ends
        jobs.wake_tenant(db, new.tenant_id)
    # Zoom already killed the old tokens when the same user consented again; revoking them would
    # uninstall the app for that user, new tokens included.
    if old is not None and (old.method, old.zoom_user_id) != (new.method, new.zoom_user_id):
        _revoke(ctx, old)
    log.info("connection_made", extra={"tenant": new.tenant_id, "method": new.method,
                                       "replaced": old is not None})


def _revoke(ctx: Context, c: StoredConnection) -> None:
    """Best effort: revoke an OAuth connection's access token at Zoom with the platform app."""
    platform = settings.platform(ctx.db, ctx.crypto)
    if c.method != connections.OAUTH or not c.access_token or platform.client_id != c.client_id:
        return
    try:
        ctx.zoom.oauth.revoke(c.client_id, platform.client_secret or "", c.access_token)
    except ZoomError as exc:
        log.info("token_revoke_failed", extra={"tenant": c.tenant_id, "error": type(exc).__name__,
                                               "tracking_id": exc.request_id})
    else:
        log.info("token_revoked", extra={"tenant": c.tenant_id})


def disconnect(ctx: Context, tenant_id: int) -> bool:
    """Revoke (OAuth, best effort) and forget the tenant's connection; meetings stay. True if there was one."""
    c = connections.get(ctx.db, ctx.crypto, tenant_id)
    if c is None:
        return False
    _revoke(ctx, c)
    connections.delete(ctx.db, tenant_id)
    log.info("connection_removed", extra={"tenant": tenant_id, "method": c.method})
    return True

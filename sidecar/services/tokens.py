"""Access tokens for one tenant's Zoom connection, renewed once per expiry across every process.

Zoom rotates OAuth refresh tokens and has no grace window: two processes refreshing with the same
refresh token leave one of them with `invalid_grant`. So a renewal takes `SELECT ... FOR UPDATE` on
the connection row, reads the row again (another process may have renewed it while we waited),
calls Zoom only if the token is still due, and writes the new tokens in the same transaction.
Server-to-Server tokens are shared the same way, so every process uses one cached token.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sidecar.context import Context
from sidecar.errors import NeedsReconnect, NotConnected
from sidecar.metrics import events as metrics
from sidecar.store import connections, events, settings
from sidecar.store.connections import StoredConnection
from sidecar.zoom import TokenSet, ZoomInvalidAccount, ZoomInvalidClient, ZoomInvalidGrant

log = logging.getLogger("sidecar.tokens")

# Renew a little before Zoom's expiry, so a token never dies between our check and Zoom's.
LEEWAY = timedelta(seconds=60)
NEEDS_RECONNECT_MESSAGE = "Zoom no longer accepts this tenant's connection; connect the Zoom account again"


@dataclass(frozen=True)
class ConnectionInfo:
    """What other capabilities need to know about a tenant's connection (no secrets)."""

    method: str  # "oauth" | "s2s"
    status: str  # "connected" | "needs_reconnect"
    account_id: str | None
    account_email: str | None
    user_id: str | None

    @property
    def connected(self) -> bool:
        """Whether Zoom calls can be made for the tenant now."""
        return self.status == connections.CONNECTED


def _fresh(c: StoredConnection, now: datetime) -> bool:
    """Whether the stored access token may still be used."""
    return bool(c.access_token and c.access_expires_at and c.access_expires_at - LEEWAY > now)


class TenantTokens:
    """The sidecar.zoom TokenProvider for one tenant, backed by its connection row.

    Do not call it inside a transaction on ctx.db: a renewal runs a short transaction of its own.
    """

    def __init__(self, ctx: Context, tenant_id: int):
        self.ctx = ctx
        self.tenant_id = tenant_id
        # The last usable token this provider saw: one sync or page makes several Zoom calls, and
        # a provider lives no longer than that, so re-reading the row for each call buys nothing.
        self._seen: StoredConnection | None = None

    def connection(self) -> ConnectionInfo | None:
        """The tenant's connection (no secrets), or None when the tenant has not connected."""
        return self.adopt(connections.get(self.ctx.db, self.ctx.crypto, self.tenant_id))

    def adopt(self, c: StoredConnection | None) -> ConnectionInfo | None:
        """connection() for a row the caller read itself (with others, in one query); later calls use it."""
        self._seen = c
        if c is None:
            return None
        return ConnectionInfo(method=c.method, status=c.status, account_id=c.zoom_account_id,
                              account_email=c.zoom_user_email, user_id=c.zoom_user_id)

    def access_token(self) -> str:
        """A valid access token for the tenant, renewed first when it is about to expire.

        Raises:
            NotConnected: the tenant has no connection.
            NeedsReconnect: Zoom refused the stored grant or credentials.
            sidecar.zoom.ZoomUnavailable / ZoomRateLimited: Zoom could not renew it now (retry later).
        """
        now = datetime.now(timezone.utc)
        if self._seen is not None and self._seen.status == connections.CONNECTED and _fresh(self._seen, now):
            return self._seen.access_token
        c = self._seen = self._usable(connections.get(self.ctx.db, self.ctx.crypto, self.tenant_id))
        if _fresh(c, now):
            return c.access_token
        return self._renew()

    @property
    def seen(self) -> StoredConnection | None:
        """The connection row as last read by this provider, if any (secrets included: never log it)."""
        return self._seen

    def mark_expired(self, token: str) -> None:
        """Zoom rejected `token`: make the next access_token() get a new one (unless one already did)."""
        self._seen = None
        with self.ctx.db.transaction() as db:
            c = connections.get(db, self.ctx.crypto, self.tenant_id, for_update=True)
            if c is not None and c.access_token == token:
                connections.expire_access_token(db, self.tenant_id)

    def _usable(self, c: StoredConnection | None) -> StoredConnection:
        """c itself, if Zoom calls can be made with it.

        Raises:
            NotConnected, NeedsReconnect.
        """
        if c is None:
            raise NotConnected("this tenant has not connected a Zoom account")
        if c.status == connections.NEEDS_RECONNECT:
            raise NeedsReconnect(NEEDS_RECONNECT_MESSAGE)
        return c

    def _renew(self) -> str:
        """Under the row lock: reuse a token another process just got, or get one from Zoom and store it."""
        db, crypto = self.ctx.db, self.ctx.crypto
        refused = None
        with db.transaction():
            c = self._usable(connections.get(db, crypto, self.tenant_id, for_update=True))
            if _fresh(c, datetime.now(timezone.utc)):
                return c.access_token
            try:
                tokens = self._fetch(c)
            except (ZoomInvalidGrant, ZoomInvalidAccount, ZoomInvalidClient) as exc:
                if c.method == connections.OAUTH and not isinstance(exc, ZoomInvalidGrant):
                    raise  # the platform app's own credentials are wrong: not this tenant's fault
                connections.set_status(db, self.tenant_id, connections.NEEDS_RECONNECT)
                refused = exc
            else:
                connections.store_tokens(db, crypto, self.tenant_id, tokens.access_token, tokens.expires_at,
                                         tokens.refresh_token)
        metrics.token_refreshed(c.method, "refused" if refused is not None else "ok")
        if refused is not None:
            log.warning("connection_needs_reconnect", extra={"tenant": self.tenant_id, "method": c.method,
                                                             "error": type(refused).__name__,
                                                             "tracking_id": refused.request_id})
            events.raise_alert(db, self.tenant_id, events.NEEDS_RECONNECT, NEEDS_RECONNECT_MESSAGE)
            raise NeedsReconnect(NEEDS_RECONNECT_MESSAGE) from refused
        log.info("token_refreshed", extra={"tenant": self.tenant_id, "method": c.method,
                                           "expires_at": tokens.expires_at.isoformat()})
        return tokens.access_token

    def _fetch(self, c: StoredConnection) -> TokenSet:
        """A new token from Zoom: refresh (OAuth, with the platform app) or account_credentials (S2S)."""
        zoom = self.ctx.zoom.oauth
        if c.method == connections.S2S:
            return zoom.account_credentials(c.client_id, c.client_secret, c.zoom_account_id)
        app = settings.platform(self.ctx.db, self.ctx.crypto)
        if app.client_id != c.client_id or not app.client_secret or not c.refresh_token:
            # The connection was made through an app the platform no longer uses: only a new consent helps.
            raise ZoomInvalidGrant("the platform's OAuth app is not the one this connection was made with")
        return zoom.refresh(c.client_id, app.client_secret, c.refresh_token)

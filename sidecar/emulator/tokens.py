"""OAuth grants on the emulator state: codes, code exchange, refresh rotation, S2S tokens, revoke.

Token errors are HTTP 400 `{"reason": ..., "error": ...}` (zoom-api.md 1.4):
  - bad Basic auth                    -> {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
  - bad/used/expired code, redirect
    mismatch, PKCE failure, dead or
    rotated refresh token             -> {"reason": <text>, "error": "invalid_grant"}
    (a dead refresh token is exactly {"reason": "Invalid Token!", "error": "invalid_grant"})
  - S2S `account_id` that is not the app's account
                                      -> {"reason": "Invalid account_id", "error": "invalid_request"}
    (shape chosen for the emulator, UNCONFIRMED for real Zoom: a distinct `error` lets a client
    tell a wrong Account ID from wrong client credentials)
  - unknown grant or grant not allowed for the app kind
                                      -> {"reason": "Unsupported grant type", "error": "unsupported_grant_type"}
"""
from __future__ import annotations

import base64
import hashlib

from . import ids
from .models import App, AuthCode, Token
from .state import EmulatorState


class TokenError(Exception):
    """An OAuth failure answered as HTTP 400 with `{"reason", "error"}`."""

    def __init__(self, reason: str, error: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error

    def body(self) -> dict:
        """Return Zoom's JSON error body."""
        return {"reason": self.reason, "error": self.error}


INVALID_TOKEN = ("Invalid Token!", "invalid_grant")


def check_client(state: EmulatorState, client_id: str, client_secret: str) -> App:
    """Return the app whose credentials these are.

    Raises:
        TokenError: invalid_client.
    """
    app = state.apps.get(client_id)
    if app is None or app.client_secret != client_secret:
        raise TokenError("Invalid client_id or client_secret", "invalid_client")
    return app


def issue_code(state: EmulatorState, app: App, user_id: str, redirect_uri: str, code_challenge: str) -> str:
    """Store a one-time authorization code for this user and app and return it."""
    with state.lock:
        user = state.users[user_id]
        code = AuthCode(value=ids.secret(32), client_id=app.client_id, user_id=user.id,
                        account_id=user.account_id, redirect_uri=redirect_uri, code_challenge=code_challenge,
                        expires_at=state.clock.now() + state.options.code_ttl)
        state.codes[code.value] = code
        return code.value


def exchange_code(state: EmulatorState, app: App, code: str, redirect_uri: str, verifier: str) -> tuple[Token, Token]:
    """Trade a code for a new token family, revoking this user's earlier family for the app.

    Raises:
        TokenError: invalid_grant for an unknown, used or expired code, redirect mismatch or bad PKCE.
    """
    with state.lock:
        grant = state.codes.get(code)
        if grant is None or grant.client_id != app.client_id or grant.used:
            raise TokenError("Invalid authorization code.", "invalid_grant")
        if grant.expires_at < state.clock.now():
            raise TokenError("Code is expired.", "invalid_grant")
        if redirect_uri != grant.redirect_uri:
            raise TokenError("Redirect URI mismatch.", "invalid_grant")
        if grant.code_challenge and pkce_challenge(verifier) != grant.code_challenge:
            raise TokenError("Invalid code_verifier.", "invalid_grant")
        grant.used = True
        revoke_where(state, client_id=app.client_id, user_id=grant.user_id)
        return _issue_pair(state, app, grant.account_id, grant.user_id, ids.zoom_id(16))


def refresh(state: EmulatorState, app: App, refresh_token: str) -> tuple[Token, Token]:
    """Rotate a refresh token: the old one dies, a new access + refresh pair is returned.

    Raises:
        TokenError: "Invalid Token!" invalid_grant for unknown, rotated, revoked or expired tokens.
    """
    with state.lock:
        old = state.tokens.get(refresh_token)
        if (old is None or old.kind != "refresh" or old.client_id != app.client_id or old.revoked
                or old.expires_at < state.clock.now()):
            raise TokenError(*INVALID_TOKEN)
        old.revoked = True
        if not state.options.refresh_keeps_access:
            revoke_where(state, family=old.family)
        return _issue_pair(state, app, old.account_id, old.user_id, old.family)


def account_credentials(state: EmulatorState, app: App, account_id: str) -> Token:
    """Issue an S2S access token; earlier S2S tokens stay valid.

    Raises:
        TokenError: unsupported_grant_type for an OAuth app, invalid_request for a wrong account_id.
    """
    with state.lock:
        if app.kind != "s2s":
            raise TokenError("Unsupported grant type", "unsupported_grant_type")
        if account_id != app.account_id or account_id not in state.accounts:
            raise TokenError("Invalid account_id", "invalid_request")
        owner = state.account_owner(account_id)
        return _issue(state, "access", app, account_id, owner.id if owner else "", ids.zoom_id(16),
                      state.options.access_token_ttl)


def revoke_token(state: EmulatorState, app: App, value: str) -> Token:
    """Revoke the whole family of a token (Zoom's revoke uninstalls the app for that user).

    Raises:
        TokenError: invalid_grant when the token is unknown to this app.
    """
    with state.lock:
        token = state.tokens.get(value)
        if token is None or token.client_id != app.client_id:
            raise TokenError(*INVALID_TOKEN)
        revoke_where(state, family=token.family)
        return token


def revoke_where(state: EmulatorState, **match: str) -> int:
    """Revoke every live token whose attributes equal all given values; return how many."""
    with state.lock:
        hits = [t for t in state.tokens.values()
                if not t.revoked and all(getattr(t, k) == v for k, v in match.items())]
        for token in hits:
            token.revoked = True
        return len(hits)


def expire_where(state: EmulatorState, **match: str) -> int:
    """Make every live access token matching the values expire now; return how many."""
    with state.lock:
        now = state.clock.now()
        hits = [t for t in state.tokens.values() if t.kind == "access" and not t.revoked
                and t.expires_at > now and all(getattr(t, k) == v for k, v in match.items())]
        for token in hits:
            token.expires_at = now - 1
        return len(hits)


def bearer(state: EmulatorState, value: str) -> Token | None:
    """Return the live access token with this value, or None."""
    with state.lock:
        token = state.tokens.get(value)
        if token is None or token.kind != "access" or token.revoked or token.expires_at <= state.clock.now():
            return None
        return token


def pkce_challenge(verifier: str) -> str:
    """Return BASE64URL(SHA256(verifier)) without padding (PKCE S256)."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_json(state: EmulatorState, access: Token, refresh_token: Token | None, api_url: str) -> dict:
    """Return the token endpoint's JSON answer (zoom-api.md 1.3)."""
    body = {"access_token": access.value, "token_type": "bearer",
            "expires_in": int(state.options.access_token_ttl), "scope": " ".join(access.scopes),
            "api_url": api_url}
    if refresh_token is not None:
        body["refresh_token"] = refresh_token.value
    return body


def _issue_pair(state: EmulatorState, app: App, account_id: str, user_id: str, family: str) -> tuple[Token, Token]:
    access = _issue(state, "access", app, account_id, user_id, family, state.options.access_token_ttl)
    refresh_token = _issue(state, "refresh", app, account_id, user_id, family, state.options.refresh_token_ttl)
    return access, refresh_token


def _issue(state: EmulatorState, kind: str, app: App, account_id: str, user_id: str, family: str,
           ttl: float) -> Token:
    token = Token(value=ids.jwt_like({"aud": "emulator", "uid": user_id, "typ": kind}), kind=kind,
                  client_id=app.client_id, account_id=account_id, user_id=user_id, family=family,
                  scopes=list(app.scopes), expires_at=state.clock.now() + ttl)
    state.tokens[token.value] = token
    return token

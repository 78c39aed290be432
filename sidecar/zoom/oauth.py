"""Zoom's OAuth endpoints: authorize URL with PKCE, code exchange, refresh, S2S tokens and revoke."""
from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlencode

from sidecar.zoom.errors import ZoomError, response_json, token_error
from sidecar.zoom.transport import Transport


@dataclass(frozen=True)
class TokenSet:
    """What the token endpoint granted; `refresh_token` is None for Server-to-Server tokens."""

    access_token: str
    expires_at: datetime
    refresh_token: str | None
    scope: str

    def __repr__(self) -> str:
        # Token sets end up in tracebacks and debug output: show when they expire, never their values.
        return f"TokenSet(expires_at={self.expires_at.isoformat()}, scope={self.scope!r})"


def pkce_pair() -> tuple[str, str]:
    """A fresh PKCE (verifier, S256 challenge) pair."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class ZoomOAuth:
    """Calls https://zoom.us/oauth/*; knows nothing about where tokens are kept."""

    def __init__(self, base_url: str, transport: Transport):
        self.base_url = base_url.rstrip("/")
        self._transport = transport

    def authorize_url(self, client_id: str, redirect_uri: str, state: str, code_challenge: str) -> str:
        """The URL to send the user's browser to for consent (authorization code + S256 PKCE)."""
        query = urlencode({"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
                           "state": state, "code_challenge": code_challenge, "code_challenge_method": "S256"})
        return f"{self.base_url}/oauth/authorize?{query}"

    def exchange_code(self, client_id: str, client_secret: str, code: str, redirect_uri: str,
                      code_verifier: str) -> TokenSet:
        """Trade an authorization code for tokens.

        Raises: ZoomInvalidGrant (code bad, used or expired; verifier or redirect mismatch),
        ZoomInvalidClient, ZoomUnavailable.
        """
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "code_verifier": code_verifier}
        # Codes are single use: a resend after Zoom may have seen the code would only fail.
        return self._token(client_id, client_secret, form, idempotent=False)

    def refresh(self, client_id: str, client_secret: str, refresh_token: str) -> TokenSet:
        """Get a new access token; Zoom rotates the refresh token, so persist the returned one at once.

        Raises: ZoomInvalidGrant (refresh token revoked or already rotated), ZoomInvalidClient,
        ZoomUnavailable.
        """
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        # Never resent once it may have reached Zoom: a rotated-away token would come back invalid_grant
        # and the caller would wrongly disconnect the tenant.
        tokens = self._token(client_id, client_secret, form, idempotent=False)
        if tokens.refresh_token is None:
            tokens = TokenSet(tokens.access_token, tokens.expires_at, refresh_token, tokens.scope)
        return tokens

    def account_credentials(self, client_id: str, client_secret: str, account_id: str) -> TokenSet:
        """Get a Server-to-Server token (no refresh token; earlier tokens stay valid).

        Raises: ZoomInvalidClient (field client_secret), ZoomInvalidAccount (field account_id),
        ZoomUnavailable.
        """
        form = {"grant_type": "account_credentials", "account_id": account_id}
        return self._token(client_id, client_secret, form, idempotent=True)

    def revoke(self, client_id: str, client_secret: str, token: str) -> None:
        """Revoke an access token at Zoom (which also uninstalls the app for that user).

        Raises: ZoomInvalidClient, ZoomInvalidGrant or ZoomBadRequest (token unknown), ZoomUnavailable.
        """
        self._transport.send("POST", f"{self.base_url}/oauth/revoke", endpoint="/oauth/revoke",
                             idempotent=True, to_error=partial(token_error, grant_type=None),
                             auth=(client_id, client_secret), data={"token": token})

    def _token(self, client_id: str, client_secret: str, form: dict, *, idempotent: bool) -> TokenSet:
        """POST the token endpoint with Basic auth and a form body; parse the granted tokens."""
        # Expiry counts from before sending, so a slow answer never makes a token look fresher than it is.
        sent_at = self._transport.now()
        resp = self._transport.send(
            "POST", f"{self.base_url}/oauth/token", endpoint=f"/oauth/token {form['grant_type']}",
            idempotent=idempotent, to_error=partial(token_error, grant_type=form["grant_type"]),
            auth=(client_id, client_secret), data=form)
        body = response_json(resp)
        if not body or not body.get("access_token"):
            raise ZoomError("token response without an access_token", status=resp.status_code,
                            request_id=resp.headers.get("x-zm-trackingid"))
        return TokenSet(access_token=body["access_token"],
                        expires_at=sent_at + timedelta(seconds=int(body.get("expires_in", 3600))),
                        refresh_token=body.get("refresh_token"), scope=body.get("scope", ""))

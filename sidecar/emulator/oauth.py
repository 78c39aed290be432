"""OAuth endpoints: `/oauth/authorize` (sign-in + Allow page, or `auto_approve=<email>`), `/token`, `/revoke`."""
from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from flask import Blueprint, jsonify, redirect, request

from . import tokens
from .context import current
from .models import App
from .tokens import TokenError

bp = Blueprint("oauth", __name__, url_prefix="/oauth")

_FORWARDED = ("response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method")

_PAGE = """<!doctype html><html><head><title>Sign in - Zoom emulator</title></head><body>
<h1>Sign in to authorize {app}</h1>{error}
<form method="post" action="">{hidden}
<label>Email <input id="email" name="email" type="email"></label>
<label>Password <input id="password" name="password" type="password"></label>
<button id="allow" type="submit">Allow</button>
</form></body></html>"""


class AuthorizeError(Exception):
    """A request the authorize page refuses without redirecting (Zoom shows an error page)."""


def _check_authorize(params) -> App:
    """Validate the authorize parameters and return the app.

    Raises:
        AuthorizeError: unknown client, redirect mismatch, bad response_type or PKCE method.
    """
    state = current().state
    app = state.apps.get(params.get("client_id", ""))
    if app is None or app.kind != "oauth":
        raise AuthorizeError("Invalid client_id (4702).")
    if params.get("redirect_uri") != app.redirect_uri:
        raise AuthorizeError("Redirect URI mismatch (4709).")
    if params.get("response_type") != "code":
        raise AuthorizeError("Unsupported response_type; only 'code' is allowed.")
    if params.get("code_challenge"):
        if params.get("code_challenge_method") != "S256":
            raise AuthorizeError("Unsupported code_challenge_method; only S256 is allowed.")
    elif state.options.require_pkce:
        raise AuthorizeError("code_challenge is required.")
    return app


def _approve(app: App, email: str, password: str | None):
    """Issue a code for the signed-in user and redirect back, or re-show the form with an error."""
    state = current().state
    user = state.user_by_email(email or "")
    if user is None or user.status != "active" or (password is not None and user.password
                                                    and password != user.password):
        return _form(app, "Unknown user, wrong password or inactive account."), 200
    code = tokens.issue_code(state, app, user.id, request.values["redirect_uri"],
                             request.values.get("code_challenge", ""))
    query = {"code": code}
    if "state" in request.values:
        query["state"] = request.values["state"]
    separator = "&" if "?" in app.redirect_uri else "?"
    return redirect(f"{app.redirect_uri}{separator}{urlencode(query)}", code=302)


def _form(app: App, error: str = "") -> str:
    hidden = "".join(f'<input type="hidden" name="{k}" value="{escape(request.values[k])}">'
                     for k in _FORWARDED if k in request.values)
    return _PAGE.format(app=escape(app.client_id), hidden=hidden,
                        error=f'<p id="error">{escape(error)}</p>' if error else "")


@bp.route("/authorize", methods=["GET", "POST"])
def authorize():
    """Show the sign-in page, or with `auto_approve`/a posted form, redirect with `code` and `state`."""
    try:
        app = _check_authorize(request.values)
    except AuthorizeError as exc:
        return f"<!doctype html><p id='error'>{escape(str(exc))}</p>", 400
    if request.method == "POST":
        return _approve(app, request.form.get("email", ""), request.form.get("password", ""))
    if request.args.get("auto_approve"):
        return _approve(app, request.args["auto_approve"], None)
    return _form(app)


@bp.post("/token")
def token():
    """Grant tokens for authorization_code, refresh_token or account_credentials."""
    state = current().state
    params = request.values  # query string or form body, as Zoom accepts both
    try:
        auth = request.authorization
        if auth is None or auth.type != "basic":
            raise TokenError("Invalid client_id or client_secret", "invalid_client")
        app = tokens.check_client(state, auth.username or "", auth.password or "")
        grant = params.get("grant_type", "")
        api_url = request.host_url.rstrip("/")
        if grant == "authorization_code" and app.kind == "oauth":
            pair = tokens.exchange_code(state, app, params.get("code", ""), params.get("redirect_uri", ""),
                                        params.get("code_verifier", ""))
            return jsonify(tokens.token_json(state, pair[0], pair[1], api_url))
        if grant == "refresh_token" and app.kind == "oauth":
            pair = tokens.refresh(state, app, params.get("refresh_token", ""))
            return jsonify(tokens.token_json(state, pair[0], pair[1], api_url))
        if grant == "account_credentials":
            access = tokens.account_credentials(state, app, params.get("account_id", ""))
            return jsonify(tokens.token_json(state, access, None, api_url))
        raise TokenError("Unsupported grant type", "unsupported_grant_type")
    except TokenError as exc:
        return jsonify(exc.body()), 400


@bp.post("/revoke")
def revoke():
    """Revoke a token's family; answers `{"status": "success"}`."""
    emulator = current()
    try:
        auth = request.authorization
        if auth is None or auth.type != "basic":
            raise TokenError("Invalid client_id or client_secret", "invalid_client")
        app = tokens.check_client(emulator.state, auth.username or "", auth.password or "")
        revoked = tokens.revoke_token(emulator.state, app, request.values.get("token", ""))
    except TokenError as exc:
        return jsonify(exc.body()), 400
    if emulator.state.options.revoke_sends_deauthorized and app.webhook_url:
        emulator.webhooks.send_deauthorized(app, revoked.account_id, revoked.user_id, app.webhook_url)
    return jsonify({"status": "success"})

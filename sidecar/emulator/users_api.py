"""REST `/v2` user endpoints: `GET /users/{me|id|email}`, its `/settings`, and `GET /users` (status filter, cursor)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from . import meetings, security
from .api import authorize, find_user, page, require_scope
from .context import current

bp = Blueprint("users", __name__, url_prefix="/v2")


@bp.get("/users/<user_ref>")
def get_user(user_ref: str):
    """Return one user (`me`, id or email) of the token's account."""
    token = authorize()
    return jsonify(find_user(token, user_ref, "user:read:user", "user:read").as_json())


@bp.get("/users/<user_ref>/settings")
def get_user_settings(user_ref: str):
    """Return the user's settings (security.py); `option=meeting_security` answers only that part."""
    token = authorize()
    user = find_user(token, user_ref, "user:read:settings", "user:read")
    account = current().state.account(user.account_id)
    found = security.user_settings(account.passcode_rules, account.require_password, meetings.DEFAULT_SETTINGS,
                                   request.args.get("option"))
    return jsonify(found)


@bp.get("/users")
def list_users():
    """List the account's users with a status filter and a next_page_token cursor."""
    token = authorize()
    require_scope(token, "user:read:list_users", "user:read", other_user=True)
    status = request.args.get("status", "active")
    state = current().state
    with state.lock:
        users = sorted((u for u in state.users.values() if u.account_id == token.account_id and u.status == status),
                       key=lambda u: u.created_at)
    chunk, paging = page(f"users:{token.account_id}:{status}", users, 30, 2000)
    return jsonify({**paging, "users": [u.as_json(include_id=u.status != "pending") for u in chunk]})

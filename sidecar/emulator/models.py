"""Domain objects the emulator keeps: accounts, users, apps, tokens, codes, meetings."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .clock import iso_z


@dataclass
class Account:
    """A Zoom account: users, meetings, limits and meeting security rules are per account."""

    id: str
    timezone: str = "UTC"
    passcode_rules: dict = field(default_factory=dict)  # meeting_password_requirement (security.py)
    require_password: bool = True  # a create without a passcode gets one generated


@dataclass
class User:
    """A user of one account; `status` is active, inactive or pending."""

    id: str
    account_id: str
    email: str
    first_name: str
    last_name: str
    status: str = "active"
    type: int = 2
    timezone: str = "UTC"
    role_name: str = "Member"
    pmi: int = 0
    created_at: float = 0.0
    password: str = ""

    def as_json(self, include_id: bool = True) -> dict:
        """Return the user as Zoom's user object."""
        body = {
            "id": self.id, "email": self.email, "first_name": self.first_name,
            "last_name": self.last_name, "display_name": f"{self.first_name} {self.last_name}".strip(),
            "type": self.type, "status": self.status, "timezone": self.timezone,
            "account_id": self.account_id, "pmi": self.pmi, "use_pmi": False, "language": "en-US",
            "role_id": {"Owner": "0", "Admin": "1"}.get(self.role_name, "2"), "role_name": self.role_name,
            "dept": "", "verified": 1, "created_at": iso_z(self.created_at),
            "user_created_at": iso_z(self.created_at), "last_login_time": iso_z(self.created_at),
            "personal_meeting_url": "", "pic_url": "", "group_ids": [],
        }
        if not include_id:
            del body["id"]
        return body


@dataclass
class App:
    """An OAuth app (kind "oauth", Marketplace-wide) or a Server-to-Server app (kind "s2s", one account)."""

    kind: str
    client_id: str
    client_secret: str
    secret_token: str
    scopes: list[str]
    redirect_uri: str = ""
    account_id: str = ""
    webhook_url: str = ""


@dataclass
class Token:
    """An access or refresh token; tokens of one authorization share a family."""

    value: str
    kind: str
    client_id: str
    account_id: str
    user_id: str
    family: str
    scopes: list[str]
    expires_at: float
    revoked: bool = False


@dataclass
class AuthCode:
    """A one-time authorization code bound to app, user, redirect URI and PKCE challenge."""

    value: str
    client_id: str
    user_id: str
    account_id: str
    redirect_uri: str
    code_challenge: str
    expires_at: float
    used: bool = False


@dataclass
class Meeting:
    """A scheduled meeting; `deleted` meetings answer 404 code 3001."""

    id: int
    uuid: str
    account_id: str
    host_id: str
    host_email: str
    topic: str
    type: int
    start_time: datetime
    duration: int
    timezone: str
    agenda: str
    password: str
    encrypted_password: str
    settings: dict
    created_at: float
    status: str = "waiting"
    ended: bool = False  # held and over: DELETE answers 3007 (its status is "waiting" again, as Zoom shows it)
    deleted: bool = False
    extra: dict = field(default_factory=dict)

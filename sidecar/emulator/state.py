"""All emulator data behind one lock: accounts, users, apps, tokens, codes, meetings, page cursors."""
from __future__ import annotations

import copy
import threading
from collections import defaultdict

from . import ids
from .clock import Clock
from .models import Account, App, AuthCode, Meeting, Token, User
from .options import EmulatorOptions

DEFAULT_SCOPES = [
    "user:read:user:admin", "user:read:list_users:admin", "user:read:settings:admin", "meeting:read:meeting:admin",
    "meeting:read:list_meetings:admin", "meeting:write:meeting:admin",
    "meeting:update:meeting:admin", "meeting:delete:meeting:admin",
]


class NotFound(LookupError):
    """Raised when a seeded object the caller named does not exist."""


class EmulatorState:
    """Thread-safe store of everything the emulator knows; callers hold `lock` for compound changes."""

    def __init__(self, options: EmulatorOptions) -> None:
        self.lock = threading.RLock()
        self.clock = Clock()
        self._initial_options = copy.deepcopy(options)
        self.options = options
        self.generation = 0  # bumped by reset(): a call stalled across a reset must not act on the new data
        self._clear()

    def _clear(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.users: dict[str, User] = {}
        self.apps: dict[str, App] = {}
        self.tokens: dict[str, Token] = {}
        self.codes: dict[str, AuthCode] = {}
        self.meetings: dict[int, Meeting] = {}
        self.zaks: dict[str, tuple[int, float]] = {}
        self.page_tokens: dict[str, tuple[str, int, float]] = {}
        self.usage: dict[tuple, int] = defaultdict(int)

    def reset(self) -> None:
        """Forget all data and restore the options and clock the emulator started with."""
        with self.lock:
            self.generation += 1
            self._clear()
            self.options = copy.deepcopy(self._initial_options)
            self.clock.reset()

    def add_account(self, account_id: str | None = None, timezone: str = "UTC") -> Account:
        """Create an account (random id unless given)."""
        with self.lock:
            account = Account(id=account_id or ids.zoom_id(22), timezone=timezone)
            self.accounts[account.id] = account
            return account

    def add_user(self, account_id: str, email: str, first_name: str = "", last_name: str = "",
                 status: str = "active", role_name: str = "Member", timezone: str | None = None,
                 user_type: int = 2, password: str = "", user_id: str | None = None) -> User:
        """Create a user in an account; emails are unique across the emulator.

        Raises:
            NotFound: the account does not exist.
            ValueError: the email is taken or the status unknown.
        """
        with self.lock:
            account = self.account(account_id)
            if self.user_by_email(email):
                raise ValueError(f"email already used: {email}")
            if status not in ("active", "inactive", "pending"):
                raise ValueError(f"unknown user status: {status}")
            user = User(id=user_id or ids.zoom_id(22), account_id=account.id, email=email,
                        first_name=first_name, last_name=last_name, status=status, type=user_type,
                        timezone=timezone or account.timezone, role_name=role_name,
                        pmi=ids.meeting_number(), created_at=self.clock.now(), password=password)
            self.users[user.id] = user
            return user

    def add_app(self, kind: str, redirect_uri: str = "", account_id: str = "", client_id: str | None = None,
                client_secret: str | None = None, secret_token: str | None = None,
                scopes: list[str] | None = None, webhook_url: str = "") -> App:
        """Create an OAuth app (kind "oauth") or a Server-to-Server app (kind "s2s").

        Raises:
            NotFound: an S2S app names an unknown account.
            ValueError: unknown kind, or an OAuth app without redirect_uri.
        """
        with self.lock:
            if kind == "s2s":
                self.account(account_id)
            elif kind != "oauth" or not redirect_uri:
                raise ValueError("an app is kind 'oauth' with a redirect_uri, or kind 's2s' with an account_id")
            app = App(kind=kind, client_id=client_id or ids.secret(22), client_secret=client_secret or ids.secret(32),
                      secret_token=secret_token or ids.secret(22), scopes=list(scopes or DEFAULT_SCOPES),
                      redirect_uri=redirect_uri, account_id=account_id if kind == "s2s" else "",
                      webhook_url=webhook_url)
            self.apps[app.client_id] = app
            return app

    def account(self, account_id: str) -> Account:
        """Return an account.

        Raises:
            NotFound: no such account.
        """
        account = self.accounts.get(account_id)
        if account is None:
            raise NotFound(f"account not found: {account_id}")
        return account

    def app(self, client_id: str) -> App:
        """Return an app.

        Raises:
            NotFound: no such app.
        """
        app = self.apps.get(client_id)
        if app is None:
            raise NotFound(f"app not found: {client_id}")
        return app

    def user_by_email(self, email: str) -> User | None:
        """Return the user with this email (case-insensitive), or None."""
        wanted = email.lower()
        return next((u for u in self.users.values() if u.email.lower() == wanted), None)

    def find_user(self, account_id: str, id_or_email: str) -> User | None:
        """Return the user of this account with this id or email, or None."""
        user = self.users.get(id_or_email) or (self.user_by_email(id_or_email) if "@" in id_or_email else None)
        return user if user and user.account_id == account_id else None

    def account_owner(self, account_id: str) -> User | None:
        """Return the account's owner (else its first admin, else first user), the `me` of S2S tokens."""
        members = [u for u in self.users.values() if u.account_id == account_id]
        for role in ("Owner", "Admin"):
            for user in members:
                if user.role_name == role:
                    return user
        return members[0] if members else None

    def new_page_token(self, key: str, offset: int) -> str:
        """Store a list cursor valid for page_token_ttl and return its token."""
        token = ids.secret(32)
        self.page_tokens[token] = (key, offset, self.clock.now() + self.options.page_token_ttl)
        return token

    def page_offset(self, token: str, key: str) -> int | None:
        """Return the offset of a live cursor for this listing, or None if unknown/expired/other listing."""
        entry = self.page_tokens.get(token)
        if entry is None or entry[0] != key or entry[2] < self.clock.now():
            return None
        return entry[1]

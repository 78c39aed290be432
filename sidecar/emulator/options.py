"""Emulator options: lifetimes, limits and behaviour switches, all overridable for tests.

Keys (all optional; seconds unless noted):
  access_token_ttl (3600), refresh_token_ttl (15 years), code_ttl (300), start_url_ttl (7200),
  page_token_ttl (900), refresh_keeps_access (True: rotating a refresh token leaves earlier access
  tokens valid until they expire), require_pkce (False), revoke_sends_deauthorized (False),
  qps ({"Light": 1000, "Medium": 1000}: per-second requests per account and category; generous
  by default, real Business+ is 80 and 60),
  account_daily ({"Light": 60000, "Medium": 60000}: requests per account, category and UTC day),
  user_daily_meeting_limit (100: meeting creates + updates per host user and UTC day),
  webhook_timeout (3.0), webhook_retry_delays ([0.2, 0.5, 1.0]: Zoom's +5/+20/+60 min, compressed).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields

FIFTEEN_YEARS = 15 * 365 * 24 * 3600


@dataclass
class EmulatorOptions:
    """Tunable emulator behaviour; see the module docstring for each key."""

    access_token_ttl: float = 3600
    refresh_token_ttl: float = FIFTEEN_YEARS
    code_ttl: float = 300
    start_url_ttl: float = 7200
    page_token_ttl: float = 900
    refresh_keeps_access: bool = True
    require_pkce: bool = False
    revoke_sends_deauthorized: bool = False
    qps: dict = field(default_factory=lambda: {"Light": 1000, "Medium": 1000})
    account_daily: dict = field(default_factory=lambda: {"Light": 60000, "Medium": 60000})
    user_daily_meeting_limit: int = 100
    webhook_timeout: float = 3.0
    webhook_retry_delays: list = field(default_factory=lambda: [0.2, 0.5, 1.0])

    def update(self, changes: dict) -> None:
        """Apply a partial dict of changes; dict-valued keys are merged, not replaced.

        Raises:
            ValueError: on an unknown key.
        """
        known = {f.name for f in fields(self)}
        for key, value in changes.items():
            if key not in known:
                raise ValueError(f"unknown emulator option: {key}")
            current = getattr(self, key)
            if isinstance(current, dict) and isinstance(value, dict):
                current.update(value)
            else:
                setattr(self, key, copy.deepcopy(value))

    def as_dict(self) -> dict:
        """Return the options as a plain JSON-able dict."""
        return {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self)}


def build_options(options: dict | EmulatorOptions | None) -> EmulatorOptions:
    """Turn None, a dict of overrides or an EmulatorOptions into a fresh EmulatorOptions."""
    if isinstance(options, EmulatorOptions):
        return copy.deepcopy(options)
    built = EmulatorOptions()
    built.update(options or {})
    return built

"""Zoom licences of hosts: a Basic (unlicensed) user's meetings end after 40 minutes, so linking one warns
the tenant and the tenant status counts the upcoming bookings that will be cut short.

User types are Zoom's (`GET /users`: 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None;
zoom-api.md section 2.2); they are cached on the connection each time the account's users are listed.
"""
from __future__ import annotations

import time

from sidecar.context import Context
from sidecar import cross_table
from sidecar.store import connections

BASIC = 1
BASIC_LIMIT_MINUTES = 40
_NAMES = {BASIC: "Basic", 2: "Licensed", 4: "Unassigned", 99: "None"}


def licence_name(user_type: int | None) -> str:
    """Zoom's user type in words."""
    return _NAMES.get(user_type, "Unknown")


def basic_warning(user: dict, name: str) -> str | None:
    """What to tell a tenant linking this Zoom user to a staff member, or None."""
    if user.get("type") != BASIC:
        return None
    return f"{name} has a Basic (free) Zoom licence: Zoom ends their meetings after {BASIC_LIMIT_MINUTES} minutes"


def remember_types(ctx: Context, tenant_id: int, users: list[dict]) -> None:
    """Cache the licence type of each listed user of the tenant's account."""
    connections.set_user_types(ctx.db, tenant_id, {u["id"]: u.get("type") for u in users})


def cut_short(ctx: Context, tenant_id: int) -> int:
    """How many upcoming bookings with a meeting hosted by a Basic user last longer than its 40 minutes."""
    basic_hosts = [uid for uid, kind in connections.user_types(ctx.db, tenant_id).items() if kind == BASIC]
    return cross_table.count_upcoming_longer_than(ctx.db, tenant_id, basic_hosts, BASIC_LIMIT_MINUTES,
                                                  int(time.time()))

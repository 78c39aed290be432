"""A staff member's Zoom user (the add-on's `staff` / `zoom_user` row): who hosts their meetings."""
from __future__ import annotations

import time

from sidecar import cross_table
from sidecar.booknetic import addon_data, staff
from sidecar.context import Context
from sidecar.errors import NotFound, Unprocessable
from sidecar.services import licences
from sidecar.services.zoom_account import zoom_users


def _require_staff(ctx: Context, tenant_id: int, staff_id: int) -> None:
    if not staff.staff_exists(ctx.db, tenant_id, staff_id):
        raise NotFound(f"staff {staff_id} not found", code="unknown_staff")


def staff_zoom_user(ctx: Context, tenant_id: int, staff_id: int) -> dict | None:
    """The Zoom user ({"id", "name"}) the tenant's staff member hosts as, or None.

    Raises:
        NotFound: the tenant has no such staff member.
    """
    _require_staff(ctx, tenant_id, staff_id)
    return addon_data.staff_zoom_user(ctx.db, tenant_id, staff_id)


def display_name(user: dict) -> str:
    """How the add-on names a Zoom user in its staff row: "First Last ( email )"."""
    name = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p).strip()
    return f"{name or user.get('display_name') or ''} ( {user.get('email') or ''} )".strip()


def set_staff_zoom_user(ctx: Context, tenant_id: int, staff_id: int,
                        zoom_user_id: str | None) -> tuple[dict | None, str | None]:
    """Link the tenant's staff member to a user of the connected Zoom account (None unlinks); return the link
    and a warning for the tenant (a Basic user's meetings end after 40 minutes) or None.

    Raises:
        NotFound: the tenant has no such staff member.
        Unprocessable: the Zoom account has no such user (field zoom_user_id).
        NotConnected, NeedsReconnect, ZoomUnavailable, ZoomRefused: the account's users cannot be listed.
    """
    _require_staff(ctx, tenant_id, staff_id)
    link, warning = None, None
    if zoom_user_id is not None:
        found = next((u for u in zoom_users(ctx, tenant_id) if u["id"] == zoom_user_id), None)
        if found is None:
            raise Unprocessable("the connected Zoom account has no user with this id", field="zoom_user_id",
                                code="unknown_zoom_user")
        link = {"id": found["id"], "name": display_name(found)}
        warning = licences.basic_warning(found, link["name"])
    addon_data.set_staff_zoom_user(ctx.db, tenant_id, staff_id, link)
    # Meetings follow the host: the staff member's coming appointments move to the new user (or lose theirs).
    cross_table.enqueue_upcoming(ctx.db, tenant_id, int(time.time()), staff_id=staff_id)
    return link, warning

"""Workflow shortcodes (SPEC section 6): {zoom_meeting_url}, {zoom_meeting_password}, {zoom_meeting_host_url}.

The shim calls this from every workflow action, so it never fails on Booknetic's side of things:
no meeting by design gives empty strings, a meeting not made yet is synced inline within a budget,
and when Zoom is too slow the customer gets the stable join link instead of a hole.
"""
from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from sidecar import cross_table
from sidecar.context import Context
from sidecar.metrics import events as metrics
from sidecar.services import links, sync_jobs
from sidecar.services.inline_sync import sync_within
from sidecar.store import meetings

log = logging.getLogger("sidecar.shortcodes")

CHANNELS = ("email", "sms", "whatsapp", "telegram")
AUDIENCES = ("customer", "staff", "admin", "unknown")
URL, PASSWORD, HOST_URL = "zoom_meeting_url", "zoom_meeting_password", "zoom_meeting_host_url"
_SHORTCODE = re.compile(r"\{(zoom_meeting_url|zoom_meeting_password|zoom_meeting_host_url)\}")


@dataclass(frozen=True)
class MeetingLinks:
    """What the appointment's shortcodes stand for; `pending` means the meeting is still to be made."""

    join_url: str
    password: str
    pending: bool = False

    @property
    def exists(self) -> bool:
        return bool(self.join_url) or self.pending


NO_LINKS = MeetingLinks(join_url="", password="")


def expand(ctx: Context, tenant_id: int, appointment_id: int, channel: str, audience: str,
           texts: list[str]) -> list[str]:
    """texts with the three Zoom shortcodes replaced; every other byte, other shortcodes included, unchanged."""
    wanted = {m for text in texts for m in _SHORTCODE.findall(text)}
    if not wanted:
        return list(texts)
    host_allowed = audience != "customer" or ctx.config.shortcodes.allow_host_url_for_customers
    if HOST_URL in wanted and not host_allowed:
        log.info("host_link_withheld", extra={"tenant_id": tenant_id, "appointment_id": appointment_id})
    needs_meeting = bool(wanted - {HOST_URL}) or host_allowed
    found = meeting_links(ctx, tenant_id, appointment_id) if needs_meeting else NO_LINKS
    values = {
        URL: links.join_link(ctx, tenant_id, appointment_id) if found.pending else found.join_url,
        PASSWORD: found.password,
        HOST_URL: links.host_link(ctx, tenant_id, appointment_id) if found.exists and host_allowed else "",
    }
    if channel == "email":
        values = {k: html.escape(v) for k, v in values.items()}
    metrics.shortcodes_expanded(channel)
    return [_SHORTCODE.sub(lambda m: values[m[1]], text) for text in texts]


def meeting_links(ctx: Context, tenant_id: int, appointment_id: int) -> MeetingLinks:
    """The appointment's meeting as the shortcodes see it, syncing inline when it is due but not made yet."""
    view = cross_table.zoom_view(ctx.db, tenant_id, appointment_id)
    if not view.busy or view.capabilities.get("zoom") != "on":
        return NO_LINKS
    if view.zoom_meeting_id is not None and view.meeting_state in meetings.LIVE_STATES:
        return MeetingLinks(join_url=view.join_url or "", password=view.password or "")
    if view.meeting_state == meetings.DELETED_ON_ZOOM:
        return NO_LINKS  # a person deleted it on Zoom; it is not recreated behind the host's back
    outcome = sync_within(ctx, tenant_id, appointment_id, ctx.config.shortcodes.inline_sync_budget)
    meeting = meetings.get(ctx.db, tenant_id, appointment_id)
    if meeting is not None and meeting.live:
        return MeetingLinks(join_url=meeting.join_url or "", password=meeting.password or "")
    if outcome is not None and outcome.kind == sync_jobs.DONE:
        return NO_LINKS  # the sync ran to the end and decided the appointment needs no meeting
    log.info("shortcode_meeting_pending", extra={"tenant_id": tenant_id, "appointment_id": appointment_id,
                                                 "outcome": outcome.kind if outcome else "unfinished"})
    return MeetingLinks(join_url="", password="", pending=True)

"""GET /v1/join/<token> and /v1/host/<token>: stable links, relayed by the shim for people not logged in.

The shim signs these as `platform`; the tenant and appointment come from the token, which the
sidecar signed itself. Answers are small HTML pages or redirects, because a browser shows them.
"""
from __future__ import annotations

from flask import Blueprint, Response, g, redirect

from sidecar import context
from sidecar.http.auth import PLATFORM
from sidecar.http.errors import DATABASE_DOWN, DATABASE_RETRY_SECONDS, database_down
from sidecar.services import links

bp = Blueprint("links", __name__)

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
{head}<title>{title}</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 4em auto; text-align: center">
<h1>{title}</h1><p>{text}</p></body></html>
"""
REFRESH_SECONDS = 15
RETRY_SECONDS = 60


@bp.get("/join/<token>")
def join(token: str):
    return _answer(token, links.JOIN, links.join_target)


@bp.get("/host/<token>")
def host(token: str):
    return _answer(token, links.HOST, links.host_target)


def _answer(token: str, kind: str, resolve) -> Response:
    ctx = context.current()
    link = links.parse(ctx, token)
    if link is None or link.kind != kind or g.tenant not in (PLATFORM, str(link.tenant_id)):
        return _gone()
    target = resolve(ctx, link)
    if target.outcome == "redirect":
        response = redirect(target.url, code=302)
    elif target.outcome == "preparing":
        response = _page(200, "Your meeting link is being prepared",
                         "This page will open the meeting as soon as it is ready. You can keep it open.",
                         head=f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">')
    elif target.outcome == "unavailable":
        response = _page(503, "Zoom is not reachable right now", "Please try again in a minute.")
        response.headers["Retry-After"] = str(RETRY_SECONDS)
    elif target.outcome == "disconnected":
        response = _page(503, "The Zoom account is not connected",
                         "The business's Zoom connection needs to be renewed before the meeting can be started. "
                         "Please ask them to reconnect Zoom in their settings.")
    else:
        return _gone()
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(DATABASE_DOWN[0])
@bp.errorhandler(DATABASE_DOWN[1])
def _database_down(exc) -> Response:
    """A browser opened the link: a page, not JSON (the signature check before the route is covered too)."""
    database_down(exc)
    response = _page(503, "Please try again shortly", "The meeting link cannot be opened right now. "
                     "Please try again in a few moments.",
                     head=f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">')
    response.headers["Retry-After"] = str(DATABASE_RETRY_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _gone() -> Response:
    return _page(404, "This meeting link is not valid",
                 "The appointment may have been canceled or the link copied incompletely.")


def _page(status: int, title: str, text: str, head: str = "") -> Response:
    body = _PAGE.format(head=head, title=title, text=text)
    return Response(body, status=status, mimetype="text/html")

"""The one owner of per-thread state: config, database, crypto and the Zoom client of this thread.

pymysql connections and requests sessions are not thread-safe, so each thread (a gunicorn request
thread, an inline-sync pool thread, the job worker) works through a Context of its own. Requests reach
theirs with `current()`; other threads with `for_thread(config)`.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import Flask, current_app

from sidecar.config import Config
from sidecar.database import Database
from sidecar.metrics import events as metrics
from sidecar.store.crypto import Crypto
from sidecar.zoom import ZoomClient

_local = threading.local()


@dataclass
class Context:
    config: Config
    db: Database
    crypto: Crypto
    zoom: ZoomClient


def build(config: Config, db: Database | None = None) -> Context:
    """A new Context (its own database connection unless one is given)."""
    return Context(
        config=config,
        db=db or Database(config.database),
        crypto=Crypto(config.security.encryption_keys),
        zoom=ZoomClient(config.zoom.oauth_base_url, config.zoom.api_base_url, config.zoom.timeout,
                        observe=metrics.zoom_call),
    )


def for_thread(config: Config) -> Context:
    """This thread's Context for config, built on first use and kept for the thread's next calls."""
    ctx = getattr(_local, "ctx", None)
    if ctx is None or ctx.config is not config:
        if ctx is not None:
            ctx.db.close()
        ctx = _local.ctx = build(config)
    return ctx


def current() -> Context:
    """The running Flask app's Context for this thread."""
    return for_thread(current_app.config["BKZ"])


def init_app(app: Flask) -> None:
    """Close a connection that a failed request left inside a transaction, so the next one starts clean."""
    app.teardown_request(_end_request)


def _end_request(exc: BaseException | None = None) -> None:
    ctx = getattr(_local, "ctx", None)
    if ctx is not None and ctx.db.in_transaction:
        ctx.db.close()

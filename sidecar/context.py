"""What every service needs, built once per thread: config, database, crypto and the Zoom client."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from sidecar.config import Config
from sidecar.metrics import events as metrics
from sidecar.store.crypto import Crypto
from sidecar.store.db import Database
from sidecar.zoom import ZoomClient


@dataclass
class Context:
    config: Config
    db: Database
    crypto: Crypto
    zoom: ZoomClient


def build(config: Config, db: Database | None = None) -> Context:
    """A Context for one thread (pymysql connections and requests sessions are not shared across threads)."""
    return Context(
        config=config,
        db=db or Database(config.database),
        crypto=Crypto(config.security.encryption_keys),
        zoom=ZoomClient(config.zoom.oauth_base_url, config.zoom.api_base_url, config.zoom.timeout,
                        observe=metrics.zoom_call),
    )


def init_app(app) -> None:
    """Give each thread of the app its own Context, reusing the thread's Database."""
    local = threading.local()
    get_db = app.extensions["bkz_db"]

    def get_context() -> Context:
        ctx = getattr(local, "ctx", None)
        if ctx is None:
            ctx = local.ctx = build(app.config["BKZ"], get_db())
        return ctx

    app.extensions["bkz_ctx"] = get_context


def current() -> Context:
    """The Context of the running Flask app for this thread."""
    from flask import current_app

    return current_app.extensions["bkz_ctx"]()

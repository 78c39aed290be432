"""Replay guards: shim request nonces ({nonces}) and accepted Zoom webhook signatures ({webhook_nonces}) seen
in the last few minutes."""
from __future__ import annotations

import time

import pymysql

from sidecar.store.db import Database

_PURGE_EVERY_S = 30.0
_last_purge: dict[str, float] = {}
TABLES = ("nonces", "webhook_nonces")


def remember(db: Database, nonce: str, keep_seconds: int, table: str = "nonces") -> bool:
    """Record nonce in `table` (one of TABLES); False if it was already seen (a replay). Now and then forgets
    nonces older than keep_seconds (older requests fail the timestamp window anyway)."""
    if table not in TABLES:
        raise ValueError(f"not a nonce table: {table}")
    now = time.monotonic()
    if now - _last_purge.get(table, 0.0) > _PURGE_EVERY_S:
        _last_purge[table] = now
        db.execute(f"DELETE FROM {{{table}}} WHERE seen_at < UTC_TIMESTAMP(6) - INTERVAL %(s)s SECOND",
                   {"s": keep_seconds})
    try:
        db.execute(f"INSERT INTO {{{table}}} (nonce, seen_at) VALUES (%(n)s, UTC_TIMESTAMP(6))", {"n": nonce})
    except pymysql.err.IntegrityError:
        return False
    return True

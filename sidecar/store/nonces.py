"""Replay guard: shim request nonces seen in the last few minutes."""
from __future__ import annotations

import time

import pymysql

from sidecar.store.db import Database

_PURGE_EVERY_S = 30.0
_last_purge = 0.0


def remember(db: Database, nonce: str, keep_seconds: int) -> bool:
    """Record nonce; False if it was already seen (a replay). Now and then forgets nonces older than
    keep_seconds (older requests fail the timestamp window anyway, so their nonces need no keeping)."""
    global _last_purge
    now = time.monotonic()
    if now - _last_purge > _PURGE_EVERY_S:
        _last_purge = now
        db.execute("DELETE FROM {nonces} WHERE seen_at < UTC_TIMESTAMP(6) - INTERVAL %(s)s SECOND",
                   {"s": keep_seconds})
    try:
        db.execute("INSERT INTO {nonces} (nonce, seen_at) VALUES (%(n)s, UTC_TIMESTAMP(6))", {"n": nonce})
    except pymysql.err.IntegrityError:
        return False
    return True

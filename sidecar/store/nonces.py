"""Replay guard: shim request nonces seen in the last few minutes."""
from __future__ import annotations

import pymysql

from sidecar.store.db import Database


def remember(db: Database, nonce: str, keep_seconds: int) -> bool:
    """Record nonce; False if it was already seen (a replay). Forgets nonces older than keep_seconds."""
    db.execute(
        "DELETE FROM {nonces} WHERE seen_at < UTC_TIMESTAMP(6) - INTERVAL %(s)s SECOND LIMIT 500",
        {"s": keep_seconds},
    )
    try:
        db.execute("INSERT INTO {nonces} (nonce, seen_at) VALUES (%(n)s, UTC_TIMESTAMP(6))", {"n": nonce})
    except pymysql.err.IntegrityError:
        return False
    return True

"""Replay guards: shim request nonces ({nonces}) and accepted Zoom webhook signatures ({webhook_nonces}) seen
in the last few minutes.

{nonces} is a MEMORY table on the one MariaDB every worker and host uses: a nonce is visible to all of
them as soon as its INSERT returns, and costs no durable commit (it is on every signed request). A restart
of MariaDB empties it, so a request signed before the server started is refused (its nonce may have been
forgotten); such a request is at most one timestamp window old, and the shim's job row makes it safe to
refuse. Webhook signatures are rare and stay in an ordinary (durable) table.
"""
from __future__ import annotations

import time
import weakref

import pymysql

from sidecar.database import Database

_PURGE_EVERY_S = 30.0
_TABLE_FULL = 1114  # ER_RECORD_FILE_FULL: max_heap_table_size reached
_last_purge: dict[str, float] = {}
# When the server behind each open connection started (UNIX time): a reconnect may reach a restarted one.
_server_started: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def remember(db: Database, nonce: str, keep_seconds: int, signed_at: int) -> bool:
    """Record a shim request's nonce; False if it was already seen (a replay) or may have been forgotten by a
    restart of the server. Now and then forgets nonces older than keep_seconds (older requests fail the
    timestamp window anyway, so their nonces need no keeping)."""
    _purge_now_and_then(db, "nonces", keep_seconds)
    if signed_at < _started(db):
        return False
    try:
        return _insert(db, "nonces", nonce)
    except pymysql.err.OperationalError as exc:
        if exc.args[0] != _TABLE_FULL:
            raise
        _purge(db, "nonces", keep_seconds)
        return _insert(db, "nonces", nonce)


def remember_webhook(db: Database, signature: str, keep_seconds: int) -> bool:
    """Record an accepted Zoom webhook signature; False if it was already seen (a replay)."""
    _purge_now_and_then(db, "webhook_nonces", keep_seconds)
    return _insert(db, "webhook_nonces", signature)


def _insert(db: Database, table: str, nonce: str) -> bool:
    try:
        db.execute(f"INSERT INTO {{{table}}} (nonce, seen_at) VALUES (%(n)s, UTC_TIMESTAMP(6))", {"n": nonce})
    except pymysql.err.IntegrityError:
        return False
    return True


def _purge_now_and_then(db: Database, table: str, keep_seconds: int) -> None:
    now = time.monotonic()
    if now - _last_purge.get(table, 0.0) > _PURGE_EVERY_S:
        _last_purge[table] = now
        _purge(db, table, keep_seconds)


def _purge(db: Database, table: str, keep_seconds: int) -> None:
    db.execute(f"DELETE FROM {{{table}}} WHERE seen_at < UTC_TIMESTAMP(6) - INTERVAL %(s)s SECOND",
               {"s": keep_seconds})


def _started(db: Database) -> int:
    conn = db.connection()
    started = _server_started.get(conn)
    if started is None:
        row = db.query_one("SELECT UNIX_TIMESTAMP() - VARIABLE_VALUE AS t FROM information_schema.GLOBAL_STATUS"
                           " WHERE VARIABLE_NAME = 'UPTIME'")
        started = _server_started[conn] = int(row["t"])
    return started

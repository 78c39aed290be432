"""The database handle every layer uses (store/ for our tables, booknetic/ for Booknetic's, cross_table for
both): one pymysql connection per thread, explicit transactions, named locks, table names with the
WordPress prefix. It knows no Flask and no table's meaning."""
from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Iterator

import pymysql
import pymysql.cursors

from sidecar.config import DatabaseConfig

# Our tables (SPEC section 3) and the Booknetic/WordPress tables we read, by short name.
OWN_TABLES = ("schema", "settings", "connections", "meetings", "jobs", "oauth_states", "nonces", "deletions",
              "webhook_nonces", "events")
BOOKNETIC_TABLES = ("appointments", "customers", "staff", "services", "tenants", "plans", "data")

# MySQL errors after which a fresh connection may succeed (server restarted, connection dropped).
_CONNECTION_LOST = {2006, 2013, 2014, 2045, 2055, 4031}
# A connection idle longer than this is pinged before use (a busy one is not: a round trip per query).
_PING_AFTER_IDLE_S = 1.0


def in_list(prefix: str, values: list) -> tuple[str, dict]:
    """`%(p0)s, %(p1)s, ...` for an SQL IN (...) and the parameters that fill it."""
    return (", ".join(f"%({prefix}{i})s" for i in range(len(values))),
            {f"{prefix}{i}": value for i, value in enumerate(values)})


class Database:
    """A lazily opened connection to the WordPress database.

    SQL templates name tables in braces ({jobs}, {appointments}, {options}); `sql()` fills in the
    prefixed names, so only table names are ever formatted into SQL and values are always
    %(name)s parameters.
    """

    def __init__(self, cfg: DatabaseConfig, *, connect_timeout: float = 5):
        self.cfg = cfg
        self._connect_timeout = connect_timeout
        self._conn: pymysql.connections.Connection | None = None
        self._in_tx = False
        self._last_used = 0.0
        p = cfg.table_prefix
        self.tables = {name: f"`{p}bkntc_zoom_{name}`" for name in OWN_TABLES}
        self.tables.update({name: f"`{p}bkntc_{name}`" for name in BOOKNETIC_TABLES})
        self.tables["options"] = f"`{p}options`"

    def sql(self, template: str) -> str:
        """Fill table names into an SQL template."""
        return template.format_map(self.tables)

    def table_name(self, name: str) -> str:
        """The real (unquoted) name of a table, for messages."""
        return self.tables[name].strip("`")

    def _open(self) -> pymysql.connections.Connection:
        kwargs: dict[str, Any] = dict(
            user=self.cfg.user,
            password=self.cfg.password,
            database=self.cfg.name,
            charset="utf8mb4",
            autocommit=True,
            cursorclass=pymysql.cursors.DictCursor,
            connect_timeout=self._connect_timeout,
        )
        if self.cfg.socket:
            kwargs["unix_socket"] = self.cfg.socket
        else:
            kwargs.update(host=self.cfg.host, port=self.cfg.port)
        conn = pymysql.connect(**kwargs)
        with conn.cursor() as cur:
            # READ COMMITTED: a locking read and the plain reads after it see the same, latest rows.
            cur.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
            cur.execute("SET time_zone = '+00:00'")
        return conn

    def connection(self) -> pymysql.connections.Connection:
        """The open connection; reopened if the server went away (never inside a transaction)."""
        now = time.monotonic()
        if self._conn is None:
            self._conn = self._open()
        elif not self._in_tx and now - self._last_used > _PING_AFTER_IDLE_S:
            try:
                self._conn.ping(reconnect=False)
            except pymysql.err.Error:
                self.close()
                self._conn = self._open()
        self._last_used = now
        return self._conn

    def _run(self, sql: str, params: Any):
        try:
            cur = self.connection().cursor()
            cur.execute(self.sql(sql), params)
            return cur
        except pymysql.err.OperationalError as exc:
            if self._in_tx or exc.args[0] not in _CONNECTION_LOST:
                raise
            self.close()  # the server restarted between ping and query: one clean retry
            cur = self.connection().cursor()
            cur.execute(self.sql(sql), params)
            return cur

    def query(self, sql: str, params: Any = None) -> list[dict]:
        """Rows of a SELECT as dicts."""
        return list(self._run(sql, params).fetchall())

    def query_one(self, sql: str, params: Any = None) -> dict | None:
        """The first row of a SELECT, or None."""
        return self._run(sql, params).fetchone()

    def execute(self, sql: str, params: Any = None) -> int:
        """Run a statement; return the affected row count."""
        return self._run(sql, params).rowcount

    def insert(self, sql: str, params: Any = None) -> int:
        """Run an INSERT; return the new row id."""
        return self._run(sql, params).lastrowid

    @property
    def in_transaction(self) -> bool:
        return self._in_tx

    def server_version(self) -> str:
        """The server's VERSION() string, e.g. '10.11.6-MariaDB-0+deb12u1'."""
        return self.query_one("SELECT VERSION() AS v")["v"]

    def existing_tables(self) -> set[str]:
        """The names of the tables this database holds."""
        rows = self.query("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()")
        return {r["t"] for r in rows}

    def now(self) -> datetime:
        """The database server's current UTC time (naive): one clock for every process and host."""
        return self.query_one("SELECT UTC_TIMESTAMP(6) AS now")["now"]

    @contextmanager
    def transaction(self) -> Iterator["Database"]:
        """BEGIN ... COMMIT, rolled back if the block raises. Not reentrant."""
        if self._in_tx:
            raise RuntimeError("nested transaction")
        conn = self.connection()
        conn.begin()
        self._in_tx = True
        try:
            yield self
        except BaseException:
            self._in_tx = False
            try:
                conn.rollback()
            except pymysql.err.Error:
                self.close()
            raise
        self._in_tx = False
        conn.commit()

    @contextmanager
    def named_locks(self, names: list[str], timeout: float) -> Iterator[bool]:
        """Hold MariaDB named locks (server-wide, so scoped by database name) for the block.

        Yields False, holding nothing, when they could not all be had within timeout.
        """
        keys = sorted({self._lock_key(n) for n in names})
        held: list[str] = []
        try:
            for key in keys:
                row = self.query_one("SELECT GET_LOCK(%(k)s, %(t)s) AS ok", {"k": key, "t": timeout})
                if not row or row["ok"] != 1:
                    break
                held.append(key)
            yield len(held) == len(keys)
        finally:
            for key in reversed(held):
                try:
                    self.query_one("SELECT RELEASE_LOCK(%(k)s) AS ok", {"k": key})
                except pymysql.err.Error:
                    self.close()  # locks die with the session
                    break

    def _lock_key(self, name: str) -> str:
        # MariaDB lock names are server-wide and at most 64 characters.
        digest = hashlib.sha1(f"{self.cfg.name}:{name}".encode()).hexdigest()
        return f"bkz:{digest}"

    def close(self) -> None:
        """Close the connection if open."""
        if self._conn is not None:
            try:
                self._conn.close()
            except pymysql.err.Error:
                pass
            self._conn = None
            self._in_tx = False

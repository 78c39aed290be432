"""One line that says why the database refused, naming the server and the [database] keys to fix."""
from __future__ import annotations

import re

import pymysql

from sidecar.config import DatabaseConfig

ACCESS_DENIED = (1044, 1045, 1142, 1143, 1698)
UNKNOWN_DATABASE = 1049
NO_SUCH_TABLE = 1146
UNREACHABLE = (2002, 2003, 2005, 2006, 2013)
# What to look at when Booknetic's tables are not where the config says.
BOOKNETIC_MISSING_FIX = "is Booknetic SaaS installed, and [database] table_prefix right?"


def server(cfg: DatabaseConfig) -> str:
    """user@host:port/name (or the socket) as the sidecar reaches it."""
    where = cfg.socket or f"{cfg.host}:{cfg.port}"
    return f"{cfg.user}@{where}/{cfg.name}"


def is_missing_table(exc: BaseException) -> bool:
    """A statement named a table this database lacks (Booknetic not installed, or migrate not run)."""
    return isinstance(exc, pymysql.err.ProgrammingError) and bool(exc.args) and exc.args[0] == NO_SUCH_TABLE


def reason(exc: pymysql.err.Error) -> str:
    """access denied | unknown database | no such table | connection refused | the error's class name."""
    code = exc.args[0] if exc.args else None
    if code in ACCESS_DENIED:
        return "access denied"
    if code == UNKNOWN_DATABASE:
        return "unknown database"
    if code == NO_SUCH_TABLE:
        return "no such table"
    if code in UNREACHABLE:
        return "connection refused"
    return type(exc).__name__


def explain(exc: pymysql.err.Error, cfg: DatabaseConfig) -> str:
    """What went wrong with the database and which keys or command fix it, in one line."""
    code = exc.args[0] if exc.args else None
    why = reason(exc)
    at = server(cfg)
    if code in (1045, 1698):
        return f"database {at}: access denied: check [database] user and [database] password"
    if code in ACCESS_DENIED:  # connected, but a statement needs a grant the user lacks
        return (f"database {at}: access denied ({_first_line(exc)}): grant the privileges listed in "
                "config.example.ini to [database] user")
    if code == UNKNOWN_DATABASE:
        return f"database {at}: unknown database: check [database] name (DB_NAME in wp-config.php)"
    if code == NO_SUCH_TABLE:
        table = _table(exc)
        fix = ("run booknetic-zoom migrate" if "bkntc_zoom_" in table
               else BOOKNETIC_MISSING_FIX)
        return f"database {at}: table {table} does not exist: {fix}"
    if code in UNREACHABLE:
        return (f"database {at}: {why}: is MariaDB running? check [database] host, [database] port "
                "and [database] socket")
    return f"database {at}: {why} {code}: {_first_line(exc)}: check the [database] section"


def _first_line(exc: pymysql.err.Error) -> str:
    return str(exc.args[1] if len(exc.args) > 1 else exc).splitlines()[0]


def _table(exc: pymysql.err.Error) -> str:
    found = re.search(r"Table '([^']+)'", _first_line(exc))
    return found.group(1).split(".")[-1] if found else "?"

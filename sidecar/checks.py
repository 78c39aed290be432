"""`booknetic-zoom check`: one line per item with ok/fail and how to fix."""
from __future__ import annotations

from dataclasses import dataclass

import pymysql
import requests

from sidecar import config as config_mod
from sidecar.store import migrations
from sidecar.store.crypto import Crypto, SecretDecryptError
from sidecar.store.db import BOOKNETIC_TABLES, Database


@dataclass(frozen=True)
class Check:
    item: str
    ok: bool
    detail: str


def _database_failure(exc: pymysql.err.Error) -> str:
    code = exc.args[0] if exc.args else None
    if code in (1045, 1698):
        return "access denied: check [database] password (and [database] user)"
    if code == 1049:
        return "unknown database: check [database] name"
    if code in (2002, 2003, 2005):
        return "cannot reach the server: check [database] host, [database] port or [database] socket"
    return f"{exc.__class__.__name__} {code}: check the [database] section"


def run_checks(path: str | None) -> list[Check]:
    """Every check in order; later ones are skipped when what they need failed."""
    try:
        cfg = config_mod.load(path)
    except config_mod.ConfigError as exc:
        return [Check("config", False, str(exc))]
    results = [Check("config", True, path or "(environment)")]
    results.append(_keys(cfg))
    db = Database(cfg.database, connect_timeout=3)
    try:
        version = db.query_one("SELECT VERSION() AS v")["v"]
    except pymysql.err.Error as exc:
        results.append(Check("database", False, _database_failure(exc)))
        return results
    results.append(Check("database", True, f"{cfg.database.user}@{cfg.database.host}/{cfg.database.name} ({version})"))
    results.append(_skip_locked(version))
    results.append(_booknetic_tables(db))
    current = migrations.current_version(db)
    results.append(Check(
        "schema", current == migrations.LATEST,
        f"version {current}" if current == migrations.LATEST
        else f"version {current}, expected {migrations.LATEST}: run booknetic-zoom migrate",
    ))
    results.append(_zoom(cfg))
    db.close()
    return results


def _keys(cfg: config_mod.Config) -> Check:
    crypto = Crypto(cfg.security.encryption_keys)
    try:
        crypto.decrypt(crypto.encrypt("check"))
    except SecretDecryptError as exc:
        return Check("encryption keys", False, str(exc))
    return Check("encryption keys", True, f"{len(cfg.security.encryption_keys)} key(s); the first encrypts")


def _skip_locked(version: str) -> Check:
    # FOR UPDATE SKIP LOCKED: MariaDB 10.6+, MySQL 8.0.1+
    parts = [int(p) for p in version.split("-")[0].split(".")[:2]]
    ok = parts >= [10, 6] if "MariaDB" in version else parts >= [8, 0]
    return Check("SKIP LOCKED", ok, "supported" if ok else f"{version} lacks it: use MariaDB 10.6+ or MySQL 8.0.1+")


def _booknetic_tables(db: Database) -> Check:
    names = [db.table_name(t) for t in BOOKNETIC_TABLES] + [db.table_name("options")]
    rows = db.query(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()"
    )
    present = {r["t"] for r in rows}
    missing = [n for n in names if n not in present]
    if missing:
        return Check("booknetic tables", False,
                     f"missing {', '.join(missing)}: is Booknetic SaaS installed, and [database] table_prefix right?")
    return Check("booknetic tables", True, f"{len(names)} tables found")


def _zoom(cfg: config_mod.Config) -> Check:
    try:
        requests.get(cfg.zoom.api_base_url, timeout=min(cfg.zoom.timeout, 5))
    except requests.RequestException as exc:
        return Check("zoom", False, f"{cfg.zoom.api_base_url} unreachable ({exc.__class__.__name__}): check [zoom] api_base_url")
    return Check("zoom", True, f"{cfg.zoom.api_base_url} answers")

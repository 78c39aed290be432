"""`booknetic-zoom check`: one line per item with ok/fail and how to fix."""
from __future__ import annotations

import os
from dataclasses import dataclass

import pymysql
import requests

from sidecar import config as config_mod
from sidecar import db_errors
from sidecar.database import BOOKNETIC_TABLES, Database
from sidecar.store import migrations
from sidecar.store.crypto import Crypto, SecretDecryptError


@dataclass(frozen=True)
class Check:
    item: str
    ok: bool
    detail: str


def run_checks(path: str | None) -> list[Check]:
    """Every check in order; later ones are skipped when what they need failed."""
    try:
        cfg = config_mod.load(path)
    except config_mod.ConfigError as exc:
        return [Check("config", False, str(exc))]
    results = [Check("config", True, path or os.environ.get("BKZ_CONFIG") or config_mod.DEFAULT_PATH)]
    results.extend(_placeholders(cfg))
    results.append(_keys(cfg))
    db = Database(cfg.database, connect_timeout=3)
    try:
        version = db.server_version()
    except pymysql.err.Error as exc:
        results.append(Check("database", False, db_errors.explain(exc, cfg.database)))
        return results
    results.append(Check("database", True, f"{db_errors.server(cfg.database)} ({version})"))
    results.append(_skip_locked(version))
    try:
        results.append(_booknetic_tables(db))
        results.append(Check("schema", *schema_state(db)))
    except pymysql.err.Error as exc:
        results.append(Check("tables", False, db_errors.explain(exc, cfg.database)))
    results.append(_zoom(cfg))
    db.close()
    return results


def schema_state(db: Database) -> tuple[bool, str]:
    """(current?, what to say) about our migrations."""
    current = migrations.current_version(db)
    if current is None:
        return False, "not migrated: run booknetic-zoom migrate"
    if current < migrations.LATEST:
        return False, f"version {current}, expected {migrations.LATEST}: run booknetic-zoom migrate"
    return True, f"version {current}"


def missing_booknetic_tables(db: Database) -> list[str]:
    """Booknetic's and WordPress's tables the sidecar reads that this database lacks."""
    names = [db.table_name(t) for t in BOOKNETIC_TABLES] + [db.table_name("options")]
    present = db.existing_tables()
    return [n for n in names if n not in present]


def _placeholders(cfg: config_mod.Config) -> list[Check]:
    found = [f"[{section}] {key}" for (section, key), example in config_mod.PLACEHOLDERS.items()
             if getattr(getattr(cfg, section), key) == example]
    if not found:
        return []
    return [Check("placeholders", False,
                  f"{', '.join(found)} still hold config.example.ini's example value: set the real ones")]


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
    missing = missing_booknetic_tables(db)
    if missing:
        return Check("booknetic tables", False,
                     f"missing {', '.join(missing)}: {db_errors.BOOKNETIC_MISSING_FIX}")
    return Check("booknetic tables", True, f"{len(BOOKNETIC_TABLES) + 1} tables found")


def _zoom(cfg: config_mod.Config) -> Check:
    try:
        requests.get(cfg.zoom.api_base_url, timeout=min(cfg.zoom.timeout, 5))
    except requests.RequestException as exc:
        return Check("zoom", False, f"{cfg.zoom.api_base_url} unreachable ({exc.__class__.__name__}): check [zoom] api_base_url")
    return Check("zoom", True, f"{cfg.zoom.api_base_url} answers")

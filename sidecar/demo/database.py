"""Throwaway databases holding Booknetic's tables (for the demo and the tests)."""
from __future__ import annotations

import re
import secrets
from pathlib import Path

import pymysql

# Booknetic's tables as booknetic.md documents them (Booknetic ships no installer SQL).
SCHEMA_SQL = Path(__file__).with_name("booknetic_schema.sql")


def _connect(server: dict, database: str | None = None) -> pymysql.connections.Connection:
    return pymysql.connect(**server, database=database, autocommit=True, charset="utf8mb4")


def create(server: dict, *, prefix: str = "wp_") -> str:
    """A new database named bkz_test_<random> with Booknetic's tables under `prefix`; its name."""
    name = f"bkz_test_{secrets.token_hex(4)}"
    conn = _connect(server)
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    conn.select_db(name)
    sql = re.sub(r"--[^\n]*", "", SCHEMA_SQL.read_text().replace("`wp_", f"`{prefix}"))
    with conn.cursor() as cur:
        for statement in (s.strip() for s in sql.split(";")):
            if statement:
                cur.execute(statement)
    conn.close()
    return name


def drop(server: dict, name: str) -> None:
    """Drop a database made by create()."""
    conn = _connect(server)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()

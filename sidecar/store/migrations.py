"""Versioned, idempotent migrations for our tables, recorded in {prefix}bkntc_zoom_schema.

Over 200 lines: the schema's whole history is one list, in order; each entry is plain DDL."""
from __future__ import annotations

from typing import Callable

from sidecar.database import Database

_TABLE_OPTS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"

# Append new versions; never edit one that has shipped.
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "initial schema",
        [
            f"""CREATE TABLE IF NOT EXISTS {{settings}} (
                tenant_id INT UNSIGNED NOT NULL COMMENT '0 = the platform row',
                enabled TINYINT(1) NULL,
                method VARCHAR(16) NULL COMMENT 'platform: oauth | s2s',
                client_id VARCHAR(255) NULL,
                client_secret_enc TEXT NULL,
                webhook_secret_enc TEXT NULL,
                meeting_title TEXT NULL,
                meeting_agenda TEXT NULL,
                random_password TINYINT(1) NULL,
                updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
                PRIMARY KEY (tenant_id)
            ) {_TABLE_OPTS}""",
            f"""CREATE TABLE IF NOT EXISTS {{connections}} (
                tenant_id INT UNSIGNED NOT NULL,
                method VARCHAR(16) NOT NULL COMMENT 'oauth | s2s',
                status VARCHAR(32) NOT NULL DEFAULT 'connected' COMMENT 'connected | needs_reconnect',
                zoom_account_id VARCHAR(255) NULL,
                zoom_user_id VARCHAR(255) NULL,
                zoom_user_email VARCHAR(255) NULL,
                client_id VARCHAR(255) NULL COMMENT 'OAuth: the platform app; S2S: the tenant app',
                client_secret_enc TEXT NULL COMMENT 'S2S only',
                access_token_enc TEXT NULL,
                access_expires_at DATETIME(6) NULL,
                refresh_token_enc TEXT NULL,
                connected_at DATETIME(6) NOT NULL,
                updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
                PRIMARY KEY (tenant_id),
                KEY deauth (client_id, zoom_account_id, zoom_user_id)
            ) {_TABLE_OPTS}""",
            f"""CREATE TABLE IF NOT EXISTS {{meetings}} (
                id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
                tenant_id INT UNSIGNED NOT NULL,
                appointment_id INT UNSIGNED NOT NULL,
                zoom_meeting_id BIGINT UNSIGNED NULL,
                host_user_id VARCHAR(255) NULL,
                join_url TEXT NULL,
                password VARCHAR(64) NULL,
                slot_key VARCHAR(128) NULL COMMENT 'staff:service:location:starts_at of the synced slot',
                fingerprint VARCHAR(1024) NULL COMMENT 'JSON: start, duration, topic, timezone',
                state VARCHAR(32) NOT NULL COMMENT 'active | deleted | deleted_on_zoom | failed',
                last_error TEXT NULL,
                created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
                PRIMARY KEY (id),
                UNIQUE KEY appointment (appointment_id),
                KEY tenant_state (tenant_id, state),
                KEY zoom_meeting (zoom_meeting_id)
            ) {_TABLE_OPTS}""",
            f"""CREATE TABLE IF NOT EXISTS {{jobs}} (
                id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
                tenant_id INT UNSIGNED NOT NULL,
                appointment_id INT UNSIGNED NOT NULL,
                version INT UNSIGNED NOT NULL DEFAULT 1 COMMENT 'bumped by every enqueue',
                run_after DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                attempts INT UNSIGNED NOT NULL DEFAULT 0,
                last_error TEXT NULL,
                locked_by VARCHAR(128) NULL,
                locked_until DATETIME(6) NULL,
                created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                PRIMARY KEY (id),
                UNIQUE KEY appointment (tenant_id, appointment_id),
                KEY due (run_after)
            ) {_TABLE_OPTS}""",
            f"""CREATE TABLE IF NOT EXISTS {{oauth_states}} (
                state_hash CHAR(64) NOT NULL COMMENT 'sha256 of the state; the state itself is not kept',
                tenant_id INT UNSIGNED NOT NULL,
                wp_user_id BIGINT UNSIGNED NOT NULL,
                code_verifier_enc TEXT NOT NULL,
                return_url TEXT NOT NULL,
                expires_at DATETIME(6) NOT NULL,
                used_at DATETIME(6) NULL,
                PRIMARY KEY (state_hash),
                KEY expires (expires_at)
            ) {_TABLE_OPTS}""",
            f"""CREATE TABLE IF NOT EXISTS {{nonces}} (
                nonce VARCHAR(64) NOT NULL,
                seen_at DATETIME(6) NOT NULL,
                PRIMARY KEY (nonce),
                KEY seen (seen_at)
            ) {_TABLE_OPTS}""",
        ],
    ),
    (
        2,
        "meetings: pending create marker, slot index",
        [
            # A create whose outcome may be unknown is recorded (marker, host, slot) before the POST, so
            # whoever syncs that slot next looks the meeting up on Zoom instead of making a second one.
            """ALTER TABLE {meetings}
                ADD COLUMN IF NOT EXISTS pending_marker VARCHAR(64) NULL,
                ADD COLUMN IF NOT EXISTS pending_host VARCHAR(255) NULL,
                ADD COLUMN IF NOT EXISTS pending_slot VARCHAR(128) NULL,
                ADD COLUMN IF NOT EXISTS pending_at DATETIME(6) NULL""",
            "ALTER TABLE {meetings} ADD KEY IF NOT EXISTS slot (tenant_id, slot_key)",
            "ALTER TABLE {meetings} ADD KEY IF NOT EXISTS pending (tenant_id, pending_slot)",
        ],
    ),
    (
        3,
        "meetings to delete; webhook events seen",
        [
            # A meeting left behind (old host, old slot) is recorded before any Zoom call and kept until
            # Zoom confirms it is gone, so a crash or a failing delete never forgets it.
            f"""CREATE TABLE IF NOT EXISTS {{deletions}} (
                tenant_id INT UNSIGNED NOT NULL,
                zoom_meeting_id BIGINT UNSIGNED NOT NULL,
                host_user_id VARCHAR(255) NULL,
                appointment_id INT UNSIGNED NOT NULL COMMENT 'whose sync retired it; its job retries the delete',
                attempts INT UNSIGNED NOT NULL DEFAULT 0,
                last_error TEXT NULL,
                created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                PRIMARY KEY (tenant_id, zoom_meeting_id),
                KEY appointment (tenant_id, appointment_id)
            ) {_TABLE_OPTS}""",
            # Zoom webhook signatures accepted within the freshness window: a replay is not handled again.
            f"""CREATE TABLE IF NOT EXISTS {{webhook_nonces}} (
                nonce VARCHAR(64) NOT NULL COMMENT 'the hex of an accepted x-zm-signature',
                seen_at DATETIME(6) NOT NULL,
                PRIMARY KEY (nonce),
                KEY seen (seen_at)
            ) {_TABLE_OPTS}""",
        ],
    ),
    (
        4,
        "tenant meeting options, host rules cached with the connection, tenant events and alerts",
        [
            """ALTER TABLE {settings}
                ADD COLUMN IF NOT EXISTS use_host_defaults TINYINT(1) NULL,
                ADD COLUMN IF NOT EXISTS waiting_room TINYINT(1) NULL,
                ADD COLUMN IF NOT EXISTS join_before_host TINYINT(1) NULL,
                ADD COLUMN IF NOT EXISTS mute_upon_entry TINYINT(1) NULL,
                ADD COLUMN IF NOT EXISTS auto_recording VARCHAR(8) NULL COMMENT 'none | local | cloud',
                ADD COLUMN IF NOT EXISTS meetings_for VARCHAR(32) NULL COMMENT 'pending_and_approved | approved'""",
            # What Zoom said about the connected account, kept until the connection is replaced:
            # the passcode rules of its user settings and each user's licence type.
            """ALTER TABLE {connections}
                ADD COLUMN IF NOT EXISTS passcode_rules TEXT NULL COMMENT 'JSON: meeting_password_requirement',
                ADD COLUMN IF NOT EXISTS user_types TEXT NULL COMMENT 'JSON: zoom user id -> type'""",
            f"""CREATE TABLE IF NOT EXISTS {{events}} (
                id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
                tenant_id INT UNSIGNED NOT NULL,
                kind VARCHAR(64) NOT NULL,
                appointment_id INT UNSIGNED NULL,
                detail TEXT NULL,
                alert TINYINT(1) NOT NULL DEFAULT 0 COMMENT 'the shim tells the tenant',
                alert_day DATE NULL COMMENT 'alerts: the UTC day; one per tenant, kind and day',
                delivered_at DATETIME(6) NULL,
                created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                PRIMARY KEY (id),
                UNIQUE KEY once_a_day (tenant_id, kind, alert_day),
                KEY undelivered (alert, delivered_at)
            ) {_TABLE_OPTS}""",
        ],
    ),
    (
        5,
        "nonces: a MEMORY table",
        [
            # The replay guard needs every worker and host to see each nonce at once, not to survive a
            # restart of MariaDB (store/nonces.py refuses requests signed before the server started):
            # an InnoDB insert cost a durable commit per signed request. ascii_bin: nonces are exact.
            """ALTER TABLE {nonces} ENGINE=MEMORY,
                MODIFY nonce VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
                DROP KEY seen, ADD KEY seen (seen_at) USING BTREE""",
        ],
    ),
]

LATEST = MIGRATIONS[-1][0]


def _ensure_schema_table(db: Database) -> None:
    db.execute(
        f"""CREATE TABLE IF NOT EXISTS {{schema}} (
            version INT UNSIGNED NOT NULL PRIMARY KEY,
            description VARCHAR(255) NOT NULL,
            applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
        ) {_TABLE_OPTS}"""
    )


def current_version(db: Database) -> int | None:
    """The highest applied version, or None when the schema table does not exist yet."""
    exists = db.query_one(
        "SELECT 1 AS x FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = %(t)s",
        {"t": db.table_name("schema")},
    )
    if not exists:
        return None
    row = db.query_one("SELECT MAX(version) AS v FROM {schema}")
    return row["v"] if row else None


class MigrationBusy(Exception):
    """Another process holds the migrate lock."""


def migrate(db: Database, progress: Callable[[str], None] = lambda _: None, wait_seconds: int = 60) -> list[int]:
    """Apply every pending migration in order; return the versions applied (empty when current)."""
    with db.named_locks(["migrate"], timeout=wait_seconds) as locked:
        if not locked:
            raise MigrationBusy(f"another migrate has held the named lock 'migrate' for {wait_seconds} s: wait for it, "
                                "then run booknetic-zoom migrate again")
        _ensure_schema_table(db)
        done = {r["version"] for r in db.query("SELECT version FROM {schema}")}
        applied = []
        for version, description, statements in MIGRATIONS:
            if version in done:
                continue
            progress(f"applying {version}: {description}")
            for statement in statements:  # DDL commits implicitly; each statement is idempotent
                db.execute(statement)
            db.execute(
                "INSERT INTO {schema} (version, description) VALUES (%(v)s, %(d)s)",
                {"v": version, "d": description},
            )
            applied.append(version)
        return applied

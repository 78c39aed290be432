"""GET /healthz for sysadmins and monitors: no auth, no secrets; 503 with `problems` when nothing can work."""
from __future__ import annotations

import pymysql
from flask import Blueprint, current_app, jsonify

from sidecar import context, db_errors
from sidecar.checks import missing_booknetic_tables, schema_state
from sidecar.store import jobs, migrations

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    db = context.current().db
    cfg = current_app.config["BKZ"]
    try:
        version = migrations.current_version(db)
        current, schema_note = schema_state(db)
        missing = missing_booknetic_tables(db)
        queue = jobs.stats(db) if version else None
    except pymysql.err.Error as exc:
        db.close()
        return jsonify(ok=False, database="unreachable", error=db_errors.reason(exc),
                       problems=[db_errors.explain(exc, cfg.database)]), 503
    problems = []
    if missing:
        problems.append(f"Booknetic tables missing: {', '.join(missing)}: {db_errors.BOOKNETIC_MISSING_FIX}")
    if not current:
        problems.append(f"schema {schema_note}")
    if queue and queue.failing:
        problems.append(f"{queue.failing} jobs failing: see the worker's job_retry and job_failed log lines")
    if queue and queue.oldest_age_seconds is not None and queue.oldest_age_seconds > cfg.jobs.alert_age:
        problems.append(f"oldest job waits {queue.oldest_age_seconds:.0f} s, more than [jobs] alert_age "
                        f"({cfg.jobs.alert_age:g} s): is a worker running?")
    body = {
        "ok": not problems,
        "problems": problems,
        "database": "ok",
        "booknetic_tables": not missing,
        "schema_version": version,
        "schema_expected": migrations.LATEST,
        "migrations_current": current,
        "jobs_queued": queue.queued if queue else None,
        "jobs_failing": queue.failing if queue else None,
        "oldest_job_age_seconds": queue.oldest_age_seconds if queue else None,
    }
    return jsonify(body), 503 if problems else 200

"""GET /healthz for sysadmins and monitors: no auth, no secrets."""
from __future__ import annotations

import pymysql
from flask import Blueprint, jsonify

from sidecar.store import jobs, migrations
from sidecar.store.db import get_db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    db = get_db()
    try:
        version = migrations.current_version(db)
        queue = jobs.stats(db) if version else None
    except pymysql.err.Error as exc:
        db.close()
        return jsonify(ok=False, database="unreachable", error=exc.__class__.__name__), 503
    current = version == migrations.LATEST
    body = {
        "ok": current,
        "database": "ok",
        "schema_version": version,
        "schema_expected": migrations.LATEST,
        "migrations_current": current,
        "jobs_queued": queue.queued if queue else None,
        "oldest_job_age_seconds": queue.oldest_age_seconds if queue else None,
    }
    return jsonify(body), 200 if current else 503

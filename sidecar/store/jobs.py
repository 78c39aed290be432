"""The durable outbox of appointment syncs: one row per (tenant, appointment), leased by workers.

A job's `version` is bumped by every enqueue; `finish` deletes the row only when the version is the
one the worker claimed, so a hook that arrives while the job is leased is never lost.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sidecar.database import Database


@dataclass(frozen=True)
class Job:
    id: int
    tenant_id: int
    appointment_id: int
    version: int
    attempts: int
    locked_by: str | None
    last_error: str | None

    @classmethod
    def from_row(cls, row: dict) -> "Job":
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})


_COLUMNS = "id, tenant_id, appointment_id, version, attempts, locked_by, last_error"

# Taking a lease, whichever way the job was picked.
_LEASE = "locked_by = %(worker)s, locked_until = UTC_TIMESTAMP(6) + INTERVAL %(lease)s SECOND, attempts = attempts + 1"
# A hook for an appointment that already has a job: run it (again) now, from a fresh start (also used by
# cross_table.enqueue_upcoming).
AGAIN = """ON DUPLICATE KEY UPDATE version = version + 1, attempts = 0, run_after = UTC_TIMESTAMP(6),
           last_error = NULL"""


# The one statement that records a sync job. The shim runs it too, in WordPress's own connection, before
# anything else of a booking hook (wp-plugin-shim/includes/class-bkz-jobs.php; a test keeps the two equal):
# times are UTC explicitly because WordPress's session time zone is the server's.
ENQUEUE_SYNC = ("INSERT INTO {jobs} (tenant_id, appointment_id, run_after, created_at)"
                " VALUES (%(t)s, %(a)s, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)) " + AGAIN)


def enqueue_sync(db: Database, tenant_id: int, appointment_id: int) -> None:
    """Ask for appointment_id to be synced now; repeated calls coalesce into one job."""
    db.execute(ENQUEUE_SYNC, {"t": tenant_id, "a": appointment_id})


def claim_next(db: Database, worker_id: str, lease_s: int) -> Job | None:
    """Lease the oldest due job to worker_id, or return None."""
    with db.transaction():
        row = db.query_one(
            f"""SELECT {_COLUMNS} FROM {{jobs}} WHERE run_after <= UTC_TIMESTAMP(6)
                AND (locked_until IS NULL OR locked_until < UTC_TIMESTAMP(6))
                ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED"""
        )
        if row is None:
            return None
        db.execute("UPDATE {jobs} SET " + _LEASE + " WHERE id = %(id)s",
                   {"worker": worker_id, "lease": lease_s, "id": row["id"]})
    row.update(attempts=row["attempts"] + 1, locked_by=worker_id)
    return Job.from_row(row)


def claim(db: Database, tenant_id: int, appointment_id: int, worker_id: str, lease_s: int) -> Job | None:
    """Lease this appointment's job whether due or not; None if absent or leased by someone else."""
    # One conditional UPDATE takes the lease atomically: no transaction round trips on the hook's path.
    params = {"t": tenant_id, "a": appointment_id, "worker": worker_id, "lease": lease_s}
    taken = db.execute(
        "UPDATE {jobs} SET " + _LEASE + """ WHERE tenant_id = %(t)s AND appointment_id = %(a)s
               AND (locked_until IS NULL OR locked_until < UTC_TIMESTAMP(6))""",
        params,
    )
    if not taken:
        return None
    row = db.query_one(
        f"SELECT {_COLUMNS} FROM {{jobs}} WHERE tenant_id = %(t)s AND appointment_id = %(a)s "
        "AND locked_by = %(worker)s",
        params,
    )
    return Job.from_row(row) if row else None


# The hook's path: enqueue and, when nobody holds the lease, take it, in one statement and one commit.
# ON DUPLICATE KEY UPDATE assigns left to right, so locked_until is tested before it is changed.
_FREE = "(locked_until IS NULL OR locked_until < UTC_TIMESTAMP(6))"
_ENQUEUE_AND_CLAIM = (
    "INSERT INTO {jobs} (tenant_id, appointment_id, run_after, created_at, attempts, locked_by, locked_until)"
    " VALUES (%(t)s, %(a)s, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 1, %(worker)s,"
    " UTC_TIMESTAMP(6) + INTERVAL %(lease)s SECOND)"
    " ON DUPLICATE KEY UPDATE version = version + 1, run_after = UTC_TIMESTAMP(6), last_error = NULL,"
    f" attempts = IF({_FREE}, 1, 0), locked_by = IF({_FREE}, %(worker)s, locked_by),"
    f" locked_until = IF({_FREE}, UTC_TIMESTAMP(6) + INTERVAL %(lease)s SECOND, locked_until)"
    f" RETURNING {_COLUMNS}"
)


def enqueue_and_claim(db: Database, tenant_id: int, appointment_id: int, worker_id: str, lease_s: int) -> Job | None:
    """enqueue_sync, then claim: the job, leased to worker_id, or None while someone else holds its lease."""
    row = db.query_one(_ENQUEUE_AND_CLAIM, {"t": tenant_id, "a": appointment_id, "worker": worker_id,
                                            "lease": lease_s})
    # A fresh lease starts at attempt 1; a job left to its holder is reset to 0 attempts, as enqueue does.
    return Job.from_row(row) if row and row["attempts"] == 1 else None


def finish(db: Database, job: Job) -> bool:
    """Done: delete the job unless it was enqueued again meanwhile (then release it to run again)."""
    if db.execute("DELETE FROM {jobs} WHERE id = %(id)s AND version = %(v)s", {"id": job.id, "v": job.version}):
        return True
    _release(db, job)
    return False


def _release(db: Database, job: Job) -> None:
    db.execute(
        "UPDATE {jobs} SET locked_by = NULL, locked_until = NULL WHERE id = %(id)s AND locked_by = %(w)s",
        {"id": job.id, "w": job.locked_by},
    )


def retry_later(db: Database, job: Job, delay_s: float, error: str, *, count_attempt: bool = True) -> None:
    """Run the job again after delay_s (at once if it was enqueued again meanwhile), noting the error."""
    db.execute(
        """UPDATE {jobs} SET locked_by = NULL, locked_until = NULL, last_error = %(e)s,
               attempts = GREATEST(attempts, %(undo)s) - %(undo)s,
               run_after = IF(version = %(v)s, UTC_TIMESTAMP(6) + INTERVAL %(ms)s * 1000 MICROSECOND,
                              UTC_TIMESTAMP(6))
           WHERE id = %(id)s AND locked_by = %(w)s""",
        {"e": error[:2000], "undo": 0 if count_attempt else 1, "v": job.version, "ms": int(delay_s * 1000),
         "id": job.id, "w": job.locked_by},
    )


def defer_until(db: Database, job: Job, when: datetime, error: str) -> None:
    """Run the job at `when` (an aware datetime) without spending an attempt (daily limits, reconnects)."""
    delay = max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
    retry_later(db, job, delay, error, count_attempt=False)


def give_up(db: Database, job: Job, error: str) -> bool:
    """Drop a job out of attempts; kept (to run again) if it was enqueued again meanwhile."""
    if db.execute("DELETE FROM {jobs} WHERE id = %(id)s AND version = %(v)s", {"id": job.id, "v": job.version}):
        return True
    retry_later(db, job, 0, error)
    return False


def wake_tenant(db: Database, tenant_id: int) -> int:
    """Make the tenant's waiting jobs due now (after a reconnect they need not sit out their deferral)."""
    return db.execute(
        """UPDATE {jobs} SET run_after = UTC_TIMESTAMP(6)
             WHERE tenant_id = %(t)s AND run_after > UTC_TIMESTAMP(6)
               AND (locked_until IS NULL OR locked_until < UTC_TIMESTAMP(6))""",
        {"t": tenant_id},
    )


def get(db: Database, tenant_id: int, appointment_id: int) -> Job | None:
    """The pending job of an appointment, if any."""
    row = db.query_one(
        f"SELECT {_COLUMNS} FROM {{jobs}} WHERE tenant_id = %(t)s AND appointment_id = %(a)s",
        {"t": tenant_id, "a": appointment_id},
    )
    return Job.from_row(row) if row else None


@dataclass(frozen=True)
class QueueStats:
    queued: int
    oldest_age_seconds: float | None
    failing: int  # jobs whose last attempt failed and that wait for a retry


def stats(db: Database, tenant_id: int | None = None) -> QueueStats:
    """How many jobs wait, the age of the oldest and how many are failing, for one tenant or all."""
    row = db.query_one(
        """SELECT COUNT(*) AS n, TIMESTAMPDIFF(MICROSECOND, MIN(created_at), UTC_TIMESTAMP(6)) AS age_us,
                  SUM(attempts > 0 AND last_error IS NOT NULL) AS failing
           FROM {jobs} WHERE %(t)s IS NULL OR tenant_id = %(t)s""",
        {"t": tenant_id},
    )
    age = row["age_us"] / 1e6 if row["age_us"] is not None else None
    return QueueStats(queued=int(row["n"]), oldest_age_seconds=age, failing=int(row["failing"] or 0))

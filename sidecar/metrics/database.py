"""The gauges read from the tables at scrape time: the queue and the tenants that must reconnect.

Read by `serve`'s /metrics only (every host and worker shares the one database: one reading is the truth).
"""
from __future__ import annotations

import logging

import pymysql
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from sidecar import db_errors
from sidecar.database import Database
from sidecar.store import connections, jobs

log = logging.getLogger("sidecar.metrics")


class DatabaseCollector(Collector):
    """Yields bkz_database_up and, when the database answered, the queue and reconnect gauges."""

    def __init__(self, db: Database):
        self.db = db

    def collect(self):
        try:
            queue = jobs.stats(self.db)
            needing_reconnect = connections.count_needing_reconnect(self.db)
        except pymysql.err.Error as exc:
            # A scrape still answers (the counters are worth having); /healthz says what is wrong.
            log.warning("metrics_database_error", extra={"reason": db_errors.reason(exc)})
            self.db.close()
            yield _database_up(0)
            return
        yield _database_up(1)
        yield GaugeMetricFamily("bkz_jobs_queued", "Sync jobs in the table: due, waiting for a retry, or running",
                                value=queue.queued)
        yield GaugeMetricFamily("bkz_jobs_oldest_age_seconds", "Age of the oldest queued job (0 when none); "
                                "/healthz fails past [jobs] alert_age", value=queue.oldest_age_seconds or 0)
        yield GaugeMetricFamily("bkz_jobs_failing", "Queued jobs whose last try failed and that wait for a retry",
                                value=queue.failing)
        yield GaugeMetricFamily("bkz_tenants_needing_reconnect", "Tenants whose Zoom connection Zoom refused; "
                                "their syncs wait until they connect again", value=needing_reconnect)


def _database_up(value: int) -> GaugeMetricFamily:
    return GaugeMetricFamily("bkz_database_up", "1 when /metrics could read the queue from the database", value=value)

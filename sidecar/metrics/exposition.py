"""What /metrics and the worker's metrics port answer: Prometheus text, across processes where needed."""
from __future__ import annotations

import os
from typing import Iterable

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from sidecar.database import Database
from sidecar.metrics import events
from sidecar.metrics.database import DatabaseCollector

def _counted() -> Collector:
    """The counters and histograms: summed over every process that writes to PROMETHEUS_MULTIPROC_DIR when set
    (gunicorn's workers), else this process's own."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        merged = CollectorRegistry()
        MultiProcessCollector(merged)
        return merged
    return events.REGISTRY


class _Together(Collector):
    def __init__(self, parts: Iterable[Collector]):
        self.parts = tuple(parts)

    def collect(self):
        for part in self.parts:
            yield from part.collect()


def render(db: Database, accept: str) -> tuple[bytes, str]:
    """The sidecar's /metrics and its content type (the format the Accept header asks for, Prometheus text by
    default): every process's counters plus the gauges read from the database now."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Together((_counted(), DatabaseCollector(db))))
    encode, content_type = choose_encoder(accept)
    return encode(registry), content_type


def serve_worker_metrics(host: str, port: int) -> None:
    """Answer GET /metrics with this worker process's counters on host:port, from a daemon thread."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Together((_counted(),)))
    start_http_server(port, addr=host, registry=registry)

"""Prometheus metrics: `events` (what the code counts), `database` (what /metrics reads from the tables at
scrape time), `exposition` (the text /metrics and the worker's port answer) and `multiprocess` (gunicorn).

This package's own import pulls in nothing: `multiprocess` must set PROMETHEUS_MULTIPROC_DIR before
prometheus_client is first imported, because the library picks its storage at import time.
"""

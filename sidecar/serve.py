"""Run the app under gunicorn, configured from our config rather than gunicorn's own files."""
from __future__ import annotations

import errno
import socket

from gunicorn.app.base import BaseApplication

from sidecar import gunicorn_logging
from sidecar.config import Config
from sidecar.metrics import multiprocess


class _Gunicorn(BaseApplication):
    def __init__(self, cfg: Config, options: dict):
        self._cfg = cfg
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)
        # gunicorn >= 25 opens a control socket at one default path per user; several sidecars on
        # one host (and parallel tests) would fight over it, and we do not use it.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)
        # One log stream with the app's, and the metrics of a worker that ended kept apart.
        self.cfg.set("logger_class", gunicorn_logging.logger_class(self._cfg.logging))
        self.cfg.set("loglevel", self._cfg.logging.level.lower())
        self.cfg.set("child_exit", multiprocess.child_exit)

    def load(self):
        from sidecar.app import create_app

        return create_app(self._cfg)


class BindError(Exception):
    """The listen address is malformed or taken; the message says which and what to do."""


def ensure_bindable(bind: str) -> None:
    """Try the address before gunicorn does: its own failure is a dozen log lines and a retry loop.

    Raises:
        BindError: malformed host:port, an unknown host, or a port already in use.
    """
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise BindError(f"{bind!r} is not host:port with a port from 1 to 65535")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]"), int(port), type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise BindError(f"{bind}: unknown host {host}") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: TIME_WAIT is no clash
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise BindError(f"{bind} is already in use (another sidecar running?): stop it or pick "
                                "another port") from None
            raise BindError(f"{bind}: cannot listen there ({exc.strerror})") from None


def run(cfg: Config, *, bind: str, workers: int) -> None:
    """Serve until stopped (SIGTERM/SIGINT), with [sidecar] threads request threads per worker; the caller
    holds multiprocess.prepared() around it.

    Threads rather than sync workers: a request waiting on Zoom (a ping, an inline sync) holds one thread
    and the process keeps answering the calls that need no Zoom (bench/slow_zoom.py measures both).

    Raises:
        BindError: see ensure_bindable.
    """
    ensure_bindable(bind)
    _Gunicorn(cfg, {"bind": bind, "workers": workers, "worker_class": "gthread", "threads": cfg.sidecar.threads,
                    "timeout": 60, "graceful_timeout": 10, "accesslog": None}).run()

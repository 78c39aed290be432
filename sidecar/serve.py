"""Run the app under gunicorn, configured from our config rather than gunicorn's own files."""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from sidecar.config import Config


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

    def load(self):
        from sidecar.app import create_app

        return create_app(self._cfg)


def run(cfg: Config, *, bind: str, workers: int) -> None:
    """Serve until stopped (SIGTERM/SIGINT)."""
    _Gunicorn(cfg, {"bind": bind, "workers": workers, "worker_class": "sync", "timeout": 60,
                    "graceful_timeout": 10, "accesslog": None}).run()

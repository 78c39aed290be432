"""The sidecar's Flask application factory."""
from __future__ import annotations

from flask import Flask

from sidecar import context, logs
from sidecar.config import Config
from sidecar.http import api_blueprint, errors, health
from sidecar.http import metrics as metrics_http


MAX_BODY_BYTES = 4 * 1024 * 1024  # far above 50 email bodies; Zoom webhooks are a few KB


def create_app(config: Config) -> Flask:
    """A Flask app serving the health check and the signed /v1 API for `config`."""
    app = Flask("sidecar")
    app.config["BKZ"] = config
    # Bodies are read (to check their signature) before anyone is trusted: bound what that costs.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False
    logs.configure(config.logging)
    context.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(metrics_http.bp)
    app.register_blueprint(api_blueprint())
    return app

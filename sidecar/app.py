"""The sidecar's Flask application factory."""
from __future__ import annotations

from flask import Flask

from sidecar import context, logs
from sidecar.config import Config
from sidecar.http import api_blueprint, errors, health
from sidecar.store import db


def create_app(config: Config) -> Flask:
    """A Flask app serving the health check and the signed /v1 API for `config`."""
    app = Flask("sidecar")
    app.config["BKZ"] = config
    app.json.sort_keys = False
    logs.configure(config.logging.level, config.logging.format)
    db.init_app(app)
    context.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(api_blueprint())
    return app

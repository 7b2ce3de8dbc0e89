"""The Flask app factory: ``create_app(settings, store)``, with no globals.

Routing is one table; each handler gets what it needs from the app's extensions.
"""

from __future__ import annotations

from flask import Flask

from .settings import Settings
from .store import LocalStore
from .web import errors, sparql

# (rule, endpoint name, view, methods)
ROUTES = (
    ("/sparql", "sparql", sparql.endpoint, ["GET", "POST"]),
)


def create_app(settings: Settings, store: LocalStore) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    app.extensions["fareast"] = {"settings": settings, "store": store}
    for rule, name, view, methods in ROUTES:
        app.add_url_rule(rule, name, view, methods=methods)
    errors.register(app)
    return app

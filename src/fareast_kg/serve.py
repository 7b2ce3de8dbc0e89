"""``fareast-kg serve``: gunicorn on the built store, or Flask's server with --dev."""

from __future__ import annotations

from typing import Any

from .settings import Settings
from .store import LocalStore, locked


def make_app(settings: Settings):  # type: ignore[no-untyped-def]
    from .app import create_app

    return create_app(settings, LocalStore(settings.store))


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "threads": settings.threads,
        "worker_class": "gthread" if settings.threads > 1 else "sync",
        # The query limit is enforced per query; this only reaps stuck workers.
        "timeout": int(settings.query_timeout) + 30,
        "graceful_timeout": 5,
        "accesslog": None,  # per-request logging costs more than a cached query
        "errorlog": "-",
        "loglevel": "warning",
        "post_worker_init": _warm,
    }


def _warm(worker: Any) -> None:
    """Start a query child in each worker before it takes requests."""
    worker.wsgi.extensions["fareast"]["store"].warm()


def serve(settings: Settings, *, dev: bool = False) -> None:
    # A shared lock: builds wait for the server to stop instead of deleting its store.
    with locked(settings.store, exclusive=False):
        LocalStore(settings.store, isolate=False)  # fail fast, before forking workers
        if dev:
            make_app(settings).run(settings.host, settings.port)
            return
        from gunicorn.app.base import BaseApplication

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in gunicorn_options(settings).items():
                    self.cfg.set(key, value)

            def load(self):  # type: ignore[no-untyped-def]
                return make_app(settings)

        print(f"serving {settings.store}/ on http://{settings.host}:{settings.port}/ (SPARQL at /sparql)")
        Server().run()

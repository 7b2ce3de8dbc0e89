"""``fareast-kg serve``: gunicorn on the built store, or Flask's server with --dev."""

from __future__ import annotations

import errno
import logging
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .backend import open_backend
from .backend.base import Backend, BuildInfo
from .errors import PortInUse
from .settings import Settings
from .worker import quit_now


def make_app(settings: Settings):  # type: ignore[no-untyped-def]
    from .app import create_app

    # Lenient: a worker whose store vanished answers 503 instead of failing to boot in a loop.
    return create_app(settings, open_backend(settings, serving=True, lenient=True))


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "threads": settings.threads,
        "worker_class": "fareast_kg.worker.Worker" if settings.threads > 1 else "sync",
        # The query limit is enforced per query; this only reaps stuck workers.
        "timeout": int(settings.query_timeout) + 30,
        "graceful_timeout": 5,
        # Each worker listens on its own socket and the kernel spreads connections between them:
        # from one shared socket, whichever worker wakes first can take every keep-alive connection.
        "reuse_port": True,
        "accesslog": None,  # per-request logging costs more than a cached query
        "errorlog": "-",
        "loglevel": "warning",
        "post_worker_init": _warm,
        "worker_int": quit_now,
        "worker_exit": _stop_children,
    }


def _warm(worker: Any) -> None:
    """Start a query child in each worker before it takes requests, and say if it has network."""
    backend = _backend(worker)
    warm = getattr(backend, "warm", None)  # only the embedded store has query children
    if warm is None:
        return
    try:
        warm()
    except Exception as exc:  # the store is broken: requests will say so with 503
        worker.log.warning("query engine not started: %s", exc)
        return
    refusal = getattr(backend, "sandbox_refusal", None)
    if refusal:
        worker.log.warning("query processes keep network access (%s); SERVICE is refused by the grammar "
                           "check alone", refusal)


def _backend(worker: Any) -> Backend:
    from .context import KEY

    backend: Backend = worker.wsgi.extensions[KEY].backend
    return backend


def _stop_children(_arbiter: Any, worker: Any) -> None:
    """Stop this worker's query children, then leave without interpreter teardown, where the
    store's native threads would crash the exit (gunicorn then logs a SIGSEGV on every stop).
    A worker stopped while still loading the app has no backend yet: it leaves the same way."""
    if getattr(worker, "wsgi", None) is not None:
        _backend(worker).close()
    logging.shutdown()
    os._exit(0)


def check_port(host: str, port: int) -> None:
    """Fail with one line naming the option, before any worker starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be bound ({exc.strerror})"
            raise PortInUse(f"{host}:{port} {reason}; choose another port with --port N or FAREAST_PORT") from None


def already_serving(settings: Settings) -> bool:
    """Whether this very service already answers on the address (a second `make serve`)."""
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://{settings.host}:{settings.port}/api/prefixes", timeout=2) as r:
            return r.headers.get("Fareast-Build") is not None
    except OSError:
        return False


# What a new user looks for first, in the order the start-up block lists it.
PLACES = (
    ("query UI", ""),
    ("SPARQL", "sparql"),
    ("ontology", "ontology"),
    ("API", "api/openapi.json"),
    ("dataset", ".well-known/void"),
)


def start_banner(settings: Settings, build: BuildInfo, generation: str) -> str:
    """The block printed once on start: where things are, what is served, how to stop."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    base = f"http://{host}:{settings.port}/"
    source = settings.store_url or f"{settings.store}/"
    lines = [f"serving {source} on {base} ({generation}, built {_built_at(build)})"]
    lines += [f"  {label:<10}{base}{path}" for label, path in PLACES]
    lines.append("Ctrl-C stops it.")
    return "\n".join(lines)


def _built_at(build: BuildInfo) -> str:
    try:
        when = datetime.fromisoformat(str(build.info["built_at"]))
    except (KeyError, ValueError):  # a store published by an older build
        return "at an unknown date"
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def serve(settings: Settings, *, dev: bool = False) -> None:
    # Servers never lock the store folder: a build may run at any time, and they follow it.
    first = open_backend(settings)  # fail fast, before forking workers: no store, or no engine
    try:
        build = first.build()
        folder = getattr(first, "path", None)  # only a store folder has generations
        generation = f"generation {folder.name}" if isinstance(folder, Path) else f"build {build.build_hash[:12]}"
    finally:
        first.close()
    try:
        check_port(settings.host, settings.port)
    except PortInUse:
        if not already_serving(settings):
            raise
        print(f"a Far East KG server already answers on http://{settings.host}:{settings.port}/; it follows "
              "new builds by itself, so there is nothing to restart", flush=True)
        return
    print(start_banner(settings, build, generation), flush=True)
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

    Server().run()

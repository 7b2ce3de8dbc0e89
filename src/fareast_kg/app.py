"""The Flask app factory: ``create_app(settings, store)``, with no globals.

Routing is one table. Handlers find the settings, the backend, the canned queries and
the cache in one frozen ``Context`` (``web.context()``), set here and nowhere else.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from flask import Flask, Response, g, request

from . import __version__
from .backend.base import Backend
from .canned import Registry
from .context import KEY, Context
from .errors import FarEastError
from .settings import Settings
from .sparql.cache import ResultCache
from .web import api, catalogue, dataset, dumps, errors, explain_page, labels, pages, resources, search, sparql, views
from .web.fastpath import FastPath
from .web.onebuild import OneBuild, WSGIApp

# (rule, endpoint name, view, methods)
ROUTES = (
    ("/", "index", pages.index, ["GET"]),
    ("/sparql", "sparql", sparql.endpoint, ["GET", "POST"]),
    ("/api/queries", "api_list", api.list_queries, ["GET"]),
    ("/api/queries/<name>", "api_query", api.run_query, ["GET"]),
    ("/api/openapi.json", "api_openapi", api.openapi, ["GET"]),
    ("/api/prefixes", "api_prefixes", api.prefixes, ["GET"]),
    ("/api/explain", "api_explain", api.explain, ["GET"]),
    ("/static/yasgui/<name>", "yasgui_asset", pages.yasgui_asset, ["GET"]),
    ("/id/<path:slug>", "resource", resources.resource, ["GET"]),
    ("/graph/<path:name>", "graph", resources.graph, ["GET"]),
    ("/ontology", "ontology", resources.ontology, ["GET"]),
    ("/ontology.<ext>", "ontology_file", resources.ontology, ["GET"]),
    ("/.well-known/void", "void", dataset.void, ["GET"]),
    ("/.well-known/void.<ext>", "void_file", dataset.void, ["GET"]),
    ("/dump", "dumps", dumps.listing, ["GET"]),
    ("/dump/<name>", "dump_file", dumps.dump_file, ["GET"]),
    ("/id/", "id_index", catalogue.index, ["GET"]),
    ("/search", "search", search.search, ["GET"]),
    ("/explain", "explain_page", explain_page.explain_page, ["GET"]),
    ("/views/timeline", "view_timeline", views.timeline, ["GET"]),
    ("/views/map", "view_map", views.map_view, ["GET"]),
    ("/views/charts", "view_charts", views.charts_view, ["GET"]),
)


def security_headers(*, cdn: bool) -> dict[str, str]:
    """Sent with every response. Scripts come only from this server (or YASGUI's CDN when
    npm could not install it); YASGUI sets inline styles, so styles may be inline."""
    extra = f" {pages.CDN_ORIGIN}" if cdn else ""
    policy = (
        f"default-src 'self'; script-src 'self'{extra}; style-src 'self' 'unsafe-inline'{extra}; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def create_app(settings: Settings, backend: Backend, queries: Registry | None = None) -> Flask:
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    cache = ResultCache()
    app.extensions[KEY] = Context(
        settings=settings,
        backend=backend,
        queries=queries if queries is not None else Registry(settings.queries_dir),
        cache=cache,
        version=__version__,
    )
    for rule, name, view, methods in ROUTES:
        # /sparql/ is as good as /sparql: clients (and the W3C tests) use both.
        app.add_url_rule(rule, name, view, methods=methods, strict_slashes=False)
    errors.register(app)
    labels.register(app)

    with app.app_context():
        headers = security_headers(cdn=not (pages.yasgui_dir() / "yasgui.min.js").is_file())

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()
        backend.begin()

    @app.teardown_request
    def release(_exc: BaseException | None) -> None:
        backend.end()

    @app.after_request
    def common_headers(response: Response) -> Response:
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match"
            response.headers["Access-Control-Max-Age"] = "86400"
        with contextlib.suppress(FarEastError):  # which build answered (a second `make serve` asks)
            response.headers["Fareast-Build"] = backend.build().build_hash[:16]
        total = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        timing = response.headers.get("Server-Timing")
        response.headers["Server-Timing"] = f"{timing + ', ' if timing else ''}total;dur={total:.2f}"
        return response

    fixed = [*headers.items(), *PUBLIC_READS]
    inner = with_headers(app.wsgi_app, fixed)
    inner = OneBuild(inner, backend, settings.max_body, dict(fixed)) if backend.verify_reads else inner
    # A bounded look-up skips Flask (on a remote engine, FastPath makes OneBuild's check itself).
    direct = partial(sparql.direct, app.extensions[KEY])
    app.wsgi_app = FastPath(inner, cache, backend, direct=direct, fixed=fixed)  # type: ignore[method-assign]
    return app


# Reads are public: any web page may query the endpoint.
PUBLIC_READS = (("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Expose-Headers", "ETag, Link, Server-Timing, Fareast-Result-Rows, "
                                                  "Fareast-Result-Truncated"))


def with_headers(wsgi: WSGIApp, fixed: list[tuple[str, str]]) -> WSGIApp:
    """Every response's fixed headers, added as plain pairs as it starts: a tenth of the cost of
    setting them one by one on each Flask response."""
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers.extend(fixed)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
        return wsgi(environ, start)
    return app

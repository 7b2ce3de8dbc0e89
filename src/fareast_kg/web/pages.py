"""The query UI at / (YASGUI, served locally when npm installed it, else from a CDN)."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, render_template, send_from_directory, url_for

from ..canned import jobs
from ..namespaces import GRAPH_INFERRED, PREFIX_DECLARATIONS
from . import context

CDN_ORIGIN = "https://cdn.jsdelivr.net"
CDN = f"{CDN_ORIGIN}/npm/@triply/yasgui@4.2.28/build"
TITLE = "Developing the Far East and Chinese-Russian Relations: New Perceptions and New Practices"


def yasgui_dir() -> Path:
    # Called for every response (the CSP depends on it): current_app is set in after_request too.
    return context().settings.root / "node_modules" / "@triply" / "yasgui" / "build"


def _default_query() -> str:
    return PREFIX_DECLARATIONS + (
        "\nSELECT ?agreement ?label WHERE {\n  ?agreement a fe:Agreement ; rdfs:label ?label .\n"
        '  FILTER (lang(?label) = "en")\n}\nORDER BY ?label\n'
    )


def index() -> str:
    ctx = context()
    local = (yasgui_dir() / "yasgui.min.js").is_file()
    examples = [{"name": q.title, "query": PREFIX_DECLARATIONS + jobs.example(q)} for q in ctx.queries]
    config = {
        "endpoint": url_for("sparql", _external=True),
        "prefixes": url_for("api_prefixes"),
        "build": ctx.backend.build().build_hash[:12],
        "defaultQuery": _default_query(),
        "examples": examples,
    }
    return render_template(
        "index.html",
        config=config,
        cdn=not local,
        yasgui_js=url_for("yasgui_asset", name="yasgui.min.js") if local else f"{CDN}/yasgui.min.js",
        yasgui_css=url_for("yasgui_asset", name="yasgui.min.css") if local else f"{CDN}/yasgui.min.css",
        paper_title=TITLE,
        inferred=GRAPH_INFERRED,
    )


def yasgui_asset(name: str) -> Response:
    if name not in ("yasgui.min.js", "yasgui.min.css", "yasgui.min.js.map"):
        abort(404)
    response = send_from_directory(yasgui_dir(), name, max_age=86400)
    return response

"""The query UI at / (YASGUI, served locally when npm installed it, else from a CDN)."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Response, abort, render_template, send_from_directory, url_for

from ..canned import jobs
from ..canned.header import CannedQuery
from ..namespaces import GRAPH_INFERRED, PREFIXES, XSD
from . import context, labels

CDN_ORIGIN = "https://cdn.jsdelivr.net"
CDN = f"{CDN_ORIGIN}/npm/@triply/yasgui@4.2.28/build"
TITLE = "Developing the Far East and Chinese-Russian Relations: New Perceptions and New Practices"


def yasgui_dir() -> Path:
    # Called for every response (the CSP depends on it): current_app is set in after_request too.
    return context().settings.root / "node_modules" / "@triply" / "yasgui" / "build"


def _default_query() -> str:
    query = ("SELECT ?agreement ?label WHERE {\n  ?agreement a fe:Agreement ; rdfs:label ?label .\n"
             '  FILTER (lang(?label) = "en")\n}\nORDER BY ?label\n')
    return used_prefixes(query) + query


HEADER = re.compile(r"#\s*(title|description|tags|view|param):")


def used_prefixes(query: str) -> str:
    """PREFIX lines for the predeclared prefixes a query uses, and only those."""
    used = {m.group(1) for m in re.finditer(r"(?<![\w<\"'?$])([A-Za-z][\w-]*):(?!//)", query)}
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p in used)


def tab_query(query: CannedQuery) -> str:
    """A canned query as its tab shows it: its title and view, the prefixes it uses, then the query
    itself (the rest of the file's header is in /api/queries)."""
    lines = jobs.example(query).splitlines(keepends=True)
    body = "".join(line for line in lines if not HEADER.match(line)).lstrip("\n")
    view = f"# view: {query.view}\n" if query.view != "table" else ""
    return f"# title: {query.title}\n{view}{used_prefixes(body)}{body}"


def index() -> str:
    ctx = context()
    local = (yasgui_dir() / "yasgui.min.js").is_file()
    examples = [{"name": q.title, "query": tab_query(q), "view": q.view} for q in ctx.queries]
    config = {
        "endpoint": url_for("sparql", _external=True),
        "prefixes": url_for("api_prefixes"),
        "build": ctx.backend.build().build_hash[:12],
        "defaultQuery": _default_query(),
        "examples": examples,
        "prefixMap": PREFIXES,
        "base": ctx.settings.base_iri,
        "units": labels.unit_labels(),
        "datatypes": {XSD + k: v for k, v in labels.DATATYPES.items()},
        "places": url_for("view_map", format="json"),
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

"""Dereferenceable IRIs: /id/<slug>, /graph/<name> and /ontology, as HTML or RDF by content negotiation
(the RDF documents and their headers are written by ``rdf``).

The HTML page of a resource groups its statements by where they come from: the passage of
the paper that states them (with the quote and the passage's offsets), the general-knowledge
links, or the OWL 2 RL closure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Response, render_template, request, url_for

from ..backend.base import Backend, quads
from ..errors import NotFound
from ..namespaces import (
    FE,
    GRAPH,
    GRAPH_INFERRED,
    GRAPH_LINKS,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
    GRAPH_UNION,
    ID,
    ONTOLOGY_IRI,
    PASSAGE_GRAPH_PREFIX,
    PREFIXES,
    UNION_GRAPHS,
    shorten,
)
from ..sparql import negotiate, protocol
from . import context, labels, ontology_page, rdf, search

RDFS_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
HTML = negotiate.HTML
OFFERED = negotiate.PAGES


def _label(node: object) -> str:
    """The label in the reader's language (the label table is read once per build)."""
    if isinstance(node, ox.NamedNode):
        return labels.label(node.value)
    if isinstance(node, ox.Literal):
        return node.value
    return str(node)


@dataclass
class Row:
    predicate: str
    predicate_label: str
    value: str
    href: str | None
    literal: bool
    why: str | None = None  # for inferred statements: where to ask for the explanation
    note: str = ""  # a literal's datatype or language, in words
    external: bool = False


@dataclass
class Source:
    kind: str  # passage | links | inferred | provenance | ontology | other
    graph: str
    title: str
    rows: list[Row] = field(default_factory=list)
    section: str = ""
    start: str = ""
    end: str = ""
    text: str = ""
    quotes: list[str] = field(default_factory=list)


def resource(slug: str) -> Response:
    db = context().backend
    slug, suffix = rdf.split(slug, OFFERED)  # /id/harbin.ttl
    iri = protocol.iri(ID + slug, "the resource")
    found = [q for q in quads(db, iri) if q.graph_name.value not in UNION_GRAPHS]
    if not found:
        # A browser names text/html: it gets a page with near matches; other clients get the one line.
        if any(media == "text/html" and q > 0 for media, q in request.accept_mimetypes):
            return search.not_found_page(slug)
        raise NotFound(f"there is nothing about {iri.value}")
    fmt, others = rdf.choose(OFFERED, suffix), rdf.alternates(f"/id/{slug}", OFFERED)
    if fmt is not HTML:
        return rdf.document(found, fmt, others, about=iri.value)
    return rdf.page(render_template("resource.html", **_describe(db, iri, found)), others)


def _describe(db: Backend, iri: ox.NamedNode, found: list[ox.Quad]) -> dict[str, object]:
    sources: dict[str, Source] = {}
    types: set[str] = set()
    for q in found:
        graph = q.graph_name.value
        if q.predicate == RDF_TYPE and graph != GRAPH_INFERRED:
            types.add(_label(q.object))
        source = sources.get(graph)
        if source is None:
            source = sources[graph] = _source(db, graph, iri)
        is_iri = isinstance(q.object, ox.NamedNode)
        why = (url_for("explain_page", s=iri.value, p=q.predicate.value, o=q.object.value)
               if is_iri and graph == GRAPH_INFERRED else None)
        shown = labels.value(q.object)
        source.rows.append(Row(shorten(q.predicate.value), _label(q.predicate), shown.text, shown.href,
                               not is_iri, why, shown.note, shown.external))
    incoming = defaultdict(set)
    for q in quads(db, None, None, iri, ox.NamedNode(GRAPH_UNION)):
        if isinstance(q.subject, ox.NamedNode):
            incoming[_label(q.predicate)].add((_label(q.subject), labels.local_href(q.subject.value)))
    order = {"passage": 0, "provenance": 1, "links": 2, "inferred": 3}
    ordered = sorted(sources.values(), key=lambda s: (order.get(s.kind, 4), s.graph))
    for s in ordered:
        s.rows.sort(key=lambda r: (r.predicate_label, r.value))
    return {
        "iri": iri.value,
        "label": _label(iri),
        "types": sorted(types),
        "sources": ordered,
        "incoming": {k: sorted(v) for k, v in sorted(incoming.items())},
        "formats": negotiate.GRAPHS,
    }


def _source(db: Backend, graph: str, iri: ox.NamedNode) -> Source:
    if graph.startswith(PASSAGE_GRAPH_PREFIX):
        ident = graph[len(PASSAGE_GRAPH_PREFIX):]
        passage = ox.NamedNode(f"{ID}passage/{ident}")
        prov = ox.NamedNode(GRAPH_PROVENANCE)
        values = {q.predicate.value: q.object.value for q in quads(db, passage, None, None, prov)}
        quotes = []
        evidence = ox.NamedNode(FE + "evidence")
        for q in quads(db, iri, evidence, None, ox.NamedNode(graph)):
            for exact in quads(db, q.object, ox.NamedNode(PREFIXES["oa"] + "exact"), None, prov):
                quotes.append(exact.object.value)
        return Source("passage", graph, f"Passage {ident}", section=values.get(FE + "section", ""),
                      start=values.get(FE + "startOffset", ""), end=values.get(FE + "endOffset", ""),
                      text=values.get(FE + "text", ""), quotes=sorted(quotes))
    kind, title = {
        GRAPH_LINKS: ("links", "General knowledge (not stated by the paper)"),
        GRAPH_INFERRED: ("inferred", "Inferred by the OWL 2 RL closure"),
        GRAPH_PROVENANCE: ("provenance", "Provenance"),
        GRAPH_ONTOLOGY: ("ontology", "Ontology"),
    }.get(graph, ("other", graph))
    return Source(kind, graph, title)


def graph(name: str) -> Response:
    db = context().backend
    name, suffix = rdf.split(name, negotiate.GRAPHS)  # /graph/links.ttl
    iri = GRAPH + name
    protocol.iri(iri, "the graph")
    if iri in UNION_GRAPHS or iri not in db.graphs():
        raise NotFound(f"there is no graph {iri}")
    fmt, others = rdf.choose(negotiate.GRAPHS, suffix), rdf.alternates(f"/graph/{name}", negotiate.GRAPHS)
    return rdf.document(quads(db, g=ox.NamedNode(iri)), fmt, others, about=iri)


def ontology(ext: str | None = None) -> Response:
    db = context().backend
    onto = ox.NamedNode(GRAPH_ONTOLOGY)
    _, suffix = rdf.split(f"ontology.{ext}", OFFERED) if ext else ("", None)
    if ext and suffix is None:
        raise NotFound(f"there is nothing at {request.path}")
    fmt, others = rdf.choose(OFFERED, suffix), rdf.alternates("/ontology", OFFERED)
    if fmt is not HTML:
        return rdf.document(quads(db, g=onto), fmt, others, about=ONTOLOGY_IRI)
    return rdf.page(ontology_page.render(), others)

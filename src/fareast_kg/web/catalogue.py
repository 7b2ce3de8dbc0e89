"""The index of resources at /id/: classes with their instance counts, and the instances of one class.

Counts come in two kinds: asserted (a type stated in a passage or the links) and with inference
(the OWL 2 RL closure adds the superclasses).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import render_template, request

from ..errors import BadRequest
from ..namespaces import FE, GRAPH_INFERRED, ID, PREFIXES, UNION_GRAPHS, shorten
from . import context, per_build
from .labels import label, language, local_href

_EXCLUDED = ", ".join(f"<{g}>" for g in (GRAPH_INFERRED, *UNION_GRAPHS))
ASSERTED = f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?c }} FILTER (?g NOT IN ({_EXCLUDED}) && STRSTARTS(STR(?s), "{ID}")) }} GROUP BY ?c"""
ALL = f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?c FILTER (STRSTARTS(STR(?s), "{ID}")) }} GROUP BY ?c"""
USAGE = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
INSTANCES = "SELECT DISTINCT ?s ?c WHERE { ?s a ?c FILTER (isIRI(?s)) }"


@dataclass(frozen=True)
class Counts:
    asserted: dict[str, int]
    inferred: dict[str, int]  # with inference: every instance, asserted or inferred
    usage: dict[str, int]  # triples per predicate, over the whole union


def counts() -> Counts:
    def table(query: str, var: str) -> dict[str, int]:
        return {r[var].value: int(r["n"].value) for r in context().backend.select(query)}

    return per_build("class-counts", lambda: Counts(table(ASSERTED, "c"), table(ALL, "c"), table(USAGE, "p")),
                     lambda found: 64 * (len(found.inferred) + len(found.usage)))


@dataclass(frozen=True)
class ClassRow:
    iri: str
    name: str
    label: str
    asserted: int
    inferred: int


@dataclass(frozen=True)
class Instance:
    iri: str
    href: str
    label: str


def class_iri(name: str) -> str:
    """fe:City, a full IRI, or City: the class's IRI; anything else is a bad request."""
    iri = name
    if ":" in name and not name.startswith(("http://", "https://")):
        prefix, local = name.split(":", 1)
        if prefix not in PREFIXES:
            raise BadRequest(f"unknown prefix {prefix!r} in class={name}")
        iri = PREFIXES[prefix] + local
    elif ":" not in name:
        iri = FE + name
    return iri


def index() -> str:
    lang = language()
    found = counts()
    wanted = request.args.get("class", "").strip()
    if wanted:
        iri = class_iri(wanted)
        rows = context().backend.select(INSTANCES, {"c": ox.NamedNode(iri)})
        instances = sorted((Instance(r["s"].value, local_href(r["s"].value) or r["s"].value,
                                     label(r["s"].value, lang)) for r in rows),
                           key=lambda i: (i.label.casefold(), i.iri))
        return render_template("catalogue.html", cls=ClassRow(iri, shorten(iri), label(iri, lang),
                                                               found.asserted.get(iri, 0), len(instances)),
                               instances=instances, classes=[])
    classes = sorted((ClassRow(c, shorten(c), label(c, lang), found.asserted.get(c, 0), n)
                      for c, n in found.inferred.items() if c.startswith(FE)),
                     key=lambda r: (r.label.casefold(), r.iri))
    return render_template("catalogue.html", cls=None, instances=[], classes=classes)

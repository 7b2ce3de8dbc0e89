"""Writing RDF documents in any format of the negotiation table, the same way everywhere.

Statements are sorted (graph, subject, predicate, object), so Turtle and TriG group each
subject's statements into one block and two writes of the same data give the same bytes;
Turtle, TriG and RDF/XML declare only the prefixes they use; JSON-LD is compacted
(``jsonld``). Formats without graphs get each distinct triple once; N-Quads and TriG keep
the graphs, with bare triples in the default graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ..namespaces import PREFIXES
from . import jsonld
from .negotiate import Format

WITH_GRAPHS = ("trig", "nquads")
WITH_PREFIXES = ("turtle", "trig", "rdfxml")


def _key(term: object) -> str:
    return str(term)


def triple_key(t: ox.Triple) -> tuple[str, str, str]:
    return (_key(t.subject), _key(t.predicate), _key(t.object))


def quad_key(q: ox.Quad) -> tuple[int, str, str, str, str]:
    default = isinstance(q.graph_name, ox.DefaultGraph)
    return (0 if default else 1, "" if default else _key(q.graph_name), *triple_key(q.triple))


def as_triples(items: Iterable[ox.Triple | ox.Quad]) -> list[ox.Triple]:
    """Each distinct triple once, sorted: the RDF merge of the graphs."""
    unique = {(t.triple if isinstance(t, ox.Quad) else t) for t in items}
    return sorted(unique, key=triple_key)


def as_quads(items: Iterable[ox.Triple | ox.Quad]) -> list[ox.Quad]:
    unique = {(i if isinstance(i, ox.Quad) else ox.Quad(i.subject, i.predicate, i.object)) for i in items}
    return sorted(unique, key=quad_key)


def used(items: Iterable[ox.Triple | ox.Quad], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes whose namespace starts some IRI of the statements, in the table's order."""
    iris: set[str] = set()
    for item in items:
        terms = [item.subject, item.predicate, item.object]
        if isinstance(item, ox.Quad):
            terms.append(item.graph_name)
        for term in terms:
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {p: ns for p, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}


def write(items: Iterable[ox.Triple | ox.Quad], fmt: Format, prefixes: Mapping[str, str] = PREFIXES, *,
          ordered: bool = False) -> bytes:
    """The statements in ``fmt`` (a graph format of ``negotiate``). ``ordered``: the items are
    already what ``as_quads`` or ``as_triples`` return for it, so several formats share one sort."""
    statements: list[ox.Triple] | list[ox.Quad] = (
        list(items) if ordered  # type: ignore[assignment]
        else as_quads(items) if fmt.name in WITH_GRAPHS else as_triples(items))
    if fmt.name == "jsonld":
        return jsonld.serialize(statements, prefixes)  # type: ignore[arg-type]
    kwargs = {"prefixes": used(statements, prefixes)} if fmt.name in WITH_PREFIXES else {}
    body = ox.serialize(statements, format=fmt.engine, **kwargs) or b""
    return _sorted_prefixes(body) if fmt.name in ("turtle", "trig") else body


def _sorted_prefixes(body: bytes) -> bytes:
    """pyoxigraph writes the prefix lines in its own order; sort them by name."""
    lines = body.split(b"\n")
    end = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
    return b"\n".join(sorted(lines[:end]) + lines[end:])

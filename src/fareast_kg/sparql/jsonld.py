"""Compacted JSON-LD: one node object per subject, IRIs shortened by a ``@context`` of prefixes.

pyoxigraph writes only expanded JSON-LD, and rdflib is kept off the serving path, so
compaction is done here. The output is what the JSON-LD 1.1 compaction algorithm gives
for a context of prefix definitions: compact IRIs for keys, ``@id`` and ``@type``,
``rdf:type`` as ``@type``, plain strings as JSON strings, other literals as
``@value`` with ``@language`` or ``@type``, and single values not wrapped in arrays.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ..namespaces import RDF, XSD

RDF_TYPE = RDF + "type"
XSD_STRING = XSD + "string"

Node = dict[str, object]


class Compactor:
    """Shortens IRIs with the prefixes whose namespace ends in ``/`` or ``#`` (JSON-LD 1.1
    uses only those as prefixes), longest namespace first."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = {p: ns for p, ns in prefixes.items() if ns.endswith(("/", "#")) and p and ":" not in p}
        self._ordered = sorted(self.prefixes.items(), key=lambda item: -len(item[1]))

    def iri(self, iri: str) -> str:
        for prefix, ns in self._ordered:
            rest = iri[len(ns):]
            # A suffix starting with // would read as an authority, so the IRI stays whole.
            if iri.startswith(ns) and rest and not rest.startswith("//"):
                return f"{prefix}:{rest}"
        return iri

    def confused(self, iris: Iterable[str]) -> set[str]:
        """Prefixes that equal the scheme of an IRI left whole (``geo:`` IRIs with a ``geo``
        prefix): such an IRI would be read as a compact IRI, so the prefix must go."""
        return {iri.split(":", 1)[0] for iri in iris if self.iri(iri) == iri and iri.split(":", 1)[0] in self.prefixes}


def _term_id(term: object, compact: Compactor) -> str:
    if isinstance(term, ox.NamedNode):
        return compact.iri(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    raise ValueError("JSON-LD cannot hold RDF-star triple terms; ask for Turtle or N-Triples")


def _value(term: object, compact: Compactor) -> object:
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact.iri(term.datatype.value)}
    return {"@id": _term_id(term, compact)}


def _sort_key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _iris(triples: list[ox.Triple]) -> set[str]:
    out: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                out.add(term.value)
            elif isinstance(term, ox.Literal) and not term.language:
                out.add(term.datatype.value)
    return out


def document(triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> dict[str, object]:
    """The compacted document: ``{"@context": …, "@graph": [node, …]}``, nodes and values sorted."""
    triples = list(triples)
    compact = Compactor(prefixes)
    clashes = compact.confused(_iris(triples))
    if clashes:
        compact = Compactor({p: ns for p, ns in compact.prefixes.items() if p not in clashes})
    nodes: dict[str, dict[str, list[object]]] = {}
    for t in triples:
        node = nodes.setdefault(_term_id(t.subject, compact), {})
        if t.predicate.value == RDF_TYPE and not isinstance(t.object, ox.Literal):
            node.setdefault("@type", []).append(_term_id(t.object, compact))
        else:
            node.setdefault(compact.iri(t.predicate.value), []).append(_value(t.object, compact))
    graph: list[Node] = []
    for ident in sorted(nodes):
        node: Node = {"@id": ident}
        properties = nodes[ident]
        for key in sorted(properties, key=lambda k: (k != "@type", k)):
            values = list({_sort_key(v): v for v in properties[key]}.values())  # a graph is a set
            values.sort(key=_sort_key)
            node[key] = values[0] if len(values) == 1 else values
        graph.append(node)
    return {"@context": dict(sorted(compact.prefixes.items())), "@graph": graph}


def serialize(triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> bytes:
    return (json.dumps(document(triples, prefixes), ensure_ascii=False, indent=1) + "\n").encode("utf-8")

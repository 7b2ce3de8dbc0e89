"""Build stage: the statistics of the dataset description (VoID), counted on the new store.

Counted once per build, for every named graph and for the two union graphs (the whole
dataset and its asserted part), and kept in build.json, so the server never counts
and a remote engine's build description carries them too. The licence and the source
paper are read from the ontology's own header, not written here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..namespaces import DCTERMS, GRAPH_ONTOLOGY, GRAPH_UNION, ID, ONTOLOGY_IRI, RDF, RDFS

EXAMPLES = 3  # example resources per graph: those with the most statements
RDF_TYPE = RDF + "type"


def graph_statistics(triples: list[ox.Triple]) -> dict[str, Any]:
    """VoID's counts for one graph. Entities are the subjects in the URI space (``id:``)."""
    subjects = {t.subject for t in triples}
    per_subject = Counter(t.subject.value for t in triples
                          if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(ID))
    by_property: dict[str, list[ox.Triple]] = defaultdict(list)
    instances: dict[str, set[object]] = defaultdict(set)
    for t in triples:
        by_property[t.predicate.value].append(t)
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            instances[t.object.value].add(t.subject)
    return {
        "triples": len(triples),
        "entities": len(per_subject),
        "subjects": len(subjects),
        "objects": len({t.object for t in triples}),
        "properties": len(by_property),
        "classes": len(instances),
        "class_partitions": {c: len(members) for c, members in sorted(instances.items())},
        "property_partitions": {
            p: {"triples": len(ts), "subjects": len({t.subject for t in ts}), "objects": len({t.object for t in ts})}
            for p, ts in sorted(by_property.items())
        },
        "examples": [s for s, _ in sorted(per_subject.items(), key=lambda item: (-item[1], item[0]))[:EXAMPLES]],
    }


def _objects(store: ox.Store, subject: str, predicate: str, graph: str) -> list[ox.NamedNode | ox.Literal]:
    found = store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, ox.NamedNode(graph))
    return sorted((q.object for q in found), key=str)  # type: ignore[misc]


def _first(values: list[ox.NamedNode | ox.Literal]) -> str:
    return values[0].value if values else ""


def about(store: ox.Store) -> dict[str, Any]:
    """What the ontology's header says of the data: licence, source paper, version."""
    source = _first(_objects(store, ONTOLOGY_IRI, DCTERMS + "source", GRAPH_ONTOLOGY))
    titles = [v for v in _objects(store, source, DCTERMS + "title", GRAPH_UNION) if isinstance(v, ox.Literal)]
    return {
        "title": _first(_objects(store, ONTOLOGY_IRI, DCTERMS + "title", GRAPH_ONTOLOGY)),
        "licence": _first(_objects(store, ONTOLOGY_IRI, DCTERMS + "license", GRAPH_ONTOLOGY)),
        "version": _first(_objects(store, ONTOLOGY_IRI, "http://www.w3.org/2002/07/owl#versionInfo",
                                   GRAPH_ONTOLOGY)),
        "source": source,
        "source_title": _first(titles or _objects(store, source, RDFS + "label", GRAPH_UNION)),
        "source_creators": [v.value for v in _objects(store, source, DCTERMS + "creator", GRAPH_UNION)],
    }


def describe(generation: Path) -> dict[str, Any]:
    """Statistics per graph (the union graphs included) and the dataset's licence and source."""
    store = ox.Store.read_only(str(generation))
    graphs: dict[str, Any] = {}
    for graph in sorted(g.value for g in store.named_graphs()):
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
        graphs[graph] = graph_statistics(triples)
    return {"graphs": graphs, **about(store)}

"""The VoID statistics the build counts, on a small store with known answers."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from fareast_kg.build.describe import describe
from fareast_kg.namespaces import DCTERMS, GRAPH_ONTOLOGY, GRAPH_UNION, ID, ONTOLOGY_IRI, RDF

G = "https://w3id.org/fareast-kg/graph/passage/p001"
FE = "https://w3id.org/fareast-kg/ontology#"


def q(s: str, p: str, o: ox.NamedNode | ox.Literal, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, ox.NamedNode(g))


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


QUADS = [
    q(ID + "harbin", RDF + "type", iri(FE + "City"), G),
    q(ID + "harbin", FE + "locatedIn", iri(ID + "china"), G),
    q(ID + "harbin", FE + "locatedIn", iri(ID + "heilongjiang"), G),
    q(ID + "china", RDF + "type", iri(FE + "Country"), G),
    q(ID + "heilongjiang", RDF + "type", iri(FE + "Province"), G),
    q(ID + "heilongjiang", FE + "locatedIn", iri(ID + "china"), G),
    q("http://example.org/elsewhere", FE + "locatedIn", iri(ID + "china"), G),
    q(ONTOLOGY_IRI, DCTERMS + "license", iri("https://creativecommons.org/licenses/by/4.0/"), GRAPH_ONTOLOGY),
    q(ONTOLOGY_IRI, DCTERMS + "source", iri(ID + "paper"), GRAPH_ONTOLOGY),
    q(ONTOLOGY_IRI, DCTERMS + "title", ox.Literal("An ontology", language="en"), GRAPH_ONTOLOGY),
    q(ID + "paper", DCTERMS + "title", ox.Literal("A paper", language="en"), GRAPH_UNION),
    q(ID + "paper", DCTERMS + "creator", iri(ID + "someone"), GRAPH_UNION),
]


def test_counts_partitions_examples_licence_and_source(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path))
    store.extend(QUADS)
    store.flush()
    del store
    described = describe(tmp_path)
    assert described["graphs"][G] == {
        "triples": 7,
        "entities": 3,  # subjects in the URI space: harbin, china, heilongjiang
        "subjects": 4,
        "objects": 5,
        "properties": 2,
        "classes": 3,
        "class_partitions": {FE + "City": 1, FE + "Country": 1, FE + "Province": 1},
        "property_partitions": {
            RDF + "type": {"triples": 3, "subjects": 3, "objects": 3},
            FE + "locatedIn": {"triples": 4, "subjects": 3, "objects": 2},
        },
        "examples": [ID + "harbin", ID + "heilongjiang", ID + "china"],  # most statements first
    }
    assert {k: v for k, v in described.items() if k != "graphs"} == {
        "title": "An ontology",
        "licence": "https://creativecommons.org/licenses/by/4.0/",
        "version": "",
        "source": ID + "paper",
        "source_title": "A paper",
        "source_creators": [ID + "someone"],
    }
    assert sorted(described["graphs"]) == sorted([G, GRAPH_ONTOLOGY, GRAPH_UNION])

"""Compacted JSON-LD: the exact document, and the same graph read back by rdflib and pyoxigraph."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from fareast_kg.sparql.jsonld import document, serialize

E = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PREFIXES = {"ex": E, "xsd": XSD, "geo": "http://www.opengis.net/ont/geosparql#"}


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(E + local)


TRIPLES = [
    ox.Triple(n("b"), n("p"), ox.Literal("plain")),
    ox.Triple(n("a"), RDF_TYPE, n("C")),
    ox.Triple(n("a"), n("p"), ox.Literal("x", language="en")),
    ox.Triple(n("a"), n("p"), ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))),
    ox.Triple(n("a"), n("q"), n("b")),
    ox.Triple(n("a"), n("q"), ox.BlankNode("k")),
    ox.Triple(ox.BlankNode("k"), n("p"), ox.Literal("in a blank node")),
    ox.Triple(n("a"), n("p"), ox.Literal("x", language="en")),  # a duplicate is written once
]


def test_the_compacted_document_is_one_node_per_subject() -> None:
    assert document(TRIPLES, PREFIXES) == {
        "@context": {"ex": E, "geo": "http://www.opengis.net/ont/geosparql#", "xsd": XSD},
        "@graph": [
            {"@id": "_:k", "ex:p": "in a blank node"},
            {"@id": "ex:a", "@type": "ex:C",
             "ex:p": [{"@value": "x", "@language": "en"}, {"@value": "7", "@type": "xsd:integer"}],
             "ex:q": [{"@id": "_:k"}, {"@id": "ex:b"}]},
            {"@id": "ex:b", "ex:p": "plain"},
        ],
    }


def test_rdflib_and_pyoxigraph_read_back_the_same_graph() -> None:
    body = serialize(TRIPLES, PREFIXES)
    expected = Graph().parse(data=ox.serialize(TRIPLES, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(Graph().parse(data=body, format="json-ld"), expected)
    again = list(ox.parse(body, ox.RdfFormat.JSON_LD))
    assert len(again) == 7


def test_a_prefix_that_is_also_the_scheme_of_an_iri_is_left_out() -> None:
    # geo:45,132 is an IRI of the geo scheme; with a geo prefix it would be read as geosparql.
    triples = [ox.Triple(n("a"), n("at"), ox.NamedNode("geo:45,132"))]
    doc = document(triples, PREFIXES)
    assert "geo" not in doc["@context"]  # type: ignore[operator]
    assert doc["@graph"] == [{"@id": "ex:a", "ex:at": {"@id": "geo:45,132"}}]
    back = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert {str(o) for o in back.objects()} == {"geo:45,132"}


def test_local_names_that_start_with_two_slashes_stay_whole() -> None:
    triples = [ox.Triple(n("a"), n("p"), ox.NamedNode(E + "//odd"))]
    assert document(triples, PREFIXES)["@graph"] == [{"@id": "ex:a", "ex:p": {"@id": E + "//odd"}}]


def test_triple_terms_are_refused_with_a_message() -> None:
    quoted = ox.Triple(n("a"), n("p"), n("b"))
    with pytest.raises(ValueError, match="JSON-LD cannot hold RDF-star triple terms"):
        document([ox.Triple(n("c"), n("said"), quoted)], PREFIXES)

"""The content-negotiation matrix: every RDF route in every format, by Accept, format= and suffix.

Each answer has the exact content type, parses with rdflib, links to its other formats, the
dataset description and the SPARQL endpoint, and (for the linked-data documents) says
which dataset it belongs to.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from rdflib import ConjunctiveGraph, Dataset, URIRef

from fareast_kg.app import create_app
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.namespaces import DATASET
from fareast_kg.settings import Settings
from fareast_kg.sparql.negotiate import GRAPHS, Format

RDFLIB = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld", "trig": "trig",
          "nquads": "nquads"}
IN_DATASET = URIRef("http://rdfs.org/ns/void#inDataset")
CONSTRUCT = "/sparql?query=" + quote("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/fareast-kg/graph/"
                                     "passage/p076> { ?s ?p ?o } }")
# route -> (the IRI its document is about, whether it has suffix URLs)
DOCUMENTS = {
    "/id/harbin": ("https://w3id.org/fareast-kg/id/harbin", True),
    "/graph/passage/p076": ("https://w3id.org/fareast-kg/graph/passage/p076", True),
    "/ontology": ("https://w3id.org/fareast-kg/ontology", True),
    "/.well-known/void": (None, True),
    "/sparql": (None, False),
    CONSTRUCT: (None, False),
}


@pytest.fixture(scope="module")
def client(full: Settings):  # type: ignore[no-untyped-def]
    return create_app(full, EmbeddedBackend(full.store)).test_client()


def _ways(route: str, fmt: Format) -> list[tuple[str, dict[str, str]]]:
    joiner = "&" if "?" in route else "?"
    ways = [(route, {"Accept": fmt.media_type}), (f"{route}{joiner}format={fmt.name}", {"Accept": "text/html"})]
    if DOCUMENTS[route][1]:
        ways.append((f"{route}.{fmt.extension}", {"Accept": "text/html"}))
    return ways


@pytest.mark.parametrize("fmt", GRAPHS, ids=lambda f: f.name)
@pytest.mark.parametrize("route", DOCUMENTS)
def test_every_route_in_every_format(client, route: str, fmt: Format) -> None:  # type: ignore[no-untyped-def]
    about, suffixes = DOCUMENTS[route]
    bodies = []
    for url, headers in _ways(route, fmt):
        r = client.get(url, headers=headers)
        assert (r.status_code, r.headers["Content-Type"]) == (200, f"{fmt.media_type}; charset=utf-8"), url
        links = r.headers["Link"]
        assert '/sparql>; rel="service http://www.w3.org/ns/sparql-service-description#endpoint"' in links
        assert ('/.well-known/void>; rel="describedby"' in links) is (route != "/.well-known/void")
        if route != CONSTRUCT:
            others = [f for f in GRAPHS if f != fmt]
            assert [f'type="{f.media_type}"' in links for f in others] == [True] * len(others)
            assert f'rel="alternate"; type="{fmt.media_type}"' not in links
            if suffixes:
                assert f'<http://localhost{route}.{others[0].extension}>; rel="alternate"' in links
        bodies.append(r.data)
    if "void" in route:  # the same bytes every way; rdflib reads a 600 kB description once
        assert len(set(bodies)) == 1
        bodies = bodies[:1]
    for body in bodies:
        graph = Dataset() if fmt.name in ("trig", "nquads") else ConjunctiveGraph()
        graph.parse(data=body, format=RDFLIB[fmt.name])
        assert len(graph) > 0
        if about is not None:
            assert (URIRef(about), IN_DATASET, URIRef(DATASET)) in graph


def test_pages_link_to_their_rdf(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/id/harbin", "/id/harbin.html"):
        r = client.get(url, headers={"Accept": "text/html"})
        assert (r.status_code, r.headers["Content-Type"]) == (200, "text/html; charset=utf-8")
        assert '<http://localhost/id/harbin.ttl>; rel="alternate"; type="text/turtle"' in r.headers["Link"]
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert '<http://localhost/ontology.jsonld>; rel="alternate"; type="application/ld+json"' in r.headers["Link"]


def test_a_suffix_wins_over_accept_and_format(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/id/harbin.nt?format=jsonld", headers={"Accept": "text/turtle"})
    assert r.headers["Content-Type"] == "application/n-triples; charset=utf-8"
    assert client.get("/id/harbin.exe").status_code == 404
    assert client.get("/ontology.exe").status_code == 404
    assert client.get("/id/harbin?format=exe").status_code == 406

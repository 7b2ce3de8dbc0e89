"""Dereferenceable IRIs: /id/…, /graph/… and /ontology, as HTML and RDF."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from fareast_kg.app import create_app
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.settings import Settings

ID = "https://w3id.org/fareast-kg/id/"
FE = "https://w3id.org/fareast-kg/ontology#"


@pytest.fixture(scope="module")
def client(full: Settings):  # type: ignore[no-untyped-def]
    return create_app(full, EmbeddedBackend(full.store)).test_client()


def test_a_resource_as_rdf(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/id/harbin", headers={"Accept": "text/turtle"})
    assert r.headers["Content-Type"] == "text/turtle; charset=utf-8"
    triples = {(t.predicate.value, t.object.value) for t in ox.parse(r.data, ox.RdfFormat.TURTLE)}
    assert (FE + "locatedIn", ID + "china") in triples
    assert ("http://www.w3.org/2004/02/skos/core#exactMatch", "http://www.wikidata.org/entity/Q42956") in triples
    quads = list(ox.parse(client.get("/id/harbin?format=nquads").data, ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value.rsplit("/", 1)[-1] for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert graphs == {"p094", "links", "inferred"}
    # The document's own statement, apart from the data: which dataset it belongs to.
    assert [str(q) for q in quads if isinstance(q.graph_name, ox.DefaultGraph)] == [
        f"<{ID}harbin> <http://rdfs.org/ns/void#inDataset> <https://w3id.org/fareast-kg/.well-known/void#dataset>"]


def test_a_resource_page_shows_passages_quotes_and_escapes_text(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/id/joint-declaration-2015-conjunction", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Passage p076 · Third Stage: Strategic Conjunction" in page
    assert "characters 37866–38612 of the paper" in page
    assert "“on May 8th, 2015”" in page
    work = client.get("/id/work-mereminskaia-2017", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "&lt;sup&gt;1&lt;/sup&gt;" in work and "<sup>" not in work


def test_unknown_resources_and_graphs(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/id/atlantis")
    assert (r.status_code, r.get_data(as_text=True)) == (404, "there is nothing about " + ID + "atlantis\n")
    assert client.get("/graph/union").status_code == 404


def test_a_passage_graph(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/graph/passage/p076", headers={"Accept": "application/n-triples"})
    assert len(r.get_data(as_text=True).splitlines()) == 92 + 1  # and the graph void:inDataset the dataset


def test_the_ontology_documentation(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<tr id="locatedIn">' in page
    assert "Classes" in page and "Object properties" in page and "Datatype properties" in page
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"}).data
    subjects = {t.subject.value for t in ox.parse(turtle, ox.RdfFormat.TURTLE)}
    assert FE + "Person" in subjects


def test_explain_over_http(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/explain", query_string={"s": "id:suifenhe", "p": "fe:locatedIn", "o": "id:northeast-china"})
    body = r.get_json()
    assert (body["status"], body["rule"]) == ("inferred", "prp-trp (transitive)")
    assert [(p["s"].rsplit("/", 1)[-1], p["o"].rsplit("/", 1)[-1], [g.rsplit("/", 1)[-1] for g in p["graphs"]])
            for p in body["premises"]] == [("suifenhe", "heilongjiang", ["links"]),
                                           ("heilongjiang", "northeast-china", ["links"])]
    missing = client.get("/api/explain", query_string={"s": "id:suifenhe", "p": "fe:locatedIn"})
    assert (missing.status_code, missing.get_data(as_text=True)) == (
        400, "explain needs the parameter o (an IRI, or a prefixed name such as id:harbin)\n")


def test_inferred_statements_link_to_their_explanation(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/id/pogranichny", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Inferred by the OWL 2 RL closure" in page
    assert ('<a href="/explain?s=https://w3id.org/fareast-kg/id/pogranichny&amp;'
            "p=https://w3id.org/fareast-kg/ontology%23locatedIn&amp;o=https://w3id.org/fareast-kg/id/russia\">why?</a>"
            ) in page

"""/.well-known/void: every count in the description is the store's own, exactly."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from fareast_kg.app import create_app
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.namespaces import DATASET, GRAPH_UNION, GRAPH_UNION_ASSERTED, ID
from fareast_kg.settings import Settings
from fareast_kg.web.dataset import ASSERTED

VOID = "http://rdfs.org/ns/void#"
PREFIXES = {"void": VOID, "dcat": "http://www.w3.org/ns/dcat#", "dcterms": "http://purl.org/dc/terms/",
            "spdx": "http://spdx.org/rdf/terms#"}


@pytest.fixture(scope="module")
def client(full: Settings):  # type: ignore[no-untyped-def]
    return create_app(full, EmbeddedBackend(full.store)).test_client()


@pytest.fixture(scope="module")
def void(client) -> ox.Store:  # type: ignore[no-untyped-def]
    r = client.get("/.well-known/void")
    assert (r.status_code, r.headers["Content-Type"]) == (200, "text/turtle; charset=utf-8")
    store = ox.Store()
    store.load(r.data, ox.RdfFormat.TURTLE)
    return store


def _rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(t.value for t in row) for row in store.query(query, prefixes=PREFIXES))


def _counted(db: ox.Store, graph: str) -> dict[str, object]:
    """What the store says of one graph, counted by SPARQL."""
    [(triples, subjects, objects, properties)] = _rows(db, f"""SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?ds)
        (COUNT(DISTINCT ?o) AS ?do) (COUNT(DISTINCT ?p) AS ?dp) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}""")
    [(entities,)] = _rows(db, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}
        FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{ID}")) }}""")
    classes = _rows(db, f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s a ?c }}
        FILTER isIRI(?c) }} GROUP BY ?c""")
    props = _rows(db, f"""SELECT ?p (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?ds) (COUNT(DISTINCT ?o) AS ?do)
        WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} GROUP BY ?p""")
    return {"counts": (triples, entities, subjects, objects, properties, str(len(classes))),
            "classes": classes, "properties": props}


def _described(void: ox.Store, node: str) -> dict[str, object]:
    [counts] = _rows(void, f"""SELECT ?t ?e ?ds ?do ?p ?c WHERE {{ <{node}> void:triples ?t ; void:entities ?e ;
        void:distinctSubjects ?ds ; void:distinctObjects ?do ; void:properties ?p ; void:classes ?c }}""")
    classes = _rows(void, f"""SELECT ?c ?n WHERE {{ <{node}> void:classPartition ?part .
        ?part void:class ?c ; void:entities ?n }}""")
    props = _rows(void, f"""SELECT ?p ?t ?ds ?do WHERE {{ <{node}> void:propertyPartition ?part .
        ?part void:property ?p ; void:triples ?t ; void:distinctSubjects ?ds ; void:distinctObjects ?do }}""")
    return {"counts": counts, "classes": classes, "properties": props}


def test_void_counts_match_the_store_for_every_graph(void: ox.Store, full_db: ox.Store) -> None:
    nodes = {GRAPH_UNION: DATASET, GRAPH_UNION_ASSERTED: ASSERTED}
    graphs = [g.value for g in full_db.named_graphs()]
    assert len(graphs) == 103  # 101 graphs and the two unions
    for graph in graphs:
        assert _described(void, nodes.get(graph, graph)) == _counted(full_db, graph), graph
    [(triples,)] = _rows(void, f"SELECT ?t WHERE {{ <{DATASET}> void:triples ?t }}")
    assert triples == str(len(set(q.triple for q in full_db.quads_for_pattern(None, None, None)
                                  if q.graph_name.value not in nodes)))


def test_licence_source_uri_space_endpoint_and_subsets(void: ox.Store) -> None:
    assert _rows(void, f"""SELECT ?licence ?source ?title ?space ?endpoint WHERE {{ <{DATASET}> a void:Dataset ,
        dcat:Dataset ; dcterms:license ?licence ; dcterms:source ?source ; void:uriSpace ?space ;
        void:sparqlEndpoint ?endpoint . ?source dcterms:title ?title }}""") == [(
        "https://creativecommons.org/licenses/by/4.0/", ID + "paper",
        "Developing the Far East and Chinese-Russian Relations: New Perceptions and New Practices", ID,
        "http://localhost/sparql")]
    subsets = _rows(void, f"SELECT ?s WHERE {{ <{DATASET}> void:subset ?s }}")
    assert subsets == [("https://w3id.org/fareast-kg/.well-known/void#asserted",),
                       ("https://w3id.org/fareast-kg/graph/inferred",)]
    [(asserted_graphs,)] = _rows(void, f"SELECT (COUNT(?g) AS ?n) WHERE {{ <{ASSERTED}> void:subset ?g }}")
    assert asserted_graphs == "100"
    examples = _rows(void, f"SELECT ?e WHERE {{ <{DATASET}> void:exampleResource ?e }}")
    assert len(examples) == 3 and all(e.startswith(ID) for (e,) in examples)


def test_every_listed_dump_downloads_with_its_checksum(client, void: ox.Store) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(void, """SELECT ?part ?url ?size ?sha WHERE { ?part void:dataDump ?url ; dcat:distribution ?d .
        ?d dcat:downloadURL ?url ; dcat:byteSize ?size ; spdx:checksum/spdx:checksumValue ?sha }""")
    assert len(rows) == 9
    assert sorted({part.rsplit("/", 1)[-1] for part, *_ in rows}) == ["inferred", "void#asserted", "void#dataset"]
    for _, url, size, sha in rows:
        with client.get(url.removeprefix("http://localhost")) as r:  # closing it closes the file
            data = r.data
        assert (str(len(data)), hashlib.sha256(data).hexdigest()) == (size, sha)


def test_the_description_is_served_as_is_without_a_redirect(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/.well-known/void", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert (r.status_code, r.headers["Content-Type"]) == (200, "text/turtle; charset=utf-8")
    assert 'rel="describedby"' not in r.headers["Link"]  # it is the description
    assert client.get("/.well-known/void.exe").status_code == 404


def test_licence_and_source_come_from_the_project_itself(mini_built: Settings) -> None:
    client = create_app(mini_built, EmbeddedBackend(mini_built.store)).test_client()
    r = client.get("/.well-known/void.nt")
    assert r.status_code == 200
    lines = r.get_data(as_text=True).splitlines()
    assert f"<{DATASET}> <http://purl.org/dc/terms/license> <https://creativecommons.org/licenses/by/4.0/> ." in lines
    assert f"<{DATASET}> <http://purl.org/dc/terms/source> <{ID}paper> ." in lines
    # The small test project names its paper differently: the title is read, not written in the code.
    assert [line for line in lines if line.startswith(f"<{ID}paper> ")] == [
        f'<{ID}paper> <http://purl.org/dc/terms/title> "The paper"@en .']

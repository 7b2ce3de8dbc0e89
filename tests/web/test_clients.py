"""Real SPARQL clients against the live server, and SERVICE to an allow-listed real SPARQL server."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from fareast_kg.settings import Settings

from ..conftest import BIN, free_port, start_server, stop_server

ID = "https://w3id.org/fareast-kg/id/"


def test_sparqlwrapper_select_and_construct(live: str) -> None:
    client = SPARQLWrapper(f"{live}/sparql")
    client.setQuery("""PREFIX fe: <https://w3id.org/fareast-kg/ontology#>
        PREFIX id: <https://w3id.org/fareast-kg/id/>
        SELECT ?year ?n WHERE { ?s fe:measure id:measure-registered-chinese-ventures-in-russia ;
        fe:date ?year ; fe:value ?n } ORDER BY ?year""")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]  # type: ignore[index]
    assert [(r["year"]["value"], r["n"]["value"]) for r in rows] == [("2013", "378"), ("2015", "693"),
                                                                     ("2017", "702")]
    client.setQuery(f"CONSTRUCT {{ <{ID}harbin> ?p ?o }} WHERE {{ <{ID}harbin> ?p ?o FILTER(isIRI(?o)) }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")  # type: ignore[arg-type]
    assert (URIRef(f"{ID}harbin"), URIRef("https://w3id.org/fareast-kg/ontology#locatedIn"),
            URIRef(f"{ID}china")) in graph


def test_rdflib_sparqlstore(live: str) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=f"{live}/sparql"))
    rows = list(graph.query("""PREFIX fe: <https://w3id.org/fareast-kg/ontology#>
        SELECT ?rank WHERE { <https://w3id.org/fareast-kg/id/joint-declaration-2015-conjunction> fe:prioritizes ?a .
        ?a fe:rank ?rank } ORDER BY ?rank"""))
    assert [int(r[0]) for r in rows] == [1, 2, 3, 4, 5]
    assert (URIRef(f"{ID}suifenhe"), URIRef("https://w3id.org/fareast-kg/ontology#locatedIn"),
            URIRef(f"{ID}china")) in graph


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real SPARQL server (oxigraph serve-read-only) on a random port, holding one graph."""
    location = tmp_path_factory.mktemp("remote")
    store = ox.Store(str(location))
    store.load(b'<http://remote.example/s> <http://remote.example/p> "from the remote server" .',
               ox.RdfFormat.N_TRIPLES)
    del store
    binary = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    assert binary, "the oxigraph package (test extra) provides the oxigraph server"
    port = free_port()
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


def test_allow_listed_service_reaches_a_real_sparql_server(mini_built: Settings, remote: str, tmp_path: Path) -> None:
    settings = Settings.from_env({}, root=mini_built.root, store=tmp_path / "store")
    shutil.copytree(mini_built.store, settings.store, symlinks=True)
    proc, url = start_server(settings, env={"FAREAST_SERVICE_ALLOW": remote})
    try:
        query = f"SELECT ?o WHERE {{ SERVICE <{remote}> {{ <http://remote.example/s> ?p ?o }} }}"
        r = requests.get(f"{url}/sparql", params={"query": query, "format": "csv"}, timeout=10)
        assert r.text == "o\r\nfrom the remote server\r\n"
        other = query.replace(remote, remote.replace("/query", "/other"))
        r = requests.get(f"{url}/sparql", params={"query": other}, timeout=10)
        assert r.status_code == 403
    finally:
        stop_server(proc)


FORMS = {
    "SELECT": "SELECT * WHERE { ?s a <https://w3id.org/fareast-kg/ontology#City> } LIMIT 2",
    "ASK": "ASK { ?s ?p ?o }",
    "CONSTRUCT": "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 2",
    "DESCRIBE": "DESCRIBE <https://w3id.org/fareast-kg/id/harbin>",
}
# What SPARQLWrapper asks for (XML by default), and what each query form then gets: the format if the
# result can take it, else what its Accept header (*/* then) gives.
SOLUTION_TYPES = {None: "xml", "json": "json", "xml": "xml", "csv": "csv", "tsv": "tab-separated"}
GRAPH_TYPES = {None: "rdf+xml", "xml": "rdf+xml", "rdf": "rdf+xml", "rdf+xml": "rdf+xml", "json": "ld+json",
               "json-ld": "ld+json", "turtle": "turtle", "n3": "turtle"}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [None, "json", "xml", "turtle", "n3", "rdf", "rdf+xml", "csv", "tsv", "json-ld"])
def test_sparqlwrapper_every_return_format(live: str, form: str, method: str, fmt: str | None) -> None:
    import warnings

    client = SPARQLWrapper(f"{live}/sparql")
    client.setQuery(FORMS[form])
    client.setMethod(method)
    if fmt:
        client.setReturnFormat(fmt)
    with warnings.catch_warnings():  # SPARQLWrapper warns about formats a query form cannot take
        warnings.simplefilter("ignore")
        result = client.query()
        result.convert()
    content_type = result.response.headers["Content-Type"]
    table = SOLUTION_TYPES if form in ("SELECT", "ASK") else GRAPH_TYPES
    expected = table.get(fmt, "json" if form in ("SELECT", "ASK") else "turtle")
    assert expected in content_type


@pytest.mark.parametrize(("accept", "form", "expected"), [
    # Apache Jena's and RDF4J's default Accept headers, and curl's */* or none at all.
    ("application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.7, "
     "text/csv;q=0.5, application/json;q=0.2, application/xml;q=0.2, */*;q=0.1", "SELECT",
     "application/sparql-results+json"),
    ("text/turtle, application/n-triples;q=0.9, application/ld+json;q=0.8, application/rdf+xml;q=0.7, */*;q=0.5",
     "CONSTRUCT", "text/turtle"),
    ("application/sparql-results+xml, application/sparql-results+json;q=0.8, text/csv;q=0.7", "SELECT",
     "application/sparql-results+xml"),
    ("application/rdf+xml, text/turtle;q=0.9, */*;q=0.1", "DESCRIBE", "application/rdf+xml"),
    ("*/*", "SELECT", "application/sparql-results+json"),
    (None, "CONSTRUCT", "text/turtle"),
])
def test_common_clients_default_accept_headers(live: str, accept: str | None, form: str, expected: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = requests.get(f"{live}/sparql", params={"query": FORMS[form]}, headers=headers, timeout=10)
    if accept is None:  # requests sends */* unless told otherwise; curl without -H sends */* too
        r = requests.get(f"{live}/sparql", params={"query": FORMS[form]}, headers={"Accept": ""}, timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == f"{expected}; charset=utf-8"


def test_format_parameters_that_disagree_with_the_result_kind_fall_back(live: str) -> None:
    r = requests.get(f"{live}/sparql", params={"query": FORMS["SELECT"], "format": "turtle"},
                     headers={"Accept": "text/csv"}, timeout=10)
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    r = requests.get(f"{live}/sparql", params={"query": FORMS["SELECT"], "format": "exe"}, timeout=10)
    assert r.status_code == 406

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

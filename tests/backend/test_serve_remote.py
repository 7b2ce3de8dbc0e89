"""Every route served from a remote engine answers as it does from the embedded store."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from fareast_kg.build.publish import from_store, publish
from fareast_kg.canned import Registry
from fareast_kg.settings import Settings
from tests.conftest import quiet, start_server, stop_server

from .engines import Engine, start_engine


@pytest.fixture(scope="module")
def served(engine: Engine, full: Settings) -> Iterator[str]:
    """This server in front of the engine (the build is already published there)."""
    proc: subprocess.Popen | None = None
    proc, url = start_server(full, "--store", engine.endpoints.query, "--engine", engine.kind, "--timeout", "5")
    yield url
    stop_server(proc)


def _lines(r: requests.Response) -> list[str]:
    assert r.status_code == 200, r.text
    return sorted(r.text.splitlines())


@pytest.mark.parametrize("name", [q.name for q in Registry(Settings().queries_dir)])
def test_canned_api_answers_as_embedded(name: str, served: str, live: str, engine: Engine) -> None:
    params = {"format": "csv"}
    if engine.kind == "virtuoso" and name in ("agreements", "meetings", "cited-works", "programme-figures"):
        # Virtuoso's GROUP_CONCAT order and number forms differ: test_remote.py compares these cell by cell.
        assert requests.get(f"{served}/api/queries/{name}", params=params, timeout=30).status_code == 200
        return
    assert _lines(requests.get(f"{served}/api/queries/{name}", params=params, timeout=30)) == \
        _lines(requests.get(f"{live}/api/queries/{name}", params=params, timeout=30))


@pytest.mark.parametrize("path", ["/id/harbin", "/id/yury-trutnev", "/graph/passage/p090", "/ontology"])
def test_linked_data_answers_as_embedded(path: str, served: str, live: str) -> None:
    accept = {"Accept": "application/n-triples"}
    assert set(_lines(requests.get(served + path, headers=accept, timeout=30))) == \
        set(_lines(requests.get(live + path, headers=accept, timeout=30)))


def test_pages_explanations_and_sparql_as_embedded(served: str, live: str) -> None:
    for path in ("/id/harbin", "/ontology", "/"):
        assert requests.get(served + path, timeout=30).status_code == 200
    explain = {"s": "id:harbin", "p": "fe:locatedIn", "o": "id:china"}
    assert requests.get(f"{served}/api/explain", params=explain, timeout=30).json() == \
        requests.get(f"{live}/api/explain", params=explain, timeout=30).json()
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a fe:City }", "format": "csv"}
    assert requests.get(f"{served}/sparql", params=query, timeout=30).text == \
        requests.get(f"{live}/sparql", params=query, timeout=30).text
    refused = requests.get(f"{served}/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> {} }"},
                           timeout=30)
    assert refused.status_code == 403


@pytest.mark.parametrize("path", [
    "/search?q=vlad&format=json", "/id/", "/id/?class=fe:City", "/ontology?format=html", "/views/timeline",
    "/views/map?format=json", "/views/charts", "/explain?s=id:russia&p=fe:contains&o=id:vladivostok",
    "/id/harbin?lang=zh&format=html"])
def test_browsing_pages_as_embedded(path: str, served: str, live: str) -> None:
    """Search, the index, the ontology documentation, the views and the explanation pages read the
    graph through backend.select only, so an engine gives the very same page."""
    html = {"Accept": "text/html"}
    mine, theirs = (requests.get(base + path, headers=html, timeout=60) for base in (served, live))
    assert mine.status_code == 200
    assert mine.text.splitlines() == theirs.text.splitlines()


def test_build_publishes_to_an_engine_from_the_command_line(small_oxigraph: Engine, mini: Settings) -> None:
    from tests.conftest import BIN

    command = [str(BIN / "fareast-kg"), "--root", str(mini.root), "build", "--store", small_oxigraph.endpoints.query,
               "--engine", "oxigraph"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert f"graphs to {small_oxigraph.endpoints.query}: load" in first.stdout
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1].startswith(f"{small_oxigraph.endpoints.query} already serves build ")
    query = "SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/fareast-kg/id/china> rdfs:label ?l } }"
    out = subprocess.run([str(BIN / "fareast-kg"), "--root", str(mini.root), "--store", small_oxigraph.endpoints.query,
                          "--engine", "oxigraph", "query", query, "--format", "csv"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.splitlines() == ["l", "China"]


def test_void_from_the_build_description_and_no_dumps(served: str, live: str) -> None:
    """The statistics travel with the build; the dump files stay with the store folder."""
    def dataset_lines(url: str) -> list[str]:
        r = requests.get(f"{url}/.well-known/void.nt", timeout=30)
        assert r.status_code == 200, r.text
        # Everything but the URLs of this server (endpoint, dumps), which differ by port.
        return sorted(line for line in r.text.splitlines() if "127.0.0.1" not in line and "#dump/" not in line)

    assert dataset_lines(served) == dataset_lines(live)
    r = requests.get(f"{served}/dump", timeout=30)
    assert (r.status_code, r.text) == (404, "this server answers from a remote SPARQL engine, which holds the graphs "
                                            "but not the dump files; a server over the store folder that `fareast-kg "
                                            "build` wrote serves them\n")


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_engine_down_gives_502_and_the_server_recovers_by_itself(kind: str, tmp_path: Path,
                                                                 mini_built: Settings) -> None:
    """The engine stops under a running server, then starts again: no restart of ours in between."""
    engine = start_engine(kind, tmp_path / kind)
    try:
        publish(*from_store(mini_built.store), engine.endpoints, log=quiet)
        proc, url = start_server(mini_built, "--store", engine.endpoints.query, "--engine", kind, "--timeout", "5")
        try:
            def query(n: int) -> dict[str, str]:  # a fresh comment each time: never a cached answer
                return {"query": f"# {n}\nSELECT ?l WHERE {{ <https://w3id.org/fareast-kg/id/china> rdfs:label ?l }}",
                        "format": "csv"}

            assert requests.get(f"{url}/sparql", params=query(1), timeout=30).text.splitlines() == ["l", "China"]
            engine.stop()
            down = [requests.get(f"{url}/sparql", params=query(2), timeout=30),
                    requests.get(f"{url}/id/china", timeout=30)]
            for r in down:
                assert r.status_code == 502, r.text
                assert engine.endpoints.query in r.text and "Traceback" not in r.text
            engine.start()
            deadline = time.monotonic() + 10
            while (r := requests.get(f"{url}/id/china", timeout=30)).status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert r.status_code == 200
            assert requests.get(f"{url}/sparql", params=query(3), timeout=30).text.splitlines() == \
                ["l", "China"]
        finally:
            stop_server(proc)
    finally:
        engine.stop()

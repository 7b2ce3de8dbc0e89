"""What goes over the wire to an engine: the query's form, the dataset, the credentials."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from fareast_kg.backend import connect
from fareast_kg.backend.client import POOL_SIZE, Endpoints
from fareast_kg.errors import EngineUnavailable
from fareast_kg.sparql.execute import Job

from .engines import Engine

ASK_TRUE = b'{"head":{},"boolean":true}'
QUERY = "ASK { ?s rdfs:label \"Harbin 哈尔滨\" }"


class Recorder(ThreadingHTTPServer):
    """A loopback server that keeps each request and answers ASK true: the wire, seen from the engine."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[dict[str, Any]] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append({"path": self.path, "headers": self.headers, "body": body})  # any case
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(ASK_TRUE)))
        self.end_headers()
        self.wfile.write(ASK_TRUE)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _ask(endpoints: Endpoints, default: tuple[str, ...] | None = ("urn:g:1", "urn:g:2")) -> bytes:
    backend = connect(endpoints)
    try:
        return backend.run(Job(QUERY, "ASK", "json", default, () if default else None,
                               engine_prefixes=(("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),)), 5).body
    finally:
        backend.close()


def test_oxigraph_gets_the_query_as_the_body_and_the_dataset_in_the_url(recorder: Recorder) -> None:
    assert _ask(Endpoints.oxigraph(recorder.base)) == ASK_TRUE
    (seen,) = recorder.seen
    url = urlsplit(seen["path"])
    assert (url.path, parse_qs(url.query)) == ("/query", {"default-graph-uri": ["urn:g:1", "urn:g:2"]})
    assert seen["headers"]["Content-Type"] == "application/sparql-query; charset=utf-8"
    assert seen["body"].decode() == f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n{QUERY}"
    assert "Authorization" not in seen["headers"]


def test_any_other_engine_gets_a_form_with_basic_credentials(recorder: Recorder) -> None:
    endpoints = Endpoints(f"{recorder.base}/sparql", user="reader", password="pa:ss")
    assert _ask(endpoints) == ASK_TRUE
    (seen,) = recorder.seen
    assert seen["path"] == "/sparql"
    assert seen["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(seen["body"].decode()) == {
        "query": [f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n{QUERY}"],
        "default-graph-uri": ["urn:g:1", "urn:g:2"]}
    assert seen["headers"]["Authorization"] == "Basic " + base64.b64encode(b"reader:pa:ss").decode()


def test_a_query_endpoint_behind_digest_authentication_is_answered(virtuoso: Engine) -> None:
    auth = Endpoints(f"{virtuoso.base}/sparql-auth", user="dba", password="dba", digest=True, engine="virtuoso")
    assert _ask(auth, None) == b'{"head":{},"boolean":false}'
    wrong = Endpoints(auth.query, user="dba", password="wrong", digest=True, engine="virtuoso")
    with pytest.raises(EngineUnavailable) as caught:
        _ask(wrong, None)
    assert str(caught.value) == (f"the SPARQL engine at {auth.query} refused our credentials (HTTP 401); "
                                 "try again when it is back")


def test_environment_proxies_do_not_apply_to_a_given_engine(recorder: Recorder,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: nothing answers there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    endpoints = Endpoints.oxigraph(recorder.base)
    assert _ask(endpoints) == ASK_TRUE
    backend = connect(endpoints)
    try:
        assert backend.client.send("POST", str(endpoints.update), 5, data={"update": "CLEAR SILENT ALL"}).ok
    finally:
        backend.close()
    dataset = urlencode({"default-graph-uri": ["urn:g:1", "urn:g:2"]}, doseq=True)
    assert [seen["path"] for seen in recorder.seen] == [f"/query?{dataset}", "/update"]


def test_an_answer_cut_short_gives_its_place_in_the_pool_back(small_oxigraph: Engine) -> None:
    backend = connect(small_oxigraph.endpoints, max_bytes=500)
    try:
        job = Job("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT", "json", None, None)
        assert [backend.run(job, 5).truncated for _ in range(3)] == ["max-bytes"] * 3
        pool = backend.client.pool.connection_from_url(small_oxigraph.endpoints.query)
        assert pool.pool is not None and pool.pool.qsize() == POOL_SIZE
    finally:
        backend.close()

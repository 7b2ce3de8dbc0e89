"""The endpoint as an attacker meets it: every defect found is reproduced here against a
real server, and must stay fixed."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import requests

from fareast_kg.sparql.federation import REFUSED
from tests.conftest import descendants

Start = Callable[..., tuple[subprocess.Popen, str]]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } # {}"


@contextlib.contextmanager
def listener() -> Iterator[tuple[int, list[object]]]:
    """A local port that records every connection: SERVICE must never reach it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    calls: list[object] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):
                calls.append(sock.accept())

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    yield sock.getsockname()[1], calls
    stop.set()
    thread.join()
    sock.close()


def test_service_in_any_disguise_never_connects(live: str) -> None:
    with listener() as (port, calls):
        for host in ("127.0.0.1", "0x7f000001", "2130706433", "localhost"):
            for query in (f"SELECT * WHERE {{ #x\rSERVICE <http://{host}:{port}/> {{ ?s ?p ?o }} }}",
                          f"SELECT * WHERE {{ [ a owl:Class]SERVICE <http://{host}:{port}/> {{ ?s ?p ?o }} }}",
                          f"PREFIX t: <http://{host}:{port}/> SELECT * WHERE {{ SERVICE t:x {{ ?s ?p ?o }} }}",
                          f"SELECT * WHERE {{ VALUES ?e {{ <http://{host}:{port}/> }} SERVICE ?e {{ ?s ?p ?o }} }}"):
                r = requests.post(f"{live}/sparql", data={"query": query}, timeout=10)
                assert (r.status_code, r.text) == (403, REFUSED + "\n")
        time.sleep(0.3)
    assert calls == []


def test_query_children_cannot_reach_the_network(full_store: object, full: object) -> None:
    """Past the guard (called here without it), the operating system still refuses."""
    from fareast_kg.sparql.admission import Admission
    from fareast_kg.sparql.execute import Job
    from fareast_kg.sparql.isolate import IsolatedExecutor, Limits

    built = full_store.path  # type: ignore[attr-defined]
    admission = Admission.for_store(full.store, 1, 1, 5.0)  # type: ignore[attr-defined]
    executor = IsolatedExecutor(str(built), admission, Limits(memory=2**30, max_bytes=10**6))
    try:
        with listener() as (port, calls):
            job = Job(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}", "SELECT", "json",
                      None, None)
            with pytest.raises(Exception, match="Network is unreachable"):
                executor.run(job, 10)
            time.sleep(0.3)
        assert calls == []
        assert executor.sandbox_refusal is None
    finally:
        executor.close()


@pytest.mark.parametrize(("params", "message"), [
    ({"timeout": "nan"}, "timeout=nan is not a positive, finite number of seconds"),
    ({"timeout": "inf"}, "timeout=inf is not a positive, finite number of seconds"),
    ({"timeout": "-1"}, "timeout=-1 is not a positive, finite number of seconds"),
    ({"timeout": "1e999"}, "timeout=1e999 is not a positive, finite number of seconds"),
    ({"timeout": "soon"}, "timeout=soon is not a number of seconds"),
    ({"max-rows": "0"}, "max-rows=0 is not a positive whole number"),
    ({"max-rows": "-5"}, "max-rows=-5 is not a positive whole number"),
    ({"max-rows": "1e3"}, "max-rows=1e3 is not a positive whole number"),
    ({"default-graph-uri": "notaniri"}, "default-graph-uri 'notaniri' is not a valid IRI"),
    ({"named-graph-uri": "http://a b/"}, "named-graph-uri 'http://a b/' is not a valid IRI"),
    ({"format": "exe"}, None),
])
def test_bad_parameters_get_one_line_and_leave_no_process(live_proc: tuple[subprocess.Popen, str],
                                                          params: dict[str, str], message: str | None) -> None:
    proc, url = live_proc
    before = descendants(proc.pid)
    for i in range(5):
        r = requests.get(f"{url}/sparql", params={"query": f"ASK {{}} # {i}", **params}, timeout=10)
        if message is None:
            assert r.status_code == 406
        else:
            assert (r.status_code, r.text) == (400, message + "\n")
    assert descendants(proc.pid) == before


def test_max_rows_can_only_lower_the_limit(live: str) -> None:
    r = requests.get(f"{live}/sparql", params={"query": "SELECT * { ?s ?p ?o }", "max-rows": "3",
                                                "format": "csv"}, timeout=10)
    assert len(r.text.splitlines()) == 4
    assert r.headers["Fareast-Result-Truncated"] == "true; max-rows=3"


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/id/a%20b", 400, "the resource 'https://w3id.org/fareast-kg/id/a b' is not a valid IRI"),
    ("/graph/a%20b", 400, "the graph 'https://w3id.org/fareast-kg/graph/a b' is not a valid IRI"),
    ("/api/explain?s=id:a%20b&p=rdf:type&o=fe:City", 400,
     "explain's parameter s 'https://w3id.org/fareast-kg/id/a b' is not a valid IRI"),
])
def test_invalid_iris_in_paths_are_client_errors(live: str, path: str, status: int, message: str) -> None:
    r = requests.get(live + path, headers={"Accept": "text/plain"}, timeout=10)
    assert (r.status_code, r.text) == (status, message + "\n")


def test_head_answers_like_get(live: str) -> None:
    r = requests.head(f"{live}/sparql", params={"query": "ASK {}"}, timeout=10)
    assert (r.status_code, r.headers["Content-Type"]) == (200, "application/sparql-results+json; charset=utf-8")


def test_chunked_bodies_over_the_limit_are_refused(live: str) -> None:
    body = iter([b"query=ASK{}", b"%20" * 400_000])
    r = requests.post(f"{live}/sparql", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"},
                      timeout=10)
    assert (r.status_code, r.text) == (413, "the request body is larger than 1000000 bytes\n")
    small = requests.post(f"{live}/sparql", data=iter([b"query=ASK", b"{}"]),
                          headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10)
    assert small.status_code == 200


def test_security_headers_on_every_response(live: str) -> None:
    query = {"query": "ASK { ?s ?p ?o } # headers"}
    responses = [requests.get(f"{live}{path}", timeout=10) for path in ("/", "/ontology", "/nowhere", "/api/queries")]
    # Repeats are replayed from each worker's cache, before Flask: they must carry the headers too.
    responses += [requests.get(f"{live}/sparql", params=query, timeout=10) for _ in range(6)]
    for r in responses:
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert "script-src 'self';" in r.headers["Content-Security-Policy"]
    assert any(r.headers["Server-Timing"].startswith('cache;desc="replayed"') for r in responses)


def test_nested_groups_are_a_client_error(live: str) -> None:
    r = requests.post(f"{live}/sparql", data="SELECT * WHERE " + "{" * 5000 + "}" * 5000,
                      headers={"Content-Type": "application/sparql-query"}, timeout=10)
    assert (r.status_code, r.text) == (400, "the query nests groups more than 200 deep at line 1, column 216\n")


@pytest.fixture(scope="module")
def live_proc(full: object) -> Iterator[tuple[subprocess.Popen, str]]:
    from tests.conftest import start_server, stop_server

    proc, url = start_server(full, "--timeout", "3")  # type: ignore[arg-type]
    # Let both workers finish starting their query children before anyone counts processes.
    stable, last = 0, descendants(proc.pid)
    while stable < 10:
        time.sleep(0.1)
        now = descendants(proc.pid)
        stable, last = (stable + 1, now) if now == last else (0, now)
    yield proc, url
    stop_server(proc)

"""Repeated GET reads are replayed from memory, byte for byte; nothing else is."""

from __future__ import annotations

from typing import Any

import pytest

from fareast_kg.app import create_app
from fareast_kg.backend.base import Backend, BuildInfo
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.errors import EngineUnavailable
from fareast_kg.settings import Settings
from fareast_kg.sparql.cache import ResultCache
from fareast_kg.web.fastpath import FastPath

QUERY = {"query": "SELECT ?c WHERE { ?c a fe:City } ORDER BY ?c"}


def test_replay_etag_and_what_is_not_cached(full: Settings) -> None:
    client = create_app(full, EmbeddedBackend(full.store)).test_client()
    first = client.get("/sparql", query_string=QUERY)
    second = client.get("/sparql", query_string=QUERY)
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert "query;dur=" in first.headers["Server-Timing"]
    assert second.headers["Server-Timing"].startswith('cache;desc="replayed", total;dur=')
    assert second.headers["Access-Control-Allow-Origin"] == "*"
    not_modified = client.get("/sparql", query_string=QUERY, headers={"If-None-Match": first.headers["ETag"]})
    assert (not_modified.status_code, not_modified.data) == (304, b"")
    # Another Accept is another answer.
    csv = client.get("/sparql", query_string=QUERY, headers={"Accept": "text/csv"})
    assert csv.data.decode().splitlines()[0] == "c"
    # Errors and POSTs always go through the app.
    for _ in range(2):
        bad = client.get("/sparql", query_string={"query": "SELECT"})
        assert bad.status_code == 400 and "query;dur" not in bad.headers["Server-Timing"]
    posted = client.post("/sparql", data=QUERY)
    assert posted.headers["Server-Timing"].startswith("parse;dur=")
    assert posted.data == first.data


def test_a_bounded_lookup_skips_flask_with_the_same_answer_and_headers(live: str) -> None:
    """GET of a one-pattern query is answered before Flask; POST of it goes through the view: both the same."""
    import requests

    query = "SELECT ?p ?o WHERE { id:harbin ?p ?o } # skips flask"
    accept = {"Accept": "application/sparql-results+json"}
    got = requests.get(f"{live}/sparql", params={"query": query}, headers=accept, timeout=10)
    posted = requests.post(f"{live}/sparql", data={"query": query}, headers=accept, timeout=10)
    assert got.status_code == posted.status_code == 200
    assert got.content == posted.content and got.json()["results"]["bindings"]
    varying = {"Date", "Server-Timing"}
    assert {k: v for k, v in got.headers.items() if k not in varying} == \
        {k: v for k, v in posted.headers.items() if k not in varying}
    # Asked again (by either worker): the same answer and ETag; a conditional request gets 304 from the view.
    again = requests.get(f"{live}/sparql", params={"query": query}, headers=accept, timeout=10)
    assert (again.content, again.headers["ETag"]) == (got.content, got.headers["ETag"])
    conditional = {**accept, "If-None-Match": got.headers["ETag"]}
    same = requests.get(f"{live}/sparql", params={"query": query}, headers=conditional, timeout=10)
    assert (same.status_code, same.content) == (304, b"")
    # A bounded query with an error is answered by the view, in the client's format.
    bad = requests.get(f"{live}/sparql", params={"query": "SELECT ?s WHERE { ?s nope:p ?o }"}, headers=accept,
                       timeout=10)
    assert (bad.status_code, bad.text) == (400, "syntax error at line 1, column 28: undeclared prefix\n")


class Engine(Backend):
    """A remote engine as the fast path sees it: ``settled`` answers from a script (an error: the check failed)."""

    name = "test"
    verify_reads = True

    def __init__(self, *script: bool | Exception) -> None:
        self.script = list(script)

    def build(self) -> BuildInfo:
        return BuildInfo("a" * 64, publish="serial-1")

    def begin(self) -> None:
        pass

    def end(self) -> None:
        pass

    def settled(self) -> bool:
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


@pytest.mark.parametrize(("script", "answered_by"), [
    ((True,), "direct"),
    ((False, True), "app"),
    ((EngineUnavailable("down"), True), "app"),
])
def test_an_answer_without_flask_stands_only_if_no_switch_overlapped_it(script: tuple[bool | Exception, ...],
                                                                        answered_by: str) -> None:
    """Otherwise the app answers, with its own check (``web.onebuild``), and only its answer is kept:
    the second request is replayed from it."""
    calls: list[str] = []

    def direct(environ: dict[str, Any]) -> tuple[bytes, list[tuple[str, str]]]:
        calls.append("direct")
        return b"from direct", [("ETag", '"d"'), ("Server-Timing", "query;dur=1")]

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        calls.append("app")
        start_response("200 OK", [("ETag", '"a"')])
        return [b"from the app"]

    fast = FastPath(app, ResultCache(), Engine(*script, True), direct=direct)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "QUERY_STRING": "query=x"}
    bodies = [b"".join(fast(dict(environ), lambda status, headers: None)) for _ in range(2)]
    assert bodies == [b"from direct" if answered_by == "direct" else b"from the app"] * 2
    assert calls == (["direct"] if answered_by == "direct" else ["direct", "app"])

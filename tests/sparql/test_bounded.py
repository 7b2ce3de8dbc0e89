"""Which queries run in the serving process: one triple pattern, its cost bounded by its answers."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import NamedTuple

import pytest

from fareast_kg.backend import open_backend
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.errors import ServerBusy
from fareast_kg.namespaces import PREFIX_DECLARATIONS
from fareast_kg.settings import Settings
from fareast_kg.sparql import guard
from fareast_kg.sparql.bounded import bounded
from fareast_kg.sparql.execute import Job
from fareast_kg.sparql.lexer import tokenize
from fareast_kg.sparql.results import Serialized

BOUNDED = [
    "SELECT ?p ?o WHERE { id:harbin ?p ?o }",
    PREFIX_DECLARATIONS + "SELECT ?p ?o WHERE { id:harbin ?p ?o }",
    "BASE <http://x/> PREFIX e: <http://e/> SELECT * { ?s a fe:City . } LIMIT 5 OFFSET 10",
    "ASK { ?s rdfs:label \"Harbin\"@en }",
    "SELECT ?s WHERE { ?s fe:population 5 } OFFSET 10000",
    "select $s { $s <http://e/p> 'x'^^xsd:string }",
    "SELECT ?s { ?s fe:flag true }",
]
NOT_BOUNDED = [
    "SELECT ?s WHERE { ?s ?p ?s }",  # one variable twice: the walk filters instead of looks up
    "SELECT ?s WHERE { ?s ?p ?o . ?o ?q ?r }",
    "SELECT ?s WHERE { ?s ?p ?o ; ?q ?r }",
    "SELECT ?s WHERE { ?s ?p ?o , ?r }",
    "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o } OFFSET 10001",
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 LIMIT 2",
    "SELECT ?s WHERE { ?s ?p ?o FILTER (?o > 1) }",
    "SELECT ?s WHERE { ?s fe:locatedIn* ?o }",
    "SELECT ?s WHERE { ?s fe:a/fe:b ?o }",
    "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?s FROM <http://g/> WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }",
    "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <http://x/> }",
    "SELECT ?s WHERE { ?s ?p _:b }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <http://x/>",
    "SELECT ?s WHERE { ?s ?p -1 }",
]


@pytest.mark.parametrize("query", BOUNDED)
def test_bounded(query: str) -> None:
    assert bounded(tokenize(query))
    assert guard.check(query).bounded


@pytest.mark.parametrize("query", NOT_BOUNDED)
def test_not_bounded(query: str) -> None:
    assert not bounded(tokenize(query))


@pytest.mark.parametrize("query", [
    "SELECT ?p ?o WHERE { id:harbin ?p ?o }",
    "SELECT * { ?s a fe:City } LIMIT 5",
    "ASK { ?s rdfs:label \"Harbin\"@en }",
    "SELECT ?s ?o WHERE { ?s rdfs:label ?o }",
])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_in_process_answers_as_a_child_does(query: str, fmt: str, full: Settings) -> None:
    """The same job, bounded (in this process) and not (in a query child): the same bytes, caps included,
    when both read the disk store (``tests/backend/test_memory.py`` covers the memory copy)."""
    backend = open_backend(dataclasses.replace(full, memory_quads=0), serving=True)
    try:
        default, _ = backend.dataset()
        form = guard.check(query).form
        job = Job(query, form, fmt if form == "SELECT" else "json", default, (), limit=7)
        child = backend.run(job, 10)
        here = backend.run(dataclasses.replace(job, bounded=True), 10)
        assert here == child
        assert child.rows >= 1
    finally:
        backend.close()


def test_answers_past_the_inline_budget_come_from_a_child(full: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bounded query runs in this process until its answer passes ``inline_bytes``; then a child
    produces it whole, so the memory a thread holds stays small and the answer is the same."""
    from fareast_kg.backend import embedded
    from fareast_kg.sparql.isolate import IsolatedExecutor

    calls: list[str] = []
    in_process, in_child = embedded.run, IsolatedExecutor.run
    monkeypatch.setattr(embedded, "run", lambda *a: calls.append("here") or in_process(*a))
    monkeypatch.setattr(IsolatedExecutor, "run", lambda *a: calls.append("child") or in_child(*a))
    backend = open_backend(dataclasses.replace(full, inline_bytes=2000, memory_quads=0), serving=True)
    try:
        default, _ = backend.dataset()
        small = Job("SELECT ?o WHERE { id:harbin rdfs:label ?o }", "SELECT", "json", default, (), bounded=True)
        large = Job("SELECT ?p ?o WHERE { id:harbin ?p ?o }", "SELECT", "json", default, (), bounded=True)
        answer = backend.run(small, 10)
        assert (calls, answer.truncated) == (["here"], "") and len(answer.body) < 2000
        calls.clear()
        whole = backend.run(large, 10)
        assert calls == ["here", "child"]
        assert (whole.truncated, len(whole.body) > 2000) == ("", True)
        assert whole == backend.run(dataclasses.replace(large, bounded=False), 10)
        calls.clear()
        backend.close()
        backend = open_backend(dataclasses.replace(full, inline_bytes=0, memory_quads=0), serving=True)  # 0: never here
        assert backend.run(small, 10) == answer and calls == ["child"]
    finally:
        backend.close()


@contextlib.contextmanager
def _first_held(full: Settings, monkeypatch: pytest.MonkeyPatch, *, warm: bool) -> Iterator[Held]:
    """A serving backend (reading the disk, as its children do) whose first in-process look-up holds
    the turn until the test releases it; with ``warm``, one child waits idle, as in a server's worker."""
    from fareast_kg.backend import embedded

    backend = open_backend(dataclasses.replace(full, memory_quads=0), serving=True)
    assert isinstance(backend, EmbeddedBackend)
    if warm:
        backend.warm()
    entered, release = threading.Event(), threading.Event()
    in_process = embedded.run

    def held(*args: object) -> object:
        entered.set()
        if not release.wait(5):
            raise TimeoutError("an in-process query was held until the test gave up")
        return in_process(*args)

    monkeypatch.setattr(embedded, "run", held)
    default, _ = backend.dataset()
    job = Job("SELECT ?p ?o WHERE { id:harbin ?p ?o }", "SELECT", "json", default, (), bounded=True)
    try:
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(backend.run, job, 10)
            assert entered.wait(10)  # in this process, holding the turn
            yield Held(backend, job, first, release, pool)
    finally:
        release.set()
        backend.close()


class Held(NamedTuple):
    backend: EmbeddedBackend
    job: Job
    first: Future[Serialized]
    release: threading.Event
    pool: ThreadPoolExecutor


def test_a_bounded_query_that_finds_the_worker_busy_goes_to_an_idle_child(full: Settings,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """One bounded query runs in the process at a time; another waits 50 ms, then an idle child answers it."""
    with _first_held(full, monkeypatch, warm=True) as held:
        second = held.backend.run(held.job, 10)  # a child answers while the first is held
        assert not held.first.done()
        held.release.set()
        assert held.first.result(10) == second and second.rows >= 10


def test_without_an_idle_child_a_bounded_query_waits_its_turn(full: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """No child is started for a bounded query: one would take longer to start than the turn takes to
    come. The wait ends with 503 at the query's time limit, or after as long as a query waits for a slot."""
    from fareast_kg.backend import embedded

    with _first_held(full, monkeypatch, warm=False) as held:
        assert held.backend._open is not None and held.backend._open.executor is not None
        executor = held.backend._open.executor
        busy = r"^the server is running as many queries as it can; try again shortly$"
        with pytest.raises(ServerBusy, match=busy):
            held.backend.run(held.job, 0.3)  # the time limit
        with monkeypatch.context() as patched, pytest.raises(ServerBusy, match=busy):
            patched.setattr(embedded, "SLOT_WAIT", 0.3)
            held.backend.run(held.job, 10)  # as long as a query waits for a slot
        second = held.pool.submit(held.backend.run, held.job, 10)
        time.sleep(0.3)  # past the 50 ms: it waits on, in this process
        assert not second.done() and executor._all == []
        held.release.set()
        assert held.first.result(10) == second.result(10) and second.result().rows >= 10
        assert executor._all == []  # no child was started

"""A generation open in a worker: its memory copy (whole, bounded, what the worker reads) and
the switch to a new generation, made beside the one that answers."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter

import pyoxigraph as ox
import pytest

from fareast_kg.backend import open_backend
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.backend.opened import OpenGeneration, copy_of
from fareast_kg.build.pipeline import build
from fareast_kg.settings import Settings
from fareast_kg.sparql.execute import Job

from ..conftest import quiet

HARBIN = ox.NamedNode("https://w3id.org/fareast-kg/id/harbin")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def test_the_copy_holds_every_quad_of_the_store(full_db: ox.Store) -> None:
    copy = copy_of(full_db, 10**7)
    assert copy is not None
    assert len(copy) == len(full_db) > 40_000
    assert set(copy) == set(full_db.quads_for_pattern(None, None, None, None))


def test_a_store_past_the_limit_is_not_copied(full_db: ox.Store) -> None:
    size = len(full_db)
    assert copy_of(full_db, size - 1) is None
    exact = copy_of(full_db, size)
    assert exact is not None and len(exact) == size


def _serving(settings: Settings, **changes: object) -> EmbeddedBackend:
    backend = open_backend(dataclasses.replace(settings, **changes), serving=True)  # type: ignore[arg-type]
    assert isinstance(backend, EmbeddedBackend)
    return backend


def test_bounded_queries_and_page_lookups_read_the_copy(full: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy answers what runs in the worker, with the same solutions as the disk store."""
    from fareast_kg.backend import embedded

    stores: list[ox.Store] = []
    in_process = embedded.run
    monkeypatch.setattr(embedded, "run", lambda store, *a: stores.append(store) or in_process(store, *a))
    backend = _serving(full)
    try:
        opened = backend._open
        assert opened is not None and opened.memory is not None and opened.reader is opened.memory
        default, _ = backend.dataset()
        job = Job("SELECT ?p ?o WHERE { id:harbin ?p ?o }", "SELECT", "csv", default, (), bounded=True)
        here = backend.run(job, 10)
        assert stores == [opened.memory]
        child = backend.run(dataclasses.replace(job, bounded=False), 10)  # a query child reads the disk
        assert stores == [opened.memory] and here.rows == child.rows == 23
        assert Counter(here.body.splitlines()) == Counter(child.body.splitlines())
        rows = backend.select("SELECT ?s ?o WHERE { ?s rdfs:label ?o }", {"s": HARBIN})
        on_disk = opened.store.quads_for_pattern(HARBIN, LABEL, None, ox.NamedNode(default[0]))
        assert sorted(str(r["o"]) for r in rows) == sorted(str(q.object) for q in on_disk)
        assert len(rows) >= 3
    finally:
        backend.close()


def test_no_copy_when_turned_off_or_past_the_limit(full: Settings) -> None:
    for changes in ({"memory_quads": 0}, {"memory_quads": 1000}):
        backend = _serving(full, **changes)
        try:
            opened = backend._open
            assert opened is not None and opened.memory is None and opened.reader is opened.store
        finally:
            backend.close()


def _rebuild(settings: Settings) -> str:
    build(settings, force=True, log=quiet)
    return (settings.store / "current").readlink().name


def test_a_server_opens_a_new_generation_beside_the_one_that_answers(mini: Settings) -> None:
    """The request that notices a build is answered by the old generation; the new one, copied to
    memory and with a query child started, takes over once ready; a request pinned to the old one
    keeps it to its end."""
    first = _rebuild(mini)
    backend = _serving(mini)
    pinned, release, seen = threading.Event(), threading.Event(), []

    def request_in_flight() -> None:
        backend.begin()
        pinned.set()
        release.wait(30)
        seen.append(backend.path.name)
        backend.end()

    flight = threading.Thread(target=request_in_flight)
    try:
        flight.start()
        assert pinned.wait(30)
        second = _rebuild(mini)
        assert second != first
        backend.begin()
        assert backend.path.name == first  # the request that noticed is not kept waiting
        backend.end()
        opened = _switched(backend, second)
        assert opened.memory is not None
        # Its first query waits for no child: one was started before the switch, as at boot.
        assert opened.executor is not None and opened.executor._idle.qsize() == 1
        assert [g.name for g in backend._retired] == [first]
        release.set()
        flight.join(30)
        assert seen == [first]  # the pinned request read its own generation to its end
        assert backend._retired == []
        backend.begin()
        assert backend.path.name == second
        backend.end()
    finally:
        release.set()
        backend.close()


def _switched(backend: EmbeddedBackend, name: str) -> OpenGeneration:
    """The generation ``name``, once the background switch to it is made (30 s at most)."""
    deadline = time.monotonic() + 30
    while backend._open is not None and backend._open.name != name and time.monotonic() < deadline:
        time.sleep(0.01)
    opened = backend._open
    assert opened is not None and opened.name == name
    return opened


def test_a_new_build_whose_query_child_cannot_start_still_takes_over(
        mini: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The child started before a switch is a head start, not a condition: the new generation takes
    over, the log says why there is no child, and its first query starts one."""
    from fareast_kg.sparql.isolate import IsolatedExecutor

    def no_child(_executor: IsolatedExecutor) -> None:
        raise RuntimeError("no process to be had")

    _rebuild(mini)
    backend = _serving(mini)
    try:
        second = _rebuild(mini)
        with monkeypatch.context() as patched, caplog.at_level("WARNING", logger="fareast_kg.backend.embedded"):
            patched.setattr(IsolatedExecutor, "warm", no_child)
            backend.begin()
            backend.end()
            opened = _switched(backend, second)
        assert [r.getMessage() for r in caplog.records] == [
            "query engine not started for the new build: no process to be had"]
        assert opened.executor is not None and opened.executor._idle.qsize() == 0
        default, _ = backend.dataset()
        backend.begin()
        answer = backend.run(Job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "SELECT", "json", default, ()), 30)
        backend.end()
        assert answer.rows == 1 and opened.executor._idle.qsize() == 1
    finally:
        backend.close()


def test_without_serving_the_switch_is_made_at_once(mini: Settings) -> None:
    first = _rebuild(mini)
    backend = EmbeddedBackend(mini.store)
    try:
        second = _rebuild(mini)
        assert backend.refresh() is True
        assert backend.path.name == second != first
    finally:
        backend.close()


def test_a_new_build_that_cannot_be_opened_leaves_the_old_one_answering(
        mini: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The switch fails in no request: the old generation answers, the log says why, and the next
    try comes a second later (not on every request)."""
    from fareast_kg.backend import embedded

    first = _rebuild(mini)
    backend = _serving(mini)
    tries: list[str] = []

    def broken(generation: object, settings: object) -> None:
        tries.append("open")
        raise RuntimeError("no memory for the copy")

    try:
        _rebuild(mini)
        monkeypatch.setattr(embedded, "OpenGeneration", broken)
        with caplog.at_level("WARNING", logger="fareast_kg.backend.embedded"):
            for _ in range(50):
                backend.begin()
                assert backend.path.name == first
                backend.end()
                time.sleep(0.002)
        assert tries == ["open"]
        assert [r.getMessage() for r in caplog.records] == ["could not open the new build: no memory for the copy"]
    finally:
        backend.close()

"""The memory copy of a small store: whole, bounded, and what a worker's look-ups read."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pyoxigraph as ox
import pytest

from fareast_kg.backend import open_backend
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.backend.memory import MemoryCopy
from fareast_kg.settings import Settings
from fareast_kg.sparql.execute import Job


def test_the_copy_holds_every_quad_of_the_store(full_db: ox.Store) -> None:
    copy = MemoryCopy(full_db, 10**7)
    try:
        assert copy.wait(60)
        assert copy.store is not None
        assert len(copy.store) == len(full_db) > 40_000
        assert set(copy.store) == set(full_db.quads_for_pattern(None, None, None, None))
    finally:
        copy.close()


def test_a_store_past_the_limit_is_not_copied(full_db: ox.Store) -> None:
    size = len(full_db)
    over, exact = MemoryCopy(full_db, size - 1), MemoryCopy(full_db, size)
    try:
        assert over.wait(60) and exact.wait(60)
        assert over.store is None
        assert exact.store is not None and len(exact.store) == size
    finally:
        over.close()
        exact.close()


def test_closing_drops_the_copy_and_stops_the_loader(full_db: ox.Store) -> None:
    early = MemoryCopy(full_db, 10**7)
    early.close()  # at once: the loader stops at its next chunk, and keeps nothing
    assert early.wait(0) and early.store is None
    late = MemoryCopy(full_db, 10**7)
    assert late.wait(60) and late.store is not None
    late.close()
    assert late.store is None


def _serving(full: Settings, **changes: object) -> EmbeddedBackend:
    backend = open_backend(dataclasses.replace(full, **changes), serving=True)  # type: ignore[arg-type]
    assert isinstance(backend, EmbeddedBackend)
    return backend


def test_bounded_queries_and_page_lookups_read_the_copy(full: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once whole, the copy answers what runs in the worker, with the same solutions as the disk store."""
    from fareast_kg.backend import embedded

    stores: list[ox.Store] = []
    in_process = embedded.run
    monkeypatch.setattr(embedded, "run", lambda store, *a: stores.append(store) or in_process(store, *a))
    backend = _serving(full)
    try:
        opened = backend._open
        assert opened is not None and opened.memory is not None and opened.memory.wait(60)
        copy = opened.memory.store
        assert copy is not None and opened.reader is copy
        default, _ = backend.dataset()
        job = Job("SELECT ?p ?o WHERE { id:harbin ?p ?o }", "SELECT", "csv", default, (), bounded=True)
        here = backend.run(job, 10)
        assert stores == [copy]
        child = backend.run(dataclasses.replace(job, bounded=False), 10)  # a query child reads the disk
        assert stores == [copy] and here.rows == child.rows == 23
        assert Counter(here.body.splitlines()) == Counter(child.body.splitlines())
        rows = backend.select("SELECT ?s ?o WHERE { ?s rdfs:label ?o }", {"s": ox.NamedNode(
            "https://w3id.org/fareast-kg/id/harbin")})
        assert sorted(str(r["o"]) for r in rows) == sorted(
            str(q.object) for q in opened.store.quads_for_pattern(
                ox.NamedNode("https://w3id.org/fareast-kg/id/harbin"), ox.NamedNode(
                    "http://www.w3.org/2000/01/rdf-schema#label"), None, ox.NamedNode(default[0])))
    finally:
        backend.close()


def test_no_copy_when_turned_off_or_past_the_limit(full: Settings) -> None:
    for changes in ({"memory_quads": 0}, {"memory_quads": 1000}):
        backend = _serving(full, **changes)
        try:
            opened = backend._open
            assert opened is not None
            if opened.memory is not None:
                assert opened.memory.wait(60)
            assert opened.reader is opened.store
        finally:
            backend.close()

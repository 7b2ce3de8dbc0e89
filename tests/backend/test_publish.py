"""Publishing a build: idempotent, and readers see the old build or the new one, never a mix."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from fareast_kg.backend import connect
from fareast_kg.backend.pointer import BUILD, BUILD_GRAPH, META, STAGING
from fareast_kg.backend.remote import RemoteBackend
from fareast_kg.build.publish import publish
from fareast_kg.namespaces import GRAPH_LINKS, GRAPH_UNION
from fareast_kg.settings import Settings
from fareast_kg.web.onebuild import ATTEMPTS

from ..conftest import quiet, start_server, stop_server
from .engines import Engine

READER = f"""SELECT ?hash (COUNT(?s) AS ?n) WHERE {{
  GRAPH <{BUILD_GRAPH}> {{ <{BUILD}> <{META}hash> ?hash }}
  GRAPH <{GRAPH_UNION}> {{ ?s ?p ?o }}
}} GROUP BY ?hash"""


def other_build(data: bytes, info: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    """A second build: without graph/links and with every tenth triple of the union graph gone."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    kept, union = [], 0
    for line in lines:
        if line.rstrip().endswith(f"<{GRAPH_LINKS}> ."):
            continue
        if line.rstrip().endswith(f"<{GRAPH_UNION}> ."):
            union += 1
            if union % 10 == 0:
                continue
        kept.append(line)
    return "".join(kept).encode(), {**info, "hash": "b" * 64, "counts": {"quads": len(kept)}}


def served(engine: Engine) -> tuple[str, int] | list[tuple[str, int]]:
    r = requests.post(engine.endpoints.query, data={"query": READER},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    r.raise_for_status()
    rows = [(b["hash"]["value"], int(b["n"]["value"])) for b in r.json()["results"]["bindings"]]
    return rows[0] if len(rows) == 1 else rows


def staging_graphs(engine: Engine) -> list[str]:
    backend = connect(engine.endpoints)
    try:
        return [g for g in backend.select_graphs() if g.startswith(STAGING)]
    finally:
        backend.close()


def test_publishing_the_same_build_again_is_a_no_op(engine: Engine, build_data: tuple[bytes, dict]) -> None:
    data, info = build_data
    before = served(engine)
    again = publish(data, info, engine.endpoints, log=quiet)
    assert again.skipped and again.build_hash == info["hash"]
    assert served(engine) == before
    assert staging_graphs(engine) == []


COUNT_UNION = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_UNION}> {{ ?s ?p ?o }} }}"


def read_once(backend: RemoteBackend) -> tuple[str, int, int]:
    """One request as the web layer makes it: pinned to a build, then checked; again if a switch overlapped it.
    It reads twice, 0.2 s apart, as a page reads several times: a switch in between would show."""
    for _ in range(ATTEMPTS):
        backend.begin()
        try:
            build = backend.build().build_hash
            first = int(backend.select(COUNT_UNION)[0]["n"].value)
            time.sleep(0.2)
            found = (build, first, int(backend.select(COUNT_UNION)[0]["n"].value))
        finally:
            backend.end()
        if backend.settled():
            return found
    raise AssertionError(f"{ATTEMPTS} switches overlapped one read")


def switch_twice(engine: Engine, build_data: tuple[bytes, dict], read: Callable[[], object],
                 readers: int = 2) -> tuple[tuple[str, int], tuple[str, int], list[object], list[Exception]]:
    """Publish another build and then the real one again, while readers call ``read`` in a loop."""
    data, info = build_data
    other, other_info = other_build(data, info)
    old = served(engine)
    assert isinstance(old, tuple) and old[0] == info["hash"]
    seen: list[object] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                seen.append(read())
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=loop) for _ in range(readers)]
    for thread in threads:
        thread.start()
    try:
        first = publish(other, other_info, engine.endpoints, log=quiet)
        new = served(engine)
        second = publish(data, info, engine.endpoints, log=quiet)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not first.skipped and not second.skipped
    assert isinstance(new, tuple) and new[0] == "b" * 64 and new[1] < old[1]
    assert served(engine) == old
    assert GRAPH_LINKS in connect(engine.endpoints).graphs()
    assert staging_graphs(engine) == []
    return old, new, seen, errors


def test_readers_see_one_build_or_the_other_during_the_switch(engine: Engine, build_data: tuple[bytes, dict]) -> None:
    backend = connect(engine.endpoints)
    try:
        old, new, seen, errors = switch_twice(engine, build_data, lambda: read_once(backend))
    finally:
        backend.close()
    assert errors == []
    assert set(seen) == {(*old, old[1]), (*new, new[1])}, "a reader saw a mix of two builds, or never saw one"


def test_pages_are_one_build_or_the_other_during_the_switch(engine: Engine, build_data: tuple[bytes, dict],
                                                            full: Settings) -> None:
    """The same through this server: the build each answer names matches the data in it."""
    proc, url = start_server(full, "--store", engine.endpoints.query, "--engine", engine.kind)
    asked = itertools.count()

    def read() -> tuple[str, int]:
        # A fresh comment each time: no answer comes from the cache.
        query = f"# {next(asked)}\nSELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}"  # the default graph is the union
        r = requests.get(f"{url}/sparql", params={"query": query, "format": "csv"}, timeout=120)
        assert r.status_code == 200, r.text
        return r.headers["Fareast-Build"], int(r.text.splitlines()[1])

    try:
        old, new, seen, errors = switch_twice(engine, build_data, read, readers=4)
    finally:
        stop_server(proc)
    assert errors == []
    assert set(seen) <= {(old[0][:16], old[1]), (new[0][:16], new[1])}, "an answer mixed two builds"
    assert (old[0][:16], old[1]) in seen
    assert len(seen) > 10


LOOKUP = "SELECT ?s ?o WHERE { ?s a ?o }"  # bounded (``sparql.bounded``): answered without Flask


def test_lookups_answered_without_flask_are_one_build_or_the_other_during_the_switch(
        engine: Engine, build_data: tuple[bytes, dict], full: Settings) -> None:
    """A bounded look-up skips Flask (``web.fastpath``) and so the app's check: the same check is made
    there, so the build each answer names still matches the data in it."""
    proc, url = start_server(full, "--store", engine.endpoints.query, "--engine", engine.kind)
    asked = itertools.count()

    def read() -> tuple[str, int]:
        query = f"# {next(asked)}\n{LOOKUP}"  # a fresh comment: never from the cache
        r = requests.get(f"{url}/sparql", params={"query": query, "format": "csv"}, timeout=120)
        assert r.status_code == 200, r.text
        return r.headers["Fareast-Build"], len(r.text.splitlines()) - 1

    try:
        old, new, seen, errors = switch_twice(engine, build_data, read, readers=4)
    finally:
        stop_server(proc)
    assert errors == []
    counts = {build: {n for b, n in seen if b == build} for build in (old[0][:16], new[0][:16])}
    assert all(len(found) == 1 for found in counts.values()), f"an answer named the wrong build: {counts}"
    assert counts[old[0][:16]] != counts[new[0][:16]]


@pytest.mark.parametrize("engine", ["oxigraph"], indirect=True)
def test_a_build_published_again_is_not_answered_from_what_its_first_publish_cached(
        engine: Engine, build_data: tuple[bytes, dict], full: Settings) -> None:
    """Values are cached while a request runs, before the check that no switch overlapped it; so a
    publish of the same build starts its own cache (``BuildInfo.key``), and a mixed value left by an
    overlapped read is never served."""
    data, info = build_data
    # One worker: its cache is the one every request meets.
    proc, url = start_server(full, "--store", engine.endpoints.query, "--engine", engine.kind, "--workers", "1")

    def ask() -> requests.Response:
        r = requests.get(f"{url}/sparql", params={"query": COUNT_UNION, "format": "csv"}, timeout=60)
        assert r.status_code == 200, r.text
        return r

    try:
        first, again = ask(), ask()
        assert "replayed" in again.headers["Server-Timing"] and again.headers["ETag"] == first.headers["ETag"]
        publish(*other_build(data, info), engine.endpoints, log=quiet)
        publish(data, info, engine.endpoints, log=quiet)
        time.sleep(1.2)  # the server asks the engine which publish it serves at most once a second
        later = ask()
    finally:
        stop_server(proc)
    assert later.headers["Fareast-Build"] == first.headers["Fareast-Build"] == info["hash"][:16]
    assert "replayed" not in later.headers["Server-Timing"] and later.headers["ETag"] != first.headers["ETag"]
    assert later.text == first.text

"""Publishing a build: idempotent, and readers see the old build or the new one, never a mix."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests

from fareast_kg.backend import connect
from fareast_kg.backend.remote import BUILD, BUILD_GRAPH, META, STAGING
from fareast_kg.build.publish import publish
from fareast_kg.namespaces import GRAPH_LINKS, GRAPH_UNION

from ..conftest import quiet
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


def test_readers_see_one_build_or_the_other_during_the_switch(engine: Engine, build_data: tuple[bytes, dict],
                                                              request: pytest.FixtureRequest) -> None:
    if engine.kind == "virtuoso":
        # Not strict: whether a reader lands inside the switch is timing; see build/publish.py.
        request.applymarker(pytest.mark.xfail(reason="Virtuoso readers can see a half-switched build"))
    data, info = build_data
    other, other_info = other_build(data, info)
    old = served(engine)
    assert old[0] == info["hash"]
    seen: list[object] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(served(engine))
            except Exception as exc:
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        first = publish(other, other_info, engine.endpoints, log=quiet)
        new = served(engine)
        second = publish(data, info, engine.endpoints, log=quiet)
    finally:
        stop.set()
        reader.join()
    assert not first.skipped and not second.skipped
    assert new[0] == "b" * 64 and new[1] < old[1]
    assert errors == []
    assert len(seen) > 5
    assert set(map(str, seen)) <= {str(old), str(new)}, "a reader saw a mix of two builds"
    assert served(engine) == old
    assert GRAPH_LINKS in connect(engine.endpoints).graphs()
    assert staging_graphs(engine) == []

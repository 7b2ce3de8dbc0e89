"""Engines and a published build, shared by the remote-backend tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fareast_kg.backend import connect
from fareast_kg.backend.remote import RemoteBackend
from fareast_kg.build.publish import from_store, publish
from fareast_kg.settings import Settings

from ..conftest import quiet
from .engines import Engine, start_engine

ENGINES = ("oxigraph", "virtuoso")


@pytest.fixture(scope="session")
def build_data(full: Settings) -> tuple[bytes, dict[str, Any]]:
    """The real build, as N-Quads and its build.json."""
    return from_store(full.store)


def _engine(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = start_engine(kind, tmp_path_factory.mktemp(kind))
    try:
        yield engine
    finally:
        engine.stop()


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from _engine("oxigraph", tmp_path_factory)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from _engine("virtuoso", tmp_path_factory)


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest, build_data: tuple[bytes, dict[str, Any]]) -> Engine:
    """Each engine with the real build published on it."""
    engine: Engine = request.getfixturevalue(request.param)
    data, info = build_data
    publish(data, info, engine.endpoints, log=quiet)
    return engine


@pytest.fixture
def remote(engine: Engine) -> Iterator[RemoteBackend]:
    backend = connect(engine.endpoints)
    yield backend
    backend.close()


@pytest.fixture
def small_oxigraph(tmp_path: Path, full: Settings) -> Iterator[Engine]:
    """A throw-away Oxigraph holding only the ontology: for tests that leave queries running."""
    engine = start_engine("oxigraph", tmp_path / "engine")
    ontology = (Path(full.root) / "ontology" / "fareast.ttl").read_bytes()
    import requests

    requests.post(f"{engine.base}/store", params={"graph": "urn:x:ontology"}, data=ontology,
                  headers={"Content-Type": "text/turtle"}, timeout=30).raise_for_status()
    try:
        yield engine
    finally:
        engine.stop()

"""Shared fixtures: a tiny project, a build of the real data, and a live server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.backend.layout import current_build
from fareast_kg.build.pipeline import build
from fareast_kg.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"
SEED = ROOT.parent / "shared" / "seeds" / "000_6225201a47dae885.txt"
BIN = Path(sys.executable).parent


def quiet(_: str) -> None:
    """A build log that prints nothing."""


def make_project(base: Path, data: Path = MINI / "data") -> Settings:
    """A project folder with the real ontology and the given data, storing under base/store."""
    shutil.copytree(ROOT / "ontology", base / "ontology")
    shutil.copytree(data, base / "data")
    (base / "queries").mkdir()
    return Settings.from_env({}, root=base, seed=SEED)


@pytest.fixture
def mini(tmp_path: Path) -> Settings:
    return make_project(tmp_path)


@pytest.fixture(scope="session")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = make_project(tmp_path_factory.mktemp("mini"))
    build(settings, log=quiet)
    return settings


@pytest.fixture(scope="session")
def full(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The real ontology and data, built once per session into a temporary store."""
    store = tmp_path_factory.mktemp("full") / "store"
    settings = Settings.from_env({}, root=ROOT, store=store, seed=SEED)
    build(settings, log=quiet)
    return settings


@pytest.fixture(scope="session")
def full_store(full: Settings) -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(full.store)
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def full_db(full: Settings) -> ox.Store:
    """The built store itself, read-only, for tests that inspect the data directly."""
    built = current_build(full.store)
    assert built is not None
    return ox.Store.read_only(str(built.path))


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"the seed text {SEED} is absent; provenance tests need it")
    return SEED.read_text(encoding="utf-8")


def start_banner(store: Path, url: str) -> list[str]:
    """What `fareast-kg serve` prints on start for the store folder's current build, spelled out."""
    info = current_build(store)
    assert info is not None
    date = info.info["built_at"].replace("T", " ")[:16] + " UTC"  # built_at is UTC, "+00:00"
    return [
        f"serving {store}/ on {url}/ (generation {info.path.name}, built {date})",
        f"  query UI  {url}/",
        f"  SPARQL    {url}/sparql",
        f"  ontology  {url}/ontology",
        f"  API       {url}/api/openapi.json",
        f"  dataset   {url}/.well-known/void",
        "Ctrl-C stops it.",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(settings: Settings, *extra: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [str(BIN / "fareast-kg"), "--root", str(settings.root), "--store", str(settings.store),
               "serve", "--port", str(port), *extra]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - the server writes to it after this function returns
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server exited: {log.read().decode()}")
        try:
            requests.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=2)
            log.close()
            return proc, url
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start within 30 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def live(full: Settings) -> Iterator[str]:
    """gunicorn serving the full build on a random port."""
    proc, url = start_server(full, "--timeout", "3")
    yield url
    stop_server(proc)


def descendants(pid: int) -> list[int]:
    """Every live process below pid, read from /proc (query children included)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    out: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        children = [p for p, parent in parents.items() if parent == current]
        out += children
        frontier += children
    return sorted(out)


@pytest.fixture
def server(mini_built: Settings) -> Iterator[Callable[..., tuple[subprocess.Popen, str]]]:
    """Start servers on the mini build with given flags and environment; all are stopped afterwards."""
    started: list[subprocess.Popen] = []

    def start(*extra: str, env: dict[str, str] | None = None, settings: Settings | None = None) -> tuple[
            subprocess.Popen, str]:
        proc, url = start_server(settings or mini_built, *extra, env=env)
        started.append(proc)
        return proc, url

    yield start
    for proc in started:
        stop_server(proc)

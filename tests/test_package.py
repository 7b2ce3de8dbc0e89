"""The wheel, installed into a fresh virtual environment, builds and serves outside the checkout.

Slow (it builds a wheel and installs it with its dependencies), so it is marked `package`; plain
`pytest` and `make test` run it. pip's cache makes every run after the first much quicker.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from fareast_kg import __version__
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.backend.layout import current_build
from fareast_kg.settings import Settings

from .conftest import ROOT, free_port, start_banner

pytestmark = pytest.mark.package

# What `python -m build` needs from the checkout; everything else (tests, .venv, store) stays out.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "src", "ontology", "data", "queries")
AGREEMENTS = "SELECT ?a WHERE { ?a a fe:Agreement } ORDER BY ?a"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy, so the checkout gets no build/ or egg-info folders.
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__", "*.egg-info")}
                                           if copy is shutil.copytree else {}))
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)])
    (built,) = out.glob("fareast_kg-*.whl")
    return built


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A working folder outside the checkout, and an environment that cannot see the checkout."""
    home = tmp_path_factory.mktemp("user")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "FAREAST_", "VIRTUAL_ENV"))}
    env["XDG_DATA_HOME"] = str(home / "data")
    (home / "work").mkdir()
    return home / "work", env


@pytest.fixture(scope="module")
def venv(wheel: Path, outside: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the wheel and its dependencies."""
    folder = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", str(folder)], env=outside[1])
    _run([str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          str(wheel)], env=outside[1])
    return folder / "bin"


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)  # type: ignore[call-overload]
    assert out.returncode == 0, f"{command[:3]} failed:\n{out.stdout}\n{out.stderr}"
    return out


def test_the_wheel_carries_the_ontology_data_queries_and_ui(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, pattern in (("ontology", "*.ttl"), ("data", "**/*.trig"), ("queries", "*.rq")):
        for path in (ROOT / folder).glob(pattern):
            assert f"fareast_kg/share/{path.relative_to(ROOT).as_posix()}" in names
    for path in (ROOT / "src" / "fareast_kg" / "web").glob("*/*.*"):
        if path.parent.name in ("static", "templates"):
            assert f"fareast_kg/web/{path.parent.name}/{path.name}" in names


@pytest.fixture(scope="module")
def built(venv: Path, outside: tuple[Path, dict[str, str]]) -> Path:
    work, env = outside
    out = _run([str(venv / "fareast-kg"), "build"], cwd=work, env=env)
    store = Path(env["XDG_DATA_HOME"]) / "fareast-kg" / "store"
    share = next(venv.parent.glob("lib/python*/site-packages/fareast_kg/share"))
    assert out.stdout.splitlines()[0] == f"building {store}/ from {share}/ontology/ and {share}/data/"
    return store


def test_version(venv: Path, outside: tuple[Path, dict[str, str]]) -> None:
    work, env = outside
    assert _run([str(venv / "fareast-kg"), "--version"], cwd=work, env=env).stdout == f"fareast-kg {__version__}\n"


def test_the_installed_build_is_the_checkout_build(built: Path, full: Settings) -> None:
    # Same files, same build code: the same build hash, so the same data and the same counts.
    mine, theirs = current_build(built), current_build(full.store)
    assert mine is not None and theirs is not None
    assert mine.build_hash == theirs.build_hash
    assert mine.info["counts"] == theirs.info["counts"]


@pytest.fixture(scope="module")
def served(venv: Path, built: Path, outside: tuple[Path, dict[str, str]]) -> Iterator[tuple[str, list[str]]]:
    work, env = outside
    port = free_port()
    proc = subprocess.Popen([str(venv / "fareast-kg"), "serve", "--port", str(port), "--workers", "1"], cwd=work,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    assert proc.stdout is not None
    banner = [proc.stdout.readline().rstrip("\n") for _ in range(7)]
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/api/prefixes", timeout=2)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield url, banner
    os.killpg(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    # Quiet stops (an empty stderr) are tests/web/test_limits.py's concern, with its warm-up wait.
    assert (proc.returncode, out) == (0, "")


def test_serve_prints_where_everything_is(served: tuple[str, list[str]], built: Path) -> None:
    url, banner = served
    assert banner == start_banner(built, url)


def test_the_installed_server_answers_as_the_checkout_does(served: tuple[str, list[str]],
                                                           full_store: EmbeddedBackend) -> None:
    url, _ = served
    answer = requests.get(f"{url}/sparql", params={"query": AGREEMENTS},
                          headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert answer.status_code == 200
    mine = [row["a"]["value"] for row in answer.json()["results"]["bindings"]]
    assert mine == [row["a"].value for row in full_store.select(AGREEMENTS)]
    assert len(mine) > 0


def test_the_installed_page_says_it_loads_yasgui_from_the_cdn(served: tuple[str, list[str]]) -> None:
    page = requests.get(f"{served[0]}/", timeout=10)
    assert page.status_code == 200
    assert "https://cdn.jsdelivr.net/npm/@triply/yasgui@4.2.28/build/yasgui.min.js" in page.text
    assert '<p class="notice" id="cdn-notice">The query editor is loaded from a public CDN' in page.text

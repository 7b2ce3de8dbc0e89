"""Stage 4 and the whole pipeline: deterministic stores, atomic swaps, and failures that lose nothing."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from fareast_kg.backend.layout import current_build
from fareast_kg.build.load import GENID, nquads
from fareast_kg.build.pipeline import build
from fareast_kg.errors import StoreError
from fareast_kg.namespaces import GRAPH_UNION
from fareast_kg.settings import Settings

from ..conftest import BIN, ROOT, SEED, quiet


def dump(store_dir: Path) -> list[str]:
    built = current_build(store_dir)
    assert built is not None
    store = ox.Store.read_only(str(built.path))
    return sorted(store.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())


def test_blank_nodes_get_content_derived_names() -> None:
    g = URIRef("urn:g")
    a, b = BNode(), BNode()
    quads = [(URIRef("urn:s"), URIRef("urn:p"), a, g), (a, URIRef("urn:first"), Literal("x"), g),
             (b, URIRef("urn:first"), Literal("x"), g)]
    text = nquads(quads).decode()
    assert "_:" not in text
    in_g = [line for line in text.splitlines() if line.endswith("<urn:g> .")]
    assert sum(line.count(GENID) for line in in_g) == 3
    # The union graphs hold each distinct triple once: two of the three rows are the same triple.
    assert len([line for line in text.splitlines() if line.endswith(f"<{GRAPH_UNION}> .")]) == 2
    # Same content, same name: a and b describe the same thing.
    names = {line.split()[0] for line in in_g if "urn:first" in line}
    assert len(names) == 1


def test_two_builds_of_the_same_inputs_are_identical(full: Settings, tmp_path: Path) -> None:
    again = Settings.from_env({}, root=ROOT, store=tmp_path / "store", seed=SEED)
    build(again, log=quiet)
    assert dump(again.store) == dump(full.store)
    assert current_build(again.store).build_hash == current_build(full.store).build_hash  # type: ignore[union-attr]
    # The dumps too, byte for byte: sorted statements and no time stamp in the gzip header.
    assert current_build(again.store).info["dumps"] == current_build(full.store).info["dumps"]  # type: ignore[union-attr]


def test_build_reports_each_stage_and_skips_when_up_to_date(mini: Settings) -> None:
    lines: list[str] = []
    report = build(mini, log=lines.append)
    assert [name for name, _, _ in report.stages] == ["parse", "validate", "reason", "load", "describe", "swap"]
    assert [line.split()[0] for line in lines[1:7]] == ["parse", "validate", "reason", "load", "describe", "swap"]
    assert all(" ms " in line for line in lines[1:7])
    assert lines[-1].startswith(f"built {report.counts['quads']} quads in 7 graphs in ")
    assert report.counts["asserted"] == 89
    again: list[str] = []
    assert build(mini, log=again.append).skipped
    assert again[-1] == f"store is up to date ({report.path.name}); use --force to rebuild"  # type: ignore[union-attr]
    (mini.data_dir / "facts.trig").write_text((mini.data_dir / "facts.trig").read_text() + "\n# changed\n")
    assert not build(mini, log=quiet).skipped


def test_the_previous_store_survives_a_failed_build(mini: Settings) -> None:
    build(mini, log=quiet)
    before = dump(mini.store)
    (mini.data_dir / "bad.trig").write_text("<urn:g> { <urn:a> <urn:b> . }")
    with pytest.raises(Exception, match=r"data/bad\.trig: line 1"):
        build(mini, log=quiet)
    assert dump(mini.store) == before


def test_store_folder_that_cannot_be_written(mini: Settings, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings = Settings.from_env({}, root=mini.root, store=blocker / "store")
    with pytest.raises(StoreError) as err:
        build(settings, log=quiet)
    assert str(err.value) == f"cannot use the store folder {blocker / 'store'}/: Not a directory"


def test_a_second_build_is_refused_while_one_runs(mini: Settings) -> None:
    build(mini, log=quiet)
    before = dump(mini.store)
    fd = os.open(mini.store / ".lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # what a running build holds
    try:
        with pytest.raises(StoreError) as err:
            build(mini, force=True, log=quiet)
    finally:
        os.close(fd)
    assert str(err.value) == (
        f"the store folder {mini.store}/ is locked by another build; wait for it, "
        "or build into another folder with `fareast-kg build --store DIR`"
    )
    assert dump(mini.store) == before


def _terminal_sigint() -> None:
    # As in a terminal: a test run started in the background (`make test &`) ignores SIGINT, and
    # its children would inherit that and never see the Ctrl-C the test sends.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _cli(settings: Settings, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(BIN / "fareast-kg"), "--root", str(settings.root), "--store", str(settings.store),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_terminal_sigint)


@pytest.fixture
def full_copy(full: Settings, tmp_path: Path) -> Settings:
    """A project that reads the real data and owns a store with a finished build in it."""
    settings = Settings.from_env({}, root=ROOT, store=tmp_path / "store", seed=SEED)
    shutil.copytree(full.store, settings.store, symlinks=True)
    return settings


def test_a_killed_build_leaves_the_previous_store_untouched(full_copy: Settings) -> None:
    before = dump(full_copy.store)
    proc = _cli(full_copy, "build", "--force")
    deadline = time.monotonic() + 60
    while not list(full_copy.store.glob(".tmp-*")):  # the load stage has begun writing
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it was killed"
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert dump(full_copy.store) == before
    # The next build removes what the killed one left behind.
    build(full_copy, force=True, log=quiet)
    assert not list(full_copy.store.glob(".tmp-*"))
    assert [p.name for p in full_copy.store.glob("gen-*")] == [current_build(full_copy.store).path.name]  # type: ignore[union-attr]


def test_ctrl_c_stops_the_build_with_one_message(full_copy: Settings) -> None:
    before = dump(full_copy.store)
    proc = _cli(full_copy, "build", "--force")
    assert proc.stdout is not None
    for line in proc.stdout:  # wait until validation has finished, so reasoning is under way
        if line.lstrip().startswith("validate"):
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "fareast-kg: interrupted; the previous store is untouched\n"
    assert dump(full_copy.store) == before



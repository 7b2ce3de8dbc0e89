"""Incremental builds: a closure is reused only for an identical reasoning input, and the store
is then exactly the store of a full build (sorted N-Quads equal)."""

from __future__ import annotations

import shutil
from pathlib import Path

from fareast_kg.build.pipeline import Report, build
from fareast_kg.settings import Settings

from ..conftest import quiet
from .test_load import dump

FACTS = "facts.trig"


def _edit(settings: Settings, old: str, new: str) -> None:
    path = settings.data_dir / FACTS
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _reason_detail(report: Report) -> str:
    return next(text for name, _, text in report.stages if name == "reason")


def _full_build(settings: Settings, tmp_path: Path) -> list[str]:
    """The same inputs built from scratch in a fresh store folder, with no cache."""
    store = tmp_path / "fresh"
    shutil.rmtree(store, ignore_errors=True)
    build(Settings.from_env({}, root=settings.root, store=store), log=quiet)
    return dump(store)


def test_a_label_edit_reuses_the_closure_and_gives_the_full_builds_store(mini: Settings, tmp_path: Path) -> None:
    first = build(mini, log=quiet)
    assert "reused" not in _reason_detail(first)
    _edit(mini, 'rdfs:label "Vladivostok"@en', 'rdfs:label "Vladivostok city"@en')
    again = build(mini, log=quiet)
    assert _reason_detail(again).endswith("; the closure of an identical input reused")
    assert again.counts == first.counts
    assert dump(mini.store) == _full_build(mini, tmp_path)
    assert any('"Vladivostok city"@en' in line for line in dump(mini.store))


def test_a_fact_edit_runs_the_closure_again(mini: Settings, tmp_path: Path) -> None:
    build(mini, log=quiet)
    # Vladivostok moves to China: every located-in inference about it changes.
    _edit(mini, "fe:locatedInDirect id:primorsky-krai .", "fe:locatedInDirect id:china .")
    again = build(mini, log=quiet)
    assert "reused" not in _reason_detail(again)
    rows = dump(mini.store)
    assert rows == _full_build(mini, tmp_path)
    inferred = " <https://w3id.org/fareast-kg/graph/inferred> ."
    vladivostok_in = "<https://w3id.org/fareast-kg/id/vladivostok> <https://w3id.org/fareast-kg/ontology#locatedIn> "
    assert sorted(line for line in rows if line.startswith(vladivostok_in) and line.endswith(inferred)) == [
        vladivostok_in + "<https://w3id.org/fareast-kg/id/china>" + inferred,
    ]


def test_a_changed_ontology_is_a_new_key(mini: Settings) -> None:
    build(mini, log=quiet)
    path = mini.ontology_dir / "fareast.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment changes the file's hash\n", encoding="utf-8")
    assert "reused" not in _reason_detail(build(mini, log=quiet))


def test_an_unreadable_cache_entry_is_recomputed(mini: Settings) -> None:
    build(mini, log=quiet)
    for entry in (mini.store / ".cache").glob("closure-*.pickle"):
        entry.write_bytes(b"not a pickle")
    report = build(mini, force=True, log=quiet)
    assert "reused" not in _reason_detail(report)
    assert report.counts["inferred"] > 0

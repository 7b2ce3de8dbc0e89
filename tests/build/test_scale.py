"""The corpus of benchmarks/corpus.py: fresh IRIs per copy, and a closure equal to plain owlrl's at 3x."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from ..conftest import ROOT
from .closures import ours_and_plain_owlrl


def corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "data"
    corpus_module().write_corpus(3, out)
    return out


def test_copies_get_fresh_iris_and_meet_at_shared_ones(tmp_path: Path) -> None:
    corpus = corpus_module()
    out = tmp_path / "data"
    corpus.write_corpus(2, out)
    copy = (out / "copy-001" / "sections" / "60-first-and-second-stage.trig").read_text()
    assert "<https://w3id.org/fareast-kg/graph/passage/p061-c1>" in copy
    assert "<https://w3id.org/fareast-kg/id/heilongjiang>" in copy  # shared: the same province
    assert "<https://w3id.org/fareast-kg/id/chinese-tradesmen-far-east-c1>" in copy
    assert "<https://w3id.org/fareast-kg/id/chinese-tradesmen-far-east>" not in copy
    original = (ROOT / "data" / "sections" / "60-first-and-second-stage.trig").read_bytes()
    assert (out / "copy-000" / "sections" / "60-first-and-second-stage.trig").read_bytes() == original


def test_the_3x_closure_equals_plain_owlrl(corpus3: Path) -> None:
    ours, theirs = ours_and_plain_owlrl(ROOT / "ontology", corpus3, ROOT)
    assert ours == theirs
    assert len(ours) == 18507

"""The fareast-kg command: stats, query, validate, and one clear line for every failure."""

from __future__ import annotations

import json
import os
import select
import shlex
import subprocess
from pathlib import Path

import pytest

from fareast_kg import __version__
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.backend.layout import current_build
from fareast_kg.cli import EXAMPLES, _parser, _settings
from fareast_kg.settings import Settings

from .conftest import BIN, SEED


def run(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "fareast-kg"), "--root", str(settings.root), *args],
                          capture_output=True, text=True, timeout=120)


def test_stats_table(mini_built: Settings) -> None:
    out = run(mini_built, "stats")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    quads = current_build(mini_built.store).info["counts"]["quads"]  # type: ignore[union-attr]
    assert lines[:5] == [
        f"quads                 {quads}",
        "named graphs          7 (3 passage graphs)",
        "statistics            1",
        "passages with facts   3 of 4",
        "paragraphs with facts 3 of 4 (75.0%)",
    ]
    table = {line.split()[0]: line.split()[1:] for line in lines[7:lines.index("", 7)]}
    # provenance (passages, quotes) is not reasoned over; the four project statuses of the ontology are Entities
    assert table["Entity"] == ["0", "16"]
    assert table["Actor"] == ["0", "4"]
    assert table["Region"] == ["0", "4"]
    assert table["Country"] == ["2", "0"]
    assert table["Statistic"] == ["1", "0"]
    assert len(table) == 23  # with ProjectStatus, whose four members the ontology defines


def test_stats_lists_what_reasoning_adds_by_predicate_and_rule(mini_built: Settings) -> None:
    lines = run(mini_built, "stats").stdout.splitlines()
    rules = lines[lines.index("inferred by rule                           triples") + 1:]
    assert rules == [
        "scm-sco (subclass of a subclass)               189",
        "cax-sco (subclass)                              79",
        "prp-spo1 (sub-property)                         28",
        "prp-inv (inverse)                               14",
        "prp-spo2 (property chain)                        6",
        "scm-spo (sub-property of a sub-property)         6",
        "prp-rng (range)                                  4",
        "prp-dom (domain)                                 2",
        "prp-trp (transitive)                             2",
    ]
    start = lines.index("inferred by predicate     triples") + 1
    predicates = dict(line.rsplit(None, 1) for line in lines[start:lines.index("", start)])
    assert len(predicates) == 33 and sum(map(int, predicates.values())) == 330
    assert (predicates["fe:signatory"], predicates["fe:locatedIn"], predicates["fe:siteWithin"]) == ("2", "3", "3")
    assert (predicates["rdf:type"], predicates["fe:adoptedAt"], predicates["fe:affiliatedWith"]) == ("85", "1", "1")


def test_stats_json(mini_built: Settings) -> None:
    out = run(mini_built, "stats", "--json")
    data = json.loads(out.stdout)
    assert data["statistics"] == 1
    assert data["paragraph_coverage"] == 0.75
    assert data["classes"]["Person"] == {"asserted": 1, "inferred": 0}
    assert data["inferred_by_rule"]["prp-trp (transitive)"] == 2
    assert data["inferred_by_predicate"]["fe:siteWithin"] == 3


def test_query_prints_a_table(mini_built: Settings) -> None:
    out = run(mini_built, "query", "SELECT ?place WHERE { ?place fe:locatedIn id:russia } ORDER BY ?place")
    assert out.stdout == "place\n-----------------\nid:primorsky-krai\nid:vladivostok\n(2 rows)\n"


def test_query_without_inference(mini_built: Settings) -> None:
    out = run(mini_built, "query", "--no-infer", "--format", "csv",
              "SELECT ?place WHERE { ?place fe:locatedIn id:russia }")
    assert out.stdout == "place\n"  # the header only; universal newlines fold the CSV CRLF


def test_bad_query_is_one_line(mini_built: Settings) -> None:
    out = run(mini_built, "query", "SELECT * WHERE {")
    assert out.returncode == 1
    assert out.stderr == "fareast-kg: error: syntax error at line 1, column 17: unexpected character or end of query\n"


def test_validate(mini: Settings) -> None:
    out = run(mini, "validate")
    assert out.returncode == 0
    assert out.stdout.endswith("the data conforms to the shapes\n")


def test_bad_inputs_exit_codes(mini: Settings) -> None:
    (mini.data_dir / "bad.trig").write_text("<urn:g> { <urn:a> nope:b <urn:c> . }\n")
    out = run(mini, "build")
    assert (out.returncode, out.stderr) == (
        2, "fareast-kg: error: data/bad.trig: line 1, column 19: The prefix nope: has not been declared\n")
    (mini.data_dir / "bad.trig").write_text(
        "<urn:g> { <https://w3id.org/fareast-kg/id/x> a <https://w3id.org/fareast-kg/ontology#City> . }\n")
    out = run(mini, "build")
    assert out.returncode == 3
    assert out.stderr.startswith("fareast-kg: error: the data does not conform to the shapes (1 violations):\n")
    assert "Traceback" not in out.stderr


def test_missing_data_folder_exit_code(tmp_path: Path) -> None:
    out = subprocess.run([str(BIN / "fareast-kg"), "--root", str(tmp_path), "build"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr == "fareast-kg: error: the ontology folder ontology/ does not exist\n"


def test_query_before_any_build(tmp_path: Path) -> None:
    out = subprocess.run([str(BIN / "fareast-kg"), "--root", str(tmp_path), "query", "ASK {}"],
                         capture_output=True, text=True)
    assert out.returncode == 5
    assert out.stderr == f"fareast-kg: error: no built store in {tmp_path / 'store'}/; run `fareast-kg build` first\n"


def test_query_says_when_the_row_limit_cut_the_result(mini_built: Settings) -> None:
    out = run(mini_built, "query", "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s", "--format", "csv",
              "--max-rows", "2")
    assert out.returncode == 8
    assert len(out.stdout.splitlines()) == 3
    assert out.stderr == "fareast-kg: the result was cut at max-rows=2; add LIMIT or raise --max-rows\n"


def test_version() -> None:
    out = subprocess.run([str(BIN / "fareast-kg"), "--version"], capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout) == (0, f"fareast-kg {__version__}\n")


def test_every_command_help_ends_with_an_example_that_parses() -> None:
    for name, example in EXAMPLES.items():
        out = subprocess.run([str(BIN / "fareast-kg"), name, "--help"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0
        assert out.stdout.endswith(f"\nexample:\n  {example}\n")
        args = _parser().parse_args(shlex.split(example)[1:])
        assert args.command == name


def test_the_locate_example_works() -> None:
    out = subprocess.run([str(BIN / "fareast-kg"), *shlex.split(EXAMPLES["locate"])[1:]], capture_output=True,
                         text=True, timeout=60, env={**os.environ, "FAREAST_SEED": str(SEED)})
    assert (out.returncode, out.stdout) == (0, "fe:startOffset 37987 ; fe:endOffset 38010\n")


def test_the_query_example_works(full: Settings, full_store: EmbeddedBackend) -> None:
    args = shlex.split(EXAMPLES["query"])[1:]
    out = subprocess.run([str(BIN / "fareast-kg"), "--store", str(full.store), *args],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    expected = [row["s"].value for row in full_store.select(args[1])]
    assert out.stdout.splitlines() == ["s", *expected] and len(expected) == 3


def test_progress_lines_reach_a_pipe_at_once() -> None:
    """Build progress through a pipe (CI logs, `| tee`) arrives line by line, not at the end."""
    code = "import time; from fareast_kg.cli import progress; progress('parse 1 ms'); time.sleep(60)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as on a plain machine
    proc = subprocess.Popen([str(BIN / "python"), "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        assert select.select([proc.stdout], [], [], 20)[0], "no line within 20 s"
        assert proc.stdout.readline() == "parse 1 ms\n"
        assert proc.poll() is None  # read while the process still runs
    finally:
        proc.kill()
        proc.communicate()


def test_the_memory_copy_limit_comes_from_the_flag_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAREAST_MEMORY_QUADS", raising=False)
    assert _settings(_parser().parse_args(["serve"])).memory_quads == 500_000
    assert _settings(_parser().parse_args(["serve", "--memory-quads", "0"])).memory_quads == 0
    monkeypatch.setenv("FAREAST_MEMORY_QUADS", "7")
    assert _settings(_parser().parse_args(["serve"])).memory_quads == 7
    assert _settings(_parser().parse_args(["serve", "--memory-quads", "9"])).memory_quads == 9

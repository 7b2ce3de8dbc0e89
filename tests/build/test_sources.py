"""Stage 1: reading ontology/ and data/, and the errors for bad input."""

from __future__ import annotations

import pytest

from fareast_kg.build.sources import read_sources
from fareast_kg.errors import SourceError
from fareast_kg.settings import Settings


def _read(settings: Settings):  # type: ignore[no-untyped-def]
    return read_sources(settings.ontology_dir, settings.data_dir, settings.root)


def test_reads_named_graphs_and_hashes_files(mini: Settings) -> None:
    sources = _read(mini)
    names = sorted(str(g.identifier).rsplit("/", 1)[-1] for g in sources.data.graphs() if len(g))
    assert names == ["p001", "p002", "p003", "provenance"]
    assert sorted(sources.files) == ["data/facts.trig", "ontology/alignment.ttl", "ontology/fareast.ttl",
                                     "ontology/shapes.ttl"]
    assert len(sources.digest) == 64
    assert _read(mini).digest == sources.digest


def test_invalid_trig_names_the_file_and_line(mini: Settings) -> None:
    (mini.data_dir / "broken.trig").write_text('<http://g> {\n  <http://a> <http://b> "open .\n}\n')
    with pytest.raises(SourceError) as err:
        _read(mini)
    # The unterminated string starts at line 2, column 25 and runs to the end of the file.
    assert str(err.value) == "data/broken.trig: line 2, column 25: Unexpected end of file"


def test_invalid_turtle_in_the_ontology(mini: Settings) -> None:
    path = mini.ontology_dir / "alignment.ttl"
    path.write_text(path.read_text() + "\nfe:Actor rdfs:subClassOf .\n")
    lines = len(path.read_text().splitlines())
    with pytest.raises(SourceError) as err:
        _read(mini)
    assert str(err.value) == f"ontology/alignment.ttl: line {lines}, column 26: . is not a valid RDF object"


def test_undeclared_prefix(mini: Settings) -> None:
    (mini.data_dir / "prefix.trig").write_text("<http://g> {\n  <http://a> nope:b <http://c> .\n}\n")
    with pytest.raises(SourceError) as err:
        _read(mini)
    assert str(err.value) == "data/prefix.trig: line 2, column 14: The prefix nope: has not been declared"


def test_missing_data_folder(mini: Settings) -> None:
    missing = Settings.from_env({}, root=mini.root, data_dir=mini.root / "nowhere")
    with pytest.raises(SourceError) as err:
        _read(missing)
    assert str(err.value) == "the data folder nowhere/ does not exist"


def test_triples_outside_named_graphs_are_refused(mini: Settings) -> None:
    (mini.data_dir / "stray.trig").write_text("<http://a> <http://b> <http://c> .\n")
    with pytest.raises(SourceError, match=r"^data/stray.trig: 1 triples lie outside any named graph"):
        _read(mini)


def test_invalid_iri(mini: Settings) -> None:
    (mini.data_dir / "iri.trig").write_text("<http://g> {\n <http://a> <http://b> <http://x/a#b#c> .\n}\n")
    with pytest.raises(SourceError) as err:
        _read(mini)
    assert str(err.value) == "data/iri.trig: line 2, column 24: Invalid IRI code point '#'"


def test_not_utf8(mini: Settings) -> None:
    (mini.data_dir / "latin1.trig").write_bytes('<http://g> { <http://a> <http://b> "caf\xe9" . }'.encode("latin-1"))
    with pytest.raises(SourceError, match=r"^data/latin1.trig: "):
        _read(mini)

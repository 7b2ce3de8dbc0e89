"""A second, complete OWL 2 reasoner as a check on owlrl: HermiT, through owlready2.

owlrl only sees what OWL 2 RL rules can reach and drops literals it cannot use, so a
range that clashes with the data went unreported. HermiT checks the ontology and the
asserted data as a whole.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import owlready2
import pytest
from rdflib import XSD, Graph, Literal

from fareast_kg.build.pipeline import facts
from fareast_kg.build.sources import read_sources

from ..conftest import ROOT

# HermiT accepts only the OWL 2 datatype map, which has no xsd:date, gYear or gYearMonth.
NOT_IN_OWL2_MAP = {XSD.date, XSD.gYear, XSD.gYearMonth}


def _owl_file(tmp: Path) -> Path:
    sources = read_sources(ROOT / "ontology", ROOT / "data", ROOT)
    graph = Graph()
    for triple in sources.ontology:
        graph.add(triple)
    for s, p, o in facts(sources):
        if not (isinstance(o, Literal) and o.datatype in NOT_IN_OWL2_MAP):
            graph.add((s, p, o))
    path = tmp / "fareast.owl"
    graph.serialize(path, format="xml")
    return path


def test_hermit_finds_ontology_and_data_consistent(tmp_path: Path) -> None:
    # No silent skip: without Java this check would quietly stop guarding the build.
    assert shutil.which("java"), "HermiT needs Java (17 or later) on PATH; install a JRE to run this check"
    world = owlready2.World()
    ontology = world.get_ontology(_owl_file(tmp_path).as_uri()).load()
    try:
        with ontology:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        pytest.fail("HermiT finds the ontology plus the asserted data inconsistent")
    assert list(world.inconsistent_classes()) == []

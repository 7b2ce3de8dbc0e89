"""Our closure and plain owlrl's over the same input, after the same cleaning: the reasoning tests compare them."""

from __future__ import annotations

from pathlib import Path

import owlrl
from rdflib import Graph
from rdflib.term import Node

from fareast_kg.build.pipeline import facts
from fareast_kg.build.reason import inferred, is_noise
from fareast_kg.build.sources import read_sources

Triple = tuple[Node, Node, Node]


def ours_and_plain_owlrl(ontology_dir: Path, data_dir: Path, root: Path) -> tuple[set[Triple], set[Triple]]:
    """The build's inferred triples, and what ``DeductiveClosure(OWLRL_Semantics).expand()`` derives
    from the whole ontology and every fact, minus the asserted triples and the same noise."""
    sources = read_sources(ontology_dir, data_dir, root)
    data = facts(sources)
    asserted = set(data) | set(sources.ontology)
    ours = set(inferred(sources.ontology, data, asserted))
    full = Graph()
    for triple in [*sources.ontology, *data]:
        full.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(full)
    return ours, {t for t in full if t not in asserted and not is_noise(*t)}

"""Ranks: each inferred triple gets the first round in which earlier triples derive it."""

from __future__ import annotations

from rdflib import RDF, URIRef

from fareast_kg import rules
from fareast_kg.build import derive
from fareast_kg.build.reason import inferred
from fareast_kg.build.sources import read_sources
from fareast_kg.settings import Settings

FE = "https://w3id.org/fareast-kg/ontology#"
ID = "https://w3id.org/fareast-kg/id/"


def _fe(name: str) -> URIRef:
    return URIRef(FE + name)


def test_an_inverse_pair_is_ranked_from_the_asserted_side(mini: Settings) -> None:
    """participant and participatedIn once explained each other; ranks make one come first."""
    ontology = read_sources(mini.ontology_dir, mini.data_dir, mini.root).ontology
    forum, body = URIRef(ID + "forum"), URIRef(ID + "body")
    data = [(forum, _fe("organizer"), body)]
    new = inferred(ontology, data, {*ontology, *data})
    ranks = derive.derivations({*ontology, *data}, new)
    assert set(ranks) == set(new)
    assert ranks[(forum, _fe("participant"), body)] == (1, derive.SUBPROPERTY)
    assert ranks[(body, _fe("organized"), forum)] == (1, derive.INVERSE)
    assert ranks[(body, _fe("participatedIn"), forum)] == (2, derive.INVERSE)
    assert ranks[(forum, RDF.type, _fe("Event"))] == (1, derive.DOMAIN)
    assert ranks[(forum, RDF.type, _fe("Entity"))] == (2, derive.SUBCLASS)


def test_derivations_round_trip_through_the_build_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s, p, o = URIRef(ID + "a"), _fe("locatedIn"), URIRef(ID + "b")
    derive.write(tmp_path, {(s, p, o): (2, derive.TRANSITIVE)})
    assert list(rules.read(tmp_path)) == [(f"<{s}>", f"<{p}>", f"<{o}>", 2, derive.TRANSITIVE)]
    assert list(rules.read(tmp_path / "absent")) == []

"""Every axiom of the ontology, with what it must derive and what it must not.

One closure over the real ontology and a small ABox: each example uses its own fresh
individuals, so examples cannot feed each other. Domains, ranges, inverses, symmetry and
sub-properties are checked property by property against an exact expectation read off the
axioms; sub-classes class by class; transitive properties and chains by hand-made cases.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from fareast_kg.build.reason import inferred
from fareast_kg.build.sources import read_sources

from ..conftest import ROOT

FE = "https://w3id.org/fareast-kg/ontology#"
EX = "https://example.org/axiom-test/"
_ONTOLOGY = read_sources(ROOT / "ontology", ROOT / "data", ROOT).ontology
ONTO = Graph()
for _t in _ONTOLOGY:
    ONTO.add(_t)
OBJECT_PROPS = sorted(ONTO.subjects(RDF.type, OWL.ObjectProperty))
DATA_PROPS = sorted(p for p in ONTO.subjects(RDF.type, OWL.DatatypeProperty) if (p, RDFS.subPropertyOf, None) in ONTO)
CLASSES = sorted(c for c in ONTO.subjects(RDF.type, OWL.Class) if str(c).startswith(FE))
TRANSITIVE = sorted(ONTO.subjects(RDF.type, OWL.TransitiveProperty))


def fe(name: str) -> URIRef:
    return URIRef(FE + name)


def ex(*parts: str) -> URIRef:
    return URIRef(EX + "-".join(p.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for p in parts))


# Hand-made cases: (name, asserted triples, must derive, must not derive).
M, Z, X = "meeting", "zone", "x"
Triples = list[tuple[Node, Node, Node]]
CASES: list[tuple[str, Triples, Triples, Triples]] = [
    ("a participant of the meeting where it was proposed is not a proposer",
     [(ex(Z), fe("proposedIn"), ex(M)), (ex(M), fe("participant"), ex("wang")),
      (ex(Z), fe("proposedBy"), ex("trutnev"))],
     [(ex("trutnev"), fe("proposed"), ex(Z))],
     [(ex(Z), fe("proposedBy"), ex("wang")), (ex("wang"), fe("proposed"), ex(Z))]),
    ("siteWithin follows site up through locatedIn, and only up",
     [(ex("bridge"), fe("site"), ex("river")), (ex("river"), fe("locatedInDirect"), ex("region")),
      (ex("town"), fe("locatedInDirect"), ex("river"))],
     [(ex("bridge"), fe("siteWithin"), ex("river")), (ex("bridge"), fe("siteWithin"), ex("region"))],
     [(ex("bridge"), fe("siteWithin"), ex("town")), (ex("river"), fe("siteWithin"), ex("region"))]),
    ("a zone between two towns is not within them or what contains them",
     [(ex(Z, "b"), fe("between"), ex("pogranichny")), (ex("pogranichny"), fe("locatedInDirect"), ex("krai"))],
     [(ex("pogranichny"), RDF.type, fe("Region"))],
     [(ex(Z, "b"), fe("siteWithin"), ex("pogranichny")), (ex(Z, "b"), fe("siteWithin"), ex("krai"))]),
    ("affiliatedWith is holds then postIn, not the other way",
     [(ex("envoy"), fe("holds"), ex("post")), (ex("post"), fe("postIn"), ex("state")),
      (ex("other-post"), fe("postIn"), ex("envoy-body"))],
     [(ex("envoy"), fe("affiliatedWith"), ex("state"))],
     [(ex("post"), fe("affiliatedWith"), ex("state")), (ex("envoy"), fe("affiliatedWith"), ex("envoy-body"))]),
    ("signatory and adoptedAt come from the adoption, not from a meeting where it was proposed",
     [(ex("treaty"), fe("adoptedIn"), ex("signing")), (ex("signing"), fe("participant"), ex("state-a")),
      (ex("signing"), fe("site"), ex("city")), (ex("treaty"), fe("proposedIn"), ex("talks")),
      (ex("talks"), fe("participant"), ex("state-b")), (ex("talks"), fe("site"), ex("other-city"))],
     [(ex("treaty"), fe("signatory"), ex("state-a")), (ex("treaty"), fe("party"), ex("state-a")),
      (ex("state-a"), fe("partyTo"), ex("treaty")), (ex("treaty"), fe("adoptedAt"), ex("city"))],
     [(ex("treaty"), fe("signatory"), ex("state-b")), (ex("treaty"), fe("party"), ex("state-b")),
      (ex("treaty"), fe("adoptedAt"), ex("other-city")), (ex("treaty"), fe("adoptedAt"), ex("state-a"))]),
    ("a feature of one route of globalization is not a part of globalization",
     [(ex("route"), fe("hasFeature"), ex("feature")), (ex("route"), SKOS.broader, ex("globalization"))],
     [(ex("feature"), fe("featureOf"), ex("route"))],
     [(ex("feature"), fe("partOf"), ex("globalization")), (ex("feature"), fe("partOf"), ex("route")),
      (ex("route"), fe("partOf"), ex("globalization"))]),
    ("evidence derives nothing about the event it supports",
     [(ex("adoption"), RDF.type, fe("Adoption")), (ex("adoption"), fe("evidence"), ex("quote"))],
     [(ex("quote"), RDF.type, fe("Quote")), (ex("adoption"), RDF.type, URIRef("http://www.w3.org/ns/prov#Activity"))],
     [(ex("adoption"), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), ex("quote"))]),
    ("a book publisher is a media organization, not a news organization",
     [(ex("dalnauka"), RDF.type, fe("MediaOrganization"))],
     [(ex("dalnauka"), RDF.type, URIRef("https://schema.org/Organization"))],
     [(ex("dalnauka"), RDF.type, URIRef("https://schema.org/NewsMediaOrganization"))]),
]


def _abox() -> Iterator[tuple[Node, Node, Node]]:
    for p in OBJECT_PROPS:
        yield ex(p, "s"), p, ex(p, "o")
    for p in DATA_PROPS:
        yield ex(p, "s"), p, Literal("v")
    for c in CLASSES:
        yield ex(c, "x"), RDF.type, c
    for p in TRANSITIVE:
        # a -> b -> c must give a -> c; d -> b (a second way into b) must not give a -> d or d -> c.
        yield from ((ex(p, "a"), p, ex(p, "b")), (ex(p, "b"), p, ex(p, "c")), (ex(p, "d"), p, ex(p, "b")))
    for _, asserted, _, _ in CASES:
        yield from asserted


@pytest.fixture(scope="module")
def closed() -> Graph:
    data = list(_abox())
    graph = Graph()
    for t in [*data, *inferred(_ONTOLOGY, data, set(data) | set(_ONTOLOGY))]:
        graph.add(t)
    return graph


def _expected_edges(p: URIRef) -> set[tuple[URIRef, bool]]:
    """(property, forward?) for every edge one asserted edge entails: super-properties, inverses, symmetry."""
    todo, seen = [(p, True)], set()
    while todo:
        q, forward = todo.pop()
        if (q, forward) in seen:
            continue
        seen.add((q, forward))
        todo += [(sup, forward) for sup in ONTO.objects(q, RDFS.subPropertyOf)]
        todo += [(inv, not forward) for inv in [*ONTO.objects(q, OWL.inverseOf), *ONTO.subjects(OWL.inverseOf, q)]]
        if (q, RDF.type, OWL.SymmetricProperty) in ONTO:
            todo.append((q, not forward))
    return seen


def _supers(classes: set[Node]) -> set[Node]:
    return {s for c in classes for s in ONTO.transitive_objects(c, RDFS.subClassOf)}


def _types(graph: Graph, x: Node) -> set[Node]:
    return set(graph.objects(x, RDF.type)) - {OWL.Thing, RDFS.Resource}


@pytest.mark.parametrize("p", OBJECT_PROPS, ids=lambda p: p.rsplit("#", 1)[-1])
def test_domain_range_inverse_symmetry_and_super_properties(closed: Graph, p: URIRef) -> None:
    s, o = ex(p, "s"), ex(p, "o")
    edges = _expected_edges(p)
    found = {(q, True) for q in closed.predicates(s, o)} | {(q, False) for q in closed.predicates(o, s)}
    assert found == edges  # nothing beyond super-properties, inverses and symmetry (no reversed edge)
    ends = {True: set(), False: set()}
    for q, forward in edges:
        ends[forward] |= set(ONTO.objects(q, RDFS.domain))
        ends[not forward] |= set(ONTO.objects(q, RDFS.range))
    assert _types(closed, s) == _supers(ends[True]) - {OWL.Thing}
    assert _types(closed, o) == _supers(ends[False]) - {OWL.Thing}


@pytest.mark.parametrize("p", DATA_PROPS, ids=lambda p: p.rsplit("#", 1)[-1])
def test_literal_valued_super_properties(closed: Graph, p: URIRef) -> None:
    assert set(closed.predicates(ex(p, "s"), Literal("v"))) == {q for q, _ in _expected_edges(p)}


@pytest.mark.parametrize("c", CLASSES, ids=lambda c: c.rsplit("#", 1)[-1])
def test_subclasses_give_exactly_the_superclasses(closed: Graph, c: URIRef) -> None:
    x = ex(c, "x")
    assert _types(closed, x) == _supers({c}) - {OWL.Thing}
    assert c in _types(closed, x) and all((sub, RDFS.subClassOf, c) not in ONTO or sub not in _types(closed, x)
                                         for sub in ONTO.subjects(RDFS.subClassOf, c))


@pytest.mark.parametrize("p", TRANSITIVE, ids=lambda p: p.rsplit("#", 1)[-1])
def test_transitive_properties_join_chains_and_nothing_else(closed: Graph, p: URIRef) -> None:
    a, b, c, d = (ex(p, n) for n in "abcd")
    assert (a, p, c) in closed
    assert {(x, y) for x in (a, b, c, d) for y in closed.objects(x, p) if y in (a, b, c, d)} == {
        (a, b), (b, c), (d, b), (a, c), (d, c)}


@pytest.mark.parametrize("name, asserted, derived, not_derived", CASES, ids=[c[0] for c in CASES])
def test_hand_made_cases(closed: Graph, name: str, asserted: list, derived: list, not_derived: list) -> None:
    assert [t for t in derived if t not in closed] == []
    assert [t for t in not_derived if t in closed] == []


def test_every_axiom_is_exercised() -> None:
    """A new chain needs a hand-made case; everything else is covered by the tables above."""
    chains = {p for p in ONTO.subjects(OWL.propertyChainAxiom, None)}
    used = {p for _, _, derived, _ in CASES for _, p, _ in derived}
    assert chains == {fe("siteWithin"), fe("affiliatedWith"), fe("signatory"), fe("adoptedAt")}
    assert chains <= used
    with_axioms = {*ONTO.subjects(RDFS.domain, None), *ONTO.subjects(OWL.inverseOf, None),
                   *ONTO.objects(None, OWL.inverseOf), *ONTO.subjects(RDF.type, OWL.SymmetricProperty)}
    # Domains of literal-valued properties never reach owlrl (see reasoning_input); HermiT checks them.
    assert with_axioms - set(OBJECT_PROPS) == set(ONTO.subjects(RDF.type, OWL.DatatypeProperty))
    untested = {p for p in ONTO.subjects(RDFS.subPropertyOf, None)} - set(OBJECT_PROPS) - set(DATA_PROPS)
    assert untested == set()

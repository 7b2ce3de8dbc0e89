"""The ontology documents itself: labels, definitions, domains, ranges, inverses, metadata."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS

from .conftest import ROOT

FE = Namespace("https://w3id.org/fareast-kg/ontology#")


@pytest.fixture(scope="module")
def onto() -> Graph:
    graph = Graph()
    graph.parse(ROOT / "ontology" / "fareast.ttl")
    return graph


def _terms(onto: Graph) -> set[URIRef]:
    return {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(str(FE))}


def test_every_term_has_an_english_label_and_a_definition(onto: Graph) -> None:
    terms = _terms(onto)
    assert len(terms) > 120
    for term in terms:
        labels = [lab for lab in onto.objects(term, RDFS.label) if lab.language == "en"]
        assert len(labels) == 1, term
        assert list(onto.objects(term, SKOS.definition)) or list(onto.objects(term, RDFS.comment)), term


def test_every_property_has_a_domain_and_object_properties_a_range(onto: Graph) -> None:
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        assert onto.value(prop, RDFS.domain) is not None, prop
        assert onto.value(prop, RDFS.range) is not None, prop
    for prop in onto.subjects(RDF.type, OWL.DatatypeProperty):
        assert onto.value(prop, RDFS.domain) is not None, prop


def test_inverses_and_transitive_pairs(onto: Graph) -> None:
    inverse = dict(onto.subject_objects(OWL.inverseOf))
    assert inverse[FE.locatedIn] == FE.contains
    assert inverse[FE.locatedInDirect] == FE.containsDirect
    assert inverse[FE.partOf] == FE.hasPart
    assert inverse[FE.partOfDirect] == FE.hasPartDirect
    transitive = set(onto.subjects(RDF.type, OWL.TransitiveProperty))
    assert {FE.locatedIn, FE.contains, FE.partOf, FE.hasPart} <= transitive
    assert FE.locatedInDirect not in transitive
    assert (FE.locatedInDirect, RDFS.subPropertyOf, FE.locatedIn) in onto
    chains = {s for s in onto.subjects(OWL.propertyChainAxiom, None)}
    # No chain for proposedBy: a participant of the meeting where something was proposed is not its proposer.
    assert chains == {FE.siteWithin, FE.affiliatedWith, FE.signatory, FE.adoptedAt}


def test_nothing_that_makes_owlrl_merge_individuals(onto: Graph) -> None:
    for kind in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty):
        assert list(onto.subjects(RDF.type, kind)) == []
    for prop in (OWL.cardinality, OWL.maxCardinality, OWL.hasKey, OWL.equivalentClass, OWL.sameAs):
        assert list(onto.subject_objects(prop)) == []


def test_metadata(onto: Graph) -> None:
    ontology = URIRef("https://w3id.org/fareast-kg/ontology")
    assert str(onto.value(ontology, OWL.versionInfo)) == "0.1.0"
    assert onto.value(ontology, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert onto.value(ontology, DCTERMS.creator) is not None
    assert onto.value(ontology, DCTERMS.source) == URIRef("https://w3id.org/fareast-kg/id/paper")


def test_alignment_uses_only_subclass_and_subproperty(onto: Graph) -> None:
    alignment = Graph()
    alignment.parse(ROOT / "ontology" / "alignment.ttl")
    predicates = set(alignment.predicates())
    assert predicates == {RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch}
    assert (FE.Actor, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Agent")) in alignment
    assert (FE.locatedIn, RDFS.subPropertyOf, URIRef("https://schema.org/containedInPlace")) in alignment

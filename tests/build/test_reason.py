"""Stage 3: the OWL RL closure puts exactly the new, useful triples in graph/inferred."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, Literal, URIRef

from fareast_kg.backend.layout import current_build
from fareast_kg.build.reason import inferred, is_noise, reasoning_input
from fareast_kg.build.sources import read_sources
from fareast_kg.errors import ReasoningError
from fareast_kg.namespaces import UNION_GRAPHS
from fareast_kg.settings import Settings

from .closures import ours_and_plain_owlrl

FE = "https://w3id.org/fareast-kg/ontology#"
ID = "https://w3id.org/fareast-kg/id/"
INFERRED = "https://w3id.org/fareast-kg/graph/inferred"


def _in(store: ox.Store, s: str, p: str, o: str) -> list[str]:
    """The graphs holding the triple (s p o)."""
    quads = store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o))
    return sorted(q.graph_name.value for q in quads if q.graph_name.value not in UNION_GRAPHS)


@pytest.fixture(scope="module")
def db(mini_built: Settings) -> ox.Store:
    built = current_build(mini_built.store)
    assert built is not None
    return ox.Store.read_only(str(built.path))


def test_transitive_located_in_is_inferred_only(db: ox.Store) -> None:
    assert _in(db, ID + "vladivostok", FE + "locatedIn", ID + "russia") == [INFERRED]
    assert _in(db, ID + "vladivostok", FE + "locatedInDirect", ID + "primorsky-krai") == [
        "https://w3id.org/fareast-kg/graph/passage/p001"
    ]


def test_inverse_is_inferred_only(db: ox.Store) -> None:
    assert _in(db, ID + "russia", FE + "containsDirect", ID + "primorsky-krai") == [INFERRED]
    assert _in(db, ID + "signing", FE + "adopts", ID + "declaration") == [INFERRED]


def test_subclass_typing_is_inferred_only(db: ox.Store) -> None:
    rdf_type = str(RDF.type)
    assert _in(db, ID + "vladivostok", rdf_type, FE + "Region") == [INFERRED]
    assert _in(db, ID + "vladivostok", rdf_type, "https://schema.org/Place") == [INFERRED]
    assert _in(db, ID + "russia", rdf_type, FE + "Actor") == [INFERRED]


def test_property_chains(db: ox.Store) -> None:
    # adoptedIn o participant -> signatory (a party); adoptedIn o site -> adoptedAt
    assert _in(db, ID + "declaration", FE + "signatory", ID + "china") == [INFERRED]
    assert _in(db, ID + "declaration", FE + "party", ID + "russia") == [INFERRED]
    assert _in(db, ID + "declaration", FE + "adoptedAt", ID + "vladivostok") == [INFERRED]
    # holds o postIn -> affiliatedWith
    assert _in(db, ID + "trutnev", FE + "affiliatedWith", ID + "government") == [INFERRED]
    # site o locatedIn* -> siteWithin
    assert _in(db, ID + "signing", FE + "siteWithin", ID + "russia") == [INFERRED]


def test_inferred_graph_holds_nothing_asserted_and_no_noise(db: ox.Store) -> None:
    inferred_quads = list(db.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED)))
    assert inferred_quads
    for quad in inferred_quads:
        others = [q for q in db.quads_for_pattern(quad.subject, quad.predicate, quad.object)
                  if q.graph_name.value != INFERRED and q.graph_name.value not in UNION_GRAPHS]
        assert others == [], quad
        assert quad.predicate.value != str(OWL.sameAs)
        assert not (quad.predicate.value == str(RDF.type) and quad.object.value == str(OWL.Thing))
        assert not quad.subject.value.startswith("http://www.w3.org/2002/07/owl#")


def test_reduced_input_gives_the_same_closure_as_plain_owlrl(mini: Settings) -> None:
    ours, theirs = ours_and_plain_owlrl(mini.ontology_dir, mini.data_dir, mini.root)
    assert ours == theirs
    assert len(ours) > 100


def test_reasoning_input_keeps_only_literals_that_rules_use(mini: Settings) -> None:
    sources = read_sources(mini.ontology_dir, mini.data_dir, mini.root)
    x = URIRef(ID + "x")
    summary = (x, URIRef(FE + "summary"), Literal("s"))
    date = (x, URIRef(FE + "date"), Literal("2017"))
    graph = reasoning_input(sources.ontology, [summary, date])
    assert date in graph
    assert summary not in graph
    assert not any(isinstance(o, Literal) for s, p, o in graph if s != x)


def test_cleaning_rules() -> None:
    x = URIRef(ID + "x")
    assert is_noise(Literal("2017"), RDF.type, URIRef("http://www.w3.org/2001/XMLSchema#gYear"))
    assert is_noise(x, OWL.sameAs, x)
    assert is_noise(x, RDF.type, OWL.Thing)
    assert is_noise(OWL.sameAs, RDF.type, OWL.ObjectProperty)
    assert not is_noise(x, RDF.type, URIRef(FE + "Region"))


def test_an_inconsistency_fails_with_owlrls_message(mini: Settings) -> None:
    sources = read_sources(mini.ontology_dir, mini.data_dir, mini.root)
    # A person who is also an organization violates fe:Person owl:disjointWith fe:Organization.
    data = [(s, p, o) for s, p, o, _ in sources.data.quads((None, None, None, None))]
    data.append((URIRef(ID + "trutnev"), RDF.type, URIRef(FE + "Organization")))
    with pytest.raises(ReasoningError) as err:
        inferred(sources.ontology, data, set(data))
    assert str(err.value).startswith("the OWL RL closure found 1 inconsistencies:\n  - Disjoint classes")
    assert "https://w3id.org/fareast-kg/id/trutnev" in str(err.value)

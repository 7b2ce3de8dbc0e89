"""Every inference explainable: the rule, the axiom, and premises that lead back to passages."""

from __future__ import annotations

import pytest

from fareast_kg.errors import BadRequest, NotFound
from fareast_kg.explain import Explainer
from fareast_kg.store import LocalStore

ID = "https://w3id.org/fareast-kg/id/"
FE = "https://w3id.org/fareast-kg/ontology#"
G = "https://w3id.org/fareast-kg/graph/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def explainer(full_store: LocalStore) -> Explainer:
    return Explainer(full_store.store)


def test_an_asserted_triple(explainer: Explainer) -> None:
    e = explainer.explain(ID + "pogranichny", FE + "locatedInDirect", ID + "primorsky-krai")
    assert (e.status, e.graphs) == ("asserted", [G + "passage/p090"])


def test_transitive_located_in_leads_back_to_the_passage(explainer: Explainer) -> None:
    e = explainer.explain(ID + "pogranichny", FE + "locatedIn", ID + "russia")
    assert (e.status, e.rule) == ("inferred", "prp-trp (transitive)")
    assert [(p.s[len(ID):], p.o[len(ID):], p.graphs) for p in e.premises] == [
        ("pogranichny", "primorsky-krai", [G + "passage/p090"]),
        ("primorsky-krai", "russia", [G + "passage/p090"]),
    ]


def test_inverse_subclass_and_chain(explainer: Explainer) -> None:
    e = explainer.explain(ID + "russia", FE + "containsDirect", ID + "primorsky-krai")
    assert e.rule == "prp-inv (inverse)" and e.premises[0].graphs == [G + "passage/p090"]
    e = explainer.explain(ID + "harbin", RDF_TYPE, FE + "Region")
    assert e.rule == "cax-sco (subclass)"
    assert (e.premises[0].o, e.premises[0].graphs) == (FE + "City", [G + "passage/p094"])
    e = explainer.explain(ID + "joint-declaration-2018", FE + "signatory", ID + "china")
    assert e.rule == "prp-spo2 (property chain)"
    assert [p.p for p in e.premises] == [FE + "adoptedIn", FE + "participant"]


def test_a_triple_that_is_not_there(explainer: Explainer) -> None:
    with pytest.raises(NotFound, match=r"^the graph holds no triple"):
        explainer.explain(ID + "harbin", FE + "locatedIn", ID + "russia")
    with pytest.raises(BadRequest):
        explainer.explain("harbin", FE + "locatedIn", ID + "china")

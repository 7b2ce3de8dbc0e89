"""Every inference explainable: the rule, the axiom, and premises that lead back to passages."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.errors import BadRequest, NotFound
from fareast_kg.explain import Explainer

ID = "https://w3id.org/fareast-kg/id/"
FE = "https://w3id.org/fareast-kg/ontology#"
G = "https://w3id.org/fareast-kg/graph/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def explainer(full_store: EmbeddedBackend) -> Explainer:
    return Explainer(full_store, full_store.derivations())


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


def test_an_inverse_pair_no_longer_explains_itself(explainer: Explainer) -> None:
    """participatedIn comes from participant, which comes from the asserted organizer, not back."""
    survey, centre = ID + "field-survey-2016-03", ID + "centre-for-russian-studies-ecnu"
    e = explainer.explain(survey, FE + "participant", centre)
    assert (e.rule, e.rank, [(p.p, p.graphs, p.rank) for p in e.premises]) == (
        "prp-spo1 (sub-property)", 1, [(FE + "organizer", [G + "passage/p087"], 0)])
    e = explainer.explain(centre, FE + "participatedIn", survey)
    assert (e.rule, e.rank, [(p.p, p.rank) for p in e.premises]) == ("prp-inv (inverse)", 2, [(FE + "participant", 1)])


def test_a_triple_that_is_not_there(explainer: Explainer) -> None:
    with pytest.raises(NotFound, match=r"^the graph holds no triple"):
        explainer.explain(ID + "harbin", FE + "locatedIn", ID + "russia")
    with pytest.raises(BadRequest):
        explainer.explain("harbin", FE + "locatedIn", ID + "china")


def test_every_inferred_triple_bottoms_out_in_asserted_triples(explainer: Explainer, full_db: ox.Store) -> None:
    """Follow each explanation down: no circles, and every leaf is asserted in a graph of the build."""
    inferred = ox.NamedNode(G + "inferred")
    depth: dict[tuple[str, str, str], int] = {}
    open_: set[tuple[str, str, str]] = set()
    leaves: set[str] = set()

    def follow(s: str, p: str, o: str | ox.Literal) -> int:
        key = (s, p, str(o))
        assert key not in open_, f"a circle through {key}"
        if key not in depth:
            open_.add(key)
            e = explainer.explain(s, p, o)
            if e.status == "asserted":
                leaves.update(e.graphs)
                depth[key] = 0
            else:
                assert e.rule.startswith(("prp-", "cax-", "scm-")) and e.premises, (key, e.rule)
                assert all(0 <= premise.rank < e.rank for premise in e.premises), (key, e)
                depth[key] = 1 + max(follow(q.s, q.p, _term(q.o)) for q in e.premises)
                # Ranks fall strictly along every premise, so no path down is longer than the rank.
                assert depth[key] <= e.rank, (key, e)
            open_.remove(key)
        return depth[key]

    quads = list(full_db.quads_for_pattern(None, None, None, inferred))
    for q in quads:
        follow(q.subject.value, q.predicate.value, q.object if isinstance(q.object, ox.Literal) else q.object.value)
    assert len(depth) > len(quads) > 5000
    assert max(depth.values()) >= 3
    assert {g.rsplit("/", 2)[-2] if "/passage/" in g else g.rsplit("/", 1)[-1] for g in leaves} == {
        "passage", "links", "provenance", "ontology"}


def _term(o: str) -> str | ox.Literal:
    """A premise's object: an IRI, or a literal in N-Triples form."""
    if not o.startswith('"'):
        return o
    return next(iter(ox.parse(f"<x:s> <x:p> {o} .", ox.RdfFormat.N_TRIPLES))).object

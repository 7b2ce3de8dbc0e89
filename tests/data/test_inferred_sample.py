"""What each axiom derives in the real data, checked against what the passages say."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from fareast_kg.namespaces import GRAPH_UNION, PREFIXES


def _objects(store: ox.Store, s: str, p: str) -> set[str]:
    rows = store.query(f"SELECT ?o WHERE {{ GRAPH ?g {{ id:{s} {p} ?o }} }}",
                             prefixes={k: PREFIXES[k] for k in ("id", "fe", "prov", "schema")})
    return {row["o"].value.rsplit("/", 1)[-1] for row in rows}


@pytest.mark.parametrize("s, p, expected", [
    # p090: Trutnev alone "put forward the idea", during his meeting with Wang Yang.
    ("cross-border-advanced-development-zone", "fe:proposedBy", {"yury-trutnev"}),
    # p094: "Yury Trutnev and Wang Yang met in Harbin and proposed" the working group.
    ("special-working-group-far-east-cooperation-plan", "fe:proposedBy", {"yury-trutnev", "wang-yang"}),
    # p090: the zone lies "between Pogranichny ... and Suifenhe": not within anything.
    ("cross-border-advanced-development-zone", "fe:between", {"pogranichny", "suifenhe"}),
    ("cross-border-advanced-development-zone", "fe:siteWithin", set()),
    # p094: they met in Harbin; Harbin lies in Heilongjiang (links), in Northeast China, in China.
    ("meeting-trutnev-wang-yang-2018-02", "fe:siteWithin", {"harbin", "heilongjiang", "northeast-china", "china"}),
    # p090: "Pogranichny, Primorsky Krai (Russia)".
    ("pogranichny", "fe:locatedIn", {"primorsky-krai", "far-eastern-federal-district", "russia"}),
    # p029: the route is one of "many possible routes of future globalization", not a part of it.
    ("most-likely-route-of-future-globalization", "fe:partOf", set()),
    ("future-globalization-feature-local-conditions", "fe:partOf", set()),
    ("future-globalization-feature-local-conditions", "fe:featureOf", {"most-likely-route-of-future-globalization"}),
    # p048: the ministries of imperial Russia.
    ("imperial-russian-ministry-of-the-navy", "fe:partOf", {"russian-empire"}),
    # p090: Deputy Prime Minister (Russian government) and Presidential Envoy (Russia).
    ("yury-trutnev", "fe:affiliatedWith", {"russian-government", "russia"}),
    # p095: the national leaders of both countries signed the June 2018 joint declaration.
    ("joint-declaration-2018", "fe:signatory", {"china", "russia"}),
    # Evidence is no derivation: nothing is prov:wasDerivedFrom its quote.
    ("adoption-agreement-on-strategic-coordination-2015", "prov:wasDerivedFrom", set()),
])
def test_derived_values(full_db: ox.Store, s: str, p: str, expected: set[str]) -> None:
    assert _objects(full_db, s, p) == expected


def test_a_book_publisher_is_no_news_organization(full_db: ox.Store) -> None:
    rows = full_db.query("SELECT ?t WHERE { GRAPH ?g { <https://w3id.org/fareast-kg/id/dalnauka> a ?t } }")
    types = {row["t"].value for row in rows}
    assert {"https://schema.org/Organization", "https://w3id.org/fareast-kg/ontology#MediaOrganization"} <= types
    assert "https://schema.org/NewsMediaOrganization" not in types


@pytest.mark.parametrize("top", ["fe:Agreement", "fe:Actor"])
def test_the_subclass_closure_needs_no_property_path(full_db: ox.Store, top: str) -> None:
    """The canned queries rely on it: every class below ``top`` is a direct rdfs:subClassOf of it
    in the union graph, exactly the classes the path subClassOf+ reaches."""
    prefixes = {k: PREFIXES[k] for k in ("fe", "rdfs")}

    def classes(path: str) -> set[str]:
        rows = full_db.query(f"SELECT DISTINCT ?c WHERE {{ GRAPH <{GRAPH_UNION}> {{ ?c {path} {top} "
                             f"FILTER (?c != {top}) }} }}", prefixes=prefixes)
        return {row["c"].value for row in rows}

    direct = classes("rdfs:subClassOf")
    assert direct == classes("rdfs:subClassOf+")
    assert len(direct) > 5

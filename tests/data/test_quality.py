"""One IRI per thing, links only to verified identifiers, and the paper's bibliography complete."""

from __future__ import annotations

import csv

import pyoxigraph as ox
import pytest

from ..conftest import ROOT
from .helpers import select

LINKS_TSV = ROOT.parent / "shared" / "reference" / "external-links.tsv"


@pytest.fixture(scope="module")
def db(full_db: ox.Store) -> ox.Store:
    return full_db


def test_one_english_label_per_entity(db: ox.Store) -> None:
    rows = select(db, """SELECT ?s (COUNT(DISTINCT ?l) AS ?n) WHERE {
        ?s rdfs:label ?l FILTER (lang(?l) = "en" || lang(?l) = "") FILTER (STRSTARTS(STR(?s), STR(id:)))
    } GROUP BY ?s HAVING (COUNT(DISTINCT ?l) > 1)""")
    assert rows == []


def test_no_two_entities_share_an_english_label(db: ox.Store) -> None:
    rows = select(db, """SELECT ?l (COUNT(DISTINCT ?s) AS ?n) WHERE {
        ?s rdfs:label ?l FILTER (lang(?l) = "en") FILTER (STRSTARTS(STR(?s), STR(id:)))
        FILTER NOT EXISTS { ?s a fe:Quote }
    } GROUP BY ?l HAVING (COUNT(DISTINCT ?s) > 1)""")
    assert rows == []


def test_no_same_as(db: ox.Store) -> None:
    assert select(db, "SELECT * WHERE { ?s owl:sameAs ?o FILTER (?s != ?o) }") == []


def test_links_are_exactly_the_verified_identifiers(db: ox.Store) -> None:
    if not LINKS_TSV.is_file():
        pytest.skip(f"{LINKS_TSV} is absent")
    with LINKS_TSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    verified = {f"http://www.wikidata.org/entity/{r['wikidata_qid']}" for r in rows if r["wikidata_qid"]}
    verified |= {f"https://sws.geonames.org/{r['geonames_id']}/" for r in rows if r["geonames_id"]}
    linked = select(db, "SELECT ?s ?o ?g WHERE { GRAPH ?g { ?s skos:exactMatch ?o } }")
    assert {r["g"] for r in linked} == {"https://w3id.org/fareast-kg/graph/links"}
    assert {r["o"] for r in linked} <= verified
    # Rows left out on purpose: Lake Baikal, Khabarovsk city, the Russo-Ukrainian War (see data/links.trig),
    # and Jilin and Liaoning, which the paper never names.
    assert len(verified - {r["o"] for r in linked}) == 8
    assert len(linked) == 38


def test_everything_in_links_is_an_entity_of_the_paper(db: ox.Store) -> None:
    rows = select(db, """SELECT DISTINCT ?s WHERE {
        GRAPH <https://w3id.org/fareast-kg/graph/links> { ?s ?p ?o }
        FILTER (STRSTARTS(STR(?s), STR(id:)))
        FILTER NOT EXISTS { GRAPH ?g { ?s a ?t }
                            FILTER (STRSTARTS(STR(?g), "https://w3id.org/fareast-kg/graph/passage/")) }
    }""")
    assert rows == []


def test_the_paper_has_full_bibliographic_data(db: ox.Store) -> None:
    rows = select(db, """SELECT ?title ?number ?series ?publisher ?year ?address ?url WHERE {
        id:paper dcterms:title ?title ; bibo:number ?number ; schema:isPartOf ?s ; dcterms:publisher ?p ;
                 dcterms:issued ?year .
        ?s rdfs:label ?series ; schema:url ?url . ?p rdfs:label ?publisher ; schema:address ?address }""")
    assert rows == [{
        "title": "Developing the Far East and Chinese-Russian Relations: New Perceptions and New Practices",
        "number": "107",
        "series": "Valdai Papers",
        "publisher": "The Foundation for Development and Support of the Valdai Discussion Club",
        "year": "2019",
        "address": "42 Bolshaya Tatarskaya st., Moscow, 115184, Russia",
        "url": "http://valdaiclub.com/a/valdai-papers/",
    }]
    authors = select(db, """SELECT ?name WHERE { id:paper dcterms:creator ?a . ?a rdfs:label ?name
                            FILTER (lang(?name) = "en") } ORDER BY ?name""")
    assert [r["name"] for r in authors] == ["Cui Heng", "Feng Shaolei"]


def test_the_six_footnoted_works(db: ox.Store) -> None:
    rows = select(db, """SELECT ?work ?year (GROUP_CONCAT(DISTINCT ?passage; separator=" ") AS ?cited) WHERE {
        GRAPH <https://w3id.org/fareast-kg/graph/provenance> { ?p fe:cites ?work }
        ?p rdfs:label ?passage . ?work a fe:Document ; dcterms:title ?t ; dcterms:creator ?c .
        OPTIONAL { ?work dcterms:issued ?year }
    } GROUP BY ?work ?year ORDER BY ?work""")
    assert [(r["work"].rsplit("/", 1)[-1], r.get("year"), r["cited"]) for r in rows] == [
        ("work-gaddy-hill-siberian-curse", None, "Passage p099"),
        ("work-gemueva-2017", "2017", "Passage p074"),
        ("work-larin-2011", "2011", "Passage p061"),
        ("work-mereminskaia-2017", "2017", "Passage p020"),
        ("work-minakir", None, "Passage p022"),
        ("work-muratshina-2017", "2017", "Passage p072"),
        ("work-nan-huiying-2015", "2015", "Passage p049"),
    ]

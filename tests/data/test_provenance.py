"""Every fact points at its passage, and every span really is where it says in the seed."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

import pyoxigraph as ox
import pytest

from fareast_kg.authoring import passages_trig
from fareast_kg.namespaces import UNION_GRAPHS
from fareast_kg.settings import Settings

from ..conftest import ROOT
from .helpers import normalize, select


@pytest.fixture(scope="module")
def db(full_db: ox.Store) -> ox.Store:
    return full_db


def test_passages_file_is_generated_from_the_seed(seed_text: str) -> None:
    assert (ROOT / "data" / "passages.trig").read_text(encoding="utf-8") == passages_trig(seed_text)


def test_every_quote_occurs_at_its_offsets_inside_its_passage(db: ox.Store, seed_text: str) -> None:
    rows = select(db, """SELECT ?q ?exact ?start ?end ?ps ?pe WHERE {
        ?q a fe:Quote ; oa:exact ?exact ; fe:startOffset ?start ; fe:endOffset ?end ; fe:inPassage ?p .
        ?p fe:startOffset ?ps ; fe:endOffset ?pe }""")
    assert len(rows) > 400
    for r in rows:
        start, end = int(r["start"]), int(r["end"])
        assert seed_text[start:end] == r["exact"], r["q"]
        assert int(r["ps"]) <= start < end <= int(r["pe"]), r["q"]
        assert len(r["exact"]) <= 110, r["q"]


def test_every_asserted_fact_sits_in_a_passage_graph_or_a_kept_apart_graph(db: ox.Store) -> None:
    graphs = {g.value for g in db.named_graphs()} - set(UNION_GRAPHS)
    others = {g for g in graphs if "/graph/passage/" not in g}
    assert others == {f"https://w3id.org/fareast-kg/graph/{n}"
                      for n in ("ontology", "shapes", "provenance", "links", "inferred", "queries")}
    assert list(db.query("SELECT * WHERE { ?s ?p ?o }")) == []  # nothing in the default graph


_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(bn|thousand)?")


def _figures(text: str) -> set[Decimal]:
    """Every value a span can denote: 44.03bn is 44030000000; '10 to 20 thousand' scales both."""
    found: set[Decimal] = set()
    scale_all = "thousand" in text
    for number, unit in _NUMBER.findall(text):
        n = Decimal(number.replace(",", ""))
        found.add(n)
        if unit == "bn":
            found.add(n * 1_000_000_000)
        if unit == "thousand" or scale_all:
            found.add(n * 1000)
    if re.search(r"\bone\b", text):
        found.add(Decimal(1))
    return found


def test_each_statistic_figure_appears_in_its_quote_and_passage(db: ox.Store) -> None:
    rows = select(db, """SELECT ?stat ?v ?min ?max ?exact ?text WHERE {
        GRAPH ?g { ?stat a fe:Statistic ; fe:evidence ?q }
        OPTIONAL { ?stat fe:value ?v } OPTIONAL { ?stat fe:minValue ?min } OPTIONAL { ?stat fe:maxValue ?max }
        ?q oa:exact ?exact ; fe:inPassage ?p . ?p fe:text ?text ; fe:factGraph ?g }""")
    values: dict[str, set[Decimal]] = defaultdict(set)
    quoted: dict[str, set[Decimal]] = defaultdict(set)
    for r in rows:
        for key in ("v", "min", "max"):
            if key in r:
                values[r["stat"]].add(Decimal(r[key]))
        quoted[r["stat"]] |= _figures(r["exact"])
        assert r["exact"] in r["text"]
    assert len(values) >= 40
    for stat, wanted in values.items():
        assert wanted <= quoted[stat], f"{stat}: {wanted - quoted[stat]} not in its quotes"


NAMED = ("Actor", "Region", "Agreement", "Project", "Document")


def test_each_named_entity_in_a_passage_graph_is_named_in_that_passage(db: ox.Store) -> None:
    rows = select(db, f"""SELECT DISTINCT ?g ?s ?text WHERE {{
        GRAPH ?g {{ ?s a ?class }}
        ?p fe:factGraph ?g ; fe:text ?text .
        GRAPH <https://w3id.org/fareast-kg/graph/inferred> {{ ?s a ?top }}
        VALUES ?top {{ {" ".join("fe:" + c for c in NAMED)} }}
    }}""")
    names: dict[str, set[str]] = defaultdict(set)
    for r in select(db, """SELECT ?s ?name WHERE { { ?s rdfs:label ?name } UNION { ?s skos:altLabel ?name } }"""):
        names[r["s"]].add(normalize(r["name"]))
    def named(name: str, text: str) -> bool:
        # Whole words only: "Russia" is not named by "Russian".
        return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None

    unnamed = sorted(
        f"{r['g'].rsplit('/', 1)[-1]} {r['s'].rsplit('/', 1)[-1]}"
        for r in rows
        if not any(named(n, normalize(r["text"])) for n in names[r["s"]])
    )
    assert len(rows) > 300
    assert unnamed == []


def test_every_content_paragraph_has_facts(full: Settings, db: ox.Store) -> None:
    rows = select(db, """SELECT ?p (COUNT(?s) AS ?n) WHERE {
        ?p fe:passageKind "paragraph" ; fe:factGraph ?g . OPTIONAL { GRAPH ?g { ?s ?x ?y } } } GROUP BY ?p""")
    assert len(rows) == 73
    assert [r["p"] for r in rows if r["n"] == "0"] == []

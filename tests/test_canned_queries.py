"""Each canned query in queries/ gives exactly the answer the paper supports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.canned import Registry, jobs, parse_query_file
from fareast_kg.errors import BadRequest, SourceError

from .conftest import ROOT
from .data.helpers import PRIORITY_SPHERES

ID = "https://w3id.org/fareast-kg/id/"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry(ROOT / "queries")


@pytest.fixture(scope="module")
def run(registry: Registry, full_store: EmbeddedBackend):  # type: ignore[no-untyped-def]
    def rows(name: str, *columns: str, **params: str) -> list[tuple[str, ...]]:
        query = registry.get(name)
        job = jobs.job(query, {k: [v] for k, v in params.items()}, "json", full_store.dataset(), 10000)
        data = json.loads(full_store.run(job, 10).body)
        cols = columns or tuple(data["head"]["vars"])
        return [tuple(b[c]["value"].replace(ID, "") if c in b else "" for c in cols)
                for b in data["results"]["bindings"]]
    return rows


def test_every_query_has_a_documented_header(registry: Registry) -> None:
    assert sorted(q.name for q in registry) == [
        "agreements", "chinese-presence", "cited-works", "development-bodies", "fact-source", "meetings",
        "passage-facts", "places-by-country", "priorities", "programme-figures", "regions-within",
    ]
    for q in registry:
        assert q.title and q.description and q.tags and q.view in ("table", "timeline", "map", "chart", "graph")


def test_agreements_between_china_and_russia(run) -> None:  # type: ignore[no-untyped-def]
    got = [(a, k, d, " ".join(sorted(p.split()))) for a, k, d, p in run("agreements", "agreement", "kind", "date",
                                                                            "passages")]
    assert got == [
        ("treaty-good-neighbourliness-2001", "treaty", "2001", "p051"),
        ("supplementary-agreement-eastern-boundary-2004", "treaty", "2004", "p051"),
        ("the-programme-2009-2018", "programme", "2009", "p070"),
        ("agreement-on-strategic-coordination-2015", "agreement", "2015", "p043"),
        ("joint-declaration-2015-conjunction", "joint declaration", "2015-05-08", "p056 p076"),
        ("joint-declaration-2018", "joint declaration", "2018-06", "p095"),
    ]


def test_agreements_of_the_empires(run) -> None:  # type: ignore[no-untyped-def]
    assert run("agreements", "agreement", "date", first="id:qing-empire", second="id:russian-empire") == [
        ("treaty-of-aigun", ""),
        ("convention-of-beijing-1860", "1860"),
    ]


def test_regions_of_the_far_eastern_federal_district(run) -> None:  # type: ignore[no-untyped-def]
    assert run("regions-within", "place", "kind", "depth") == [
        ("khabarovsk-krai", "https://w3id.org/fareast-kg/ontology#Province", "1"),
        ("primorsky-krai", "https://w3id.org/fareast-kg/ontology#Province", "1"),
        ("pogranichny", "https://w3id.org/fareast-kg/ontology#City", "2"),
        ("vladivostok", "https://w3id.org/fareast-kg/ontology#City", "2"),
    ]


def test_programme_figures(run) -> None:  # type: ignore[no-untyped-def]
    got = {(s.removeprefix("stat-programme-"), side, value, unit) for s, side, value, unit in
           run("programme-figures", "statistic", "side", "value", "unit")}
    assert got == {
        ("key-projects-total", "", "208", "NUM"),
        ("key-projects-russia", "Russia", "97", "NUM"),
        ("planned-investment-russia", "Russia", "44030000000", "CCY_USD"),
        ("key-projects-china", "China", "111", "NUM"),
        ("planned-investment-china", "China", "9870000000", "CCY_USD"),
        ("trans-border-infrastructure-projects", "", "70", "NUM"),
        ("joint-trans-border-projects", "Russia and China", "20", "NUM"),
        ("trans-border-projects-russian-side", "Russia", "19", "NUM"),
        ("trans-border-investment-russian-side", "Russia", "40000000000", "CCY_USD"),
        ("trans-border-projects-chinese-side", "China", "31", "NUM"),
        ("major-projects-expected-2016", "", "104", "NUM"),
        ("major-projects-investment-expected-2016", "", "47900000000", "CCY_USD"),
        ("implemented-projects-2016", "", "25", "NUM"),
        ("implemented-investment-2016", "", "11770000000", "CCY_USD"),
        ("success-rate-2016", "", "28", "PERCENT"),
        ("chinese-side-implemented-projects-2016", "China", "42", "NUM"),
        ("chinese-side-implemented-investment-2016", "China", "6100000000", "CCY_USD"),
        ("chinese-side-success-rate-2016", "China", "62", "PERCENT"),
        ("russian-side-projects-with-chinese-investment", "Russia and China", "8", "NUM"),
        ("chinese-investment-in-russian-side-projects", "Russia and China", "1770000000", "CCY_USD"),
        ("chinese-side-projects-with-russian-investment", "Russia and China", "1", "NUM"),
        ("russian-investment-in-chinese-side-project", "Russia and China", "630000000", "CCY_USD"),
    }


def test_the_inconsistent_success_rates_carry_notes(run) -> None:  # type: ignore[no-untyped-def]
    notes = dict(run("programme-figures", "statistic", "note"))
    assert "25 of 104 projects is 24.0%" in notes["stat-programme-success-rate-2016"]
    assert notes["stat-programme-chinese-side-success-rate-2016"].startswith("The stated 62% does not match")


def test_chinese_ventures_and_persons_per_year(run) -> None:  # type: ignore[no-untyped-def]
    persons = "Number of Chinese natural and legal persons registered in the Russian Far East"
    ventures = "Number of registered Chinese ventures in Russia"
    assert run("chinese-presence") == [
        (persons, "2014", "90", ""), (persons, "2015", "162", ""),
        (persons, "2016", "124", ""), (persons, "2017", "125", ""),
        (ventures, "2013", "378", "SPARK"), (ventures, "2015", "693", "SPARK"), (ventures, "2017", "702", "SPARK"),
    ]


def test_who_met_whom(run) -> None:  # type: ignore[no-untyped-def]
    assert run("meetings", "event", "date", "place", "participants", "outcomes") == [
        ("eef-2017", "2017-09", "", "Vladimir Putin", ""),
        ("meeting-trutnev-wang-yang-2018-02", "2018-02", "Harbin", "Yury Trutnev, Wang Yang",
         "Special working group to draft a new cooperation plan for the Far East; "
         "cross-border advanced development zone; New Chinese-Russian cooperation plan for the Far East"),
        ("day-of-chinese-investors-2018", "2018-11", "", "Ministry for the Development of the Russian Far East", ""),
    ]


def test_bodies_created_by_the_russian_state(run) -> None:  # type: ignore[no-untyped-def]
    assert run("development-bodies", "body", "creator", "responsibility") == [
        ("corporation-for-development-of-far-east", "russia",
         "construction of airports and local airlines in the Far East"),
        ("corporation-for-development-of-far-east", "russia", "construction of ports in the Far East"),
        ("corporation-for-development-of-far-east", "russia", "construction of roads in the Far East"),
        ("corporation-for-development-of-far-east", "russia", "construction of telecommunication in the Far East"),
        ("corporation-for-development-of-far-east", "russia", "utilization of natural resources in the Far East"),
        ("ministry-for-development-of-russian-far-east", "russian-government",
         "coordinating the implementation of national plans and federal goals in the Far East"),
    ]


def test_cited_works_and_the_claims_they_support(run) -> None:  # type: ignore[no-untyped-def]
    got = run("cited-works", "work", "passage", "claim")
    assert sorted({(w, p) for w, p, _ in got}) == [
        ("work-gaddy-hill-siberian-curse", "passage/p099"), ("work-gemueva-2017", "passage/p074"),
        ("work-larin-2011", "passage/p061"), ("work-mereminskaia-2017", "passage/p020"),
        ("work-minakir", "passage/p022"), ("work-muratshina-2017", "passage/p072"),
        ("work-nan-huiying-2015", "passage/p049"),
    ]
    assert len(got) == 14
    assert all(claim.startswith("claim-") for _, _, claim in got)


def test_facts_of_a_passage(run) -> None:  # type: ignore[no-untyped-def]
    got = run("passage-facts", "section", "start", "end", "subject")
    assert {(s, a, b) for s, a, b, _ in got} == {("Third Stage: Strategic Conjunction", "37866", "38612")}
    assert len(got) == 92
    assert {"joint-declaration-2015-conjunction", "signing-joint-declaration-2015-conjunction", "china", "russia",
            "priority-jd2015-1", "priority-jd2015-5"} <= {subject for *_, subject in got}


def test_passages_that_state_a_fact(run) -> None:  # type: ignore[no-untyped-def]
    got = run("fact-source", "passage", "predicate", "object", "quote")
    assert sorted({p for p, *_ in got}) == ["passage/p056", "passage/p076"]
    assert len(got) == 30
    quotes = {q for *_, q in got if q}
    assert "on May 8th, 2015" in " ".join(quotes)


def test_five_priority_spheres_of_the_2015_declaration(run) -> None:  # type: ignore[no-untyped-def]
    assert run("priorities", "rank", "priority") == PRIORITY_SPHERES


def test_places_in_china_and_in_russia(run) -> None:  # type: ignore[no-untyped-def]
    got = run("places-by-country", "country", "place")
    assert [p for c, p in got if c == "china"] == ["harbin", "heilongjiang", "inner-mongolia", "northeast-china",
                                                   "suifenhe"]
    assert [p for c, p in got if c == "russia"] == [
        "european-russia", "far-eastern-federal-district", "khabarovsk-krai", "moscow", "pogranichny",
        "primorsky-krai", "russian-pacific-coastal-region", "russian-far-east", "siberia", "vladivostok",
        "far-east-siberia-coastal-region", "free-ports-russian-pacific-coast",
    ]
    assert run("places-by-country", "place", country="id:china")[0] == ("harbin",)


def test_parameters_are_validated(registry: Registry) -> None:
    query = registry.get("agreements")
    with pytest.raises(BadRequest, match=r"^parameter first='http://evil/' is not an IRI in"):
        jobs.bind(query, {"first": ["http://evil/"]})
    with pytest.raises(BadRequest, match=r"^agreements has no parameter nope$"):
        jobs.bind(query, {"nope": ["x"]})
    with pytest.raises(BadRequest, match=r"^parameter first takes one value$"):
        jobs.bind(query, {"first": ["id:china", "id:russia"]})
    text, subs = jobs.bind(registry.get("places-by-country"), {"country": ["id:china,id:japan"]})
    assert "VALUES ?country { <https://w3id.org/fareast-kg/id/china> <https://w3id.org/fareast-kg/id/japan> }" in text
    assert subs == ()


def test_a_bad_header_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "x.rq").write_text("# title: X\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(SourceError, match=r"^x\.rq: the header needs a '# description:' line$"):
        parse_query_file(tmp_path / "x.rq")
    (tmp_path / "y.rq").write_text("# title: Y\n# description: d\n# param: a iri\nSELECT ?s WHERE { ?s ?p ?a }\n")
    with pytest.raises(SourceError, match=r"^y\.rq: the parameter \?a must be in the SELECT projection$"):
        parse_query_file(tmp_path / "y.rq")

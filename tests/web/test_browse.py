"""Browsing without SPARQL, through the app factory: search, the index of resources, the ontology
documentation, explanation pages, the views, languages, readable values and HTML escaping."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from fareast_kg.app import create_app
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.build.pipeline import build
from fareast_kg.settings import Settings
from tests.conftest import MINI, make_project, quiet

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(full: Settings) -> Iterator[FlaskClient]:
    backend = EmbeddedBackend(full.store)
    yield create_app(full, backend).test_client()
    backend.close()


def _page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url, headers=HTML)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def _hits(client: FlaskClient, query: str) -> list[str]:
    response = client.get("/search", query_string={"q": query, "format": "json"})
    assert response.status_code == 200
    return [hit["href"] for hit in response.get_json()["results"]]


def test_search_finds_labels_in_three_languages(client: FlaskClient) -> None:
    assert _hits(client, "harbin") == ["/id/harbin"]
    assert _hits(client, "Харб") == ["/id/harbin"]
    assert _hits(client, "哈尔滨") == ["/id/harbin"]
    assert _hits(client, "владивосток") == ["/id/vladivostok"]


def test_search_ignores_accents_and_puts_exact_matches_first(client: FlaskClient) -> None:
    hits = _hits(client, "joint communique")
    # "joint communiqué" (the class) is an exact match once accents are set aside.
    assert hits[0] == "/ontology#JointCommunique"
    assert "/id/sco-joint-communique-2018" in hits
    response = client.get("/search", query_string={"q": "joint communique"}, headers={"Accept": "application/json"})
    assert response.get_json()["results"][0]["exact"] is True


def test_search_matches_the_start_of_any_word(client: FlaskClient) -> None:
    assert "/id/far-eastern-federal-district" in _hits(client, "federal dis")
    assert _hits(client, "arbin") == []
    assert _hits(client, "   ") == []


def test_search_page_lists_hits_with_a_search_box(client: FlaskClient) -> None:
    page = _page(client, "/search?q=Vladivostok")
    assert '<li><a href="/id/vladivostok">Vladivostok</a>' in page
    assert '<form class="search" role="search" action="/search"' in page
    assert "4 results for “Vladivostok”" in page  # the city first, then names with the word in them
    assert page.index("/id/vladivostok") < page.index("/id/e-visa-scheme")


def test_unknown_resource_gets_a_page_with_near_matches(client: FlaskClient) -> None:
    page = _page(client, "/id/harbinn", status=404)
    assert "Did you mean:" in page
    assert '<a href="/id/harbin">Harbin</a>' in page
    assert 'id="search-q"' in page
    # Machines still get the one-line error.
    response = client.get("/id/harbinn", headers={"Accept": "text/turtle"})
    assert (response.status_code, response.get_data(as_text=True)) == (
        404, "there is nothing about https://w3id.org/fareast-kg/id/harbinn\n")


def test_index_of_resources_by_class(client: FlaskClient) -> None:
    page = _page(client, "/id/")
    row = re.search(r'<a href="/id/\?class=fe:City">city</a>.*?<td>(\d+)</td><td>(\d+)</td>', page, re.S)
    assert row is not None and row.groups() == ("5", "5")
    cities = _page(client, "/id/?class=fe:City")
    assert re.findall(r'<li><a href="(/id/[^"]+)">', cities) == [
        "/id/harbin", "/id/moscow", "/id/pogranichny", "/id/suifenhe", "/id/vladivostok"]


def test_bad_class_prefix_is_one_line(client: FlaskClient) -> None:
    response = client.get("/id/?class=nope:City")
    assert (response.status_code, response.get_data(as_text=True)) == (
        400, "unknown prefix 'nope' in class=nope:City\n")


def test_ontology_page_links_terms_and_counts(client: FlaskClient, full_db: ox.Store) -> None:
    page = _page(client, "/ontology")
    entry = page.split('<tr id="locatedInDirect">', 1)[1].split("</tr>", 1)[0]
    union = "https://w3id.org/fareast-kg/graph/union"
    used = next(iter(full_db.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE { GRAPH ?g { ?s "
        "<https://w3id.org/fareast-kg/ontology#locatedInDirect> ?o } "
        f"FILTER (!STRSTARTS(STR(?g), \"{union}\")) }} }}")))
    assert f"used in {used['n'].value} triples" in entry
    assert '<a href="#locatedIn" title="fe:locatedIn">located in</a>' in entry  # its super-property, a link
    assert 'href="/api/queries/regions-within"' in entry  # a canned query that uses it
    city = page.split('<tr id="City">', 1)[1].split("</tr>", 1)[0]
    assert '<a href="/id/?class=fe:City">5 instances</a> with inference, 5 asserted' in city
    for anchor in ('href="#metadata"', 'href="#tree"', 'href="#alignments"', 'href="/ontology?format=turtle"'):
        assert anchor in page
    assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="external">' in page or \
        '<a href="https://creativecommons.org/licenses/by/4.0/">' in page
    assert "<th scope=\"row\">Preferred prefix</th><td>fe</td>" in page


def test_ontology_rdf_negotiation_is_unchanged(client: FlaskClient) -> None:
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert b"owl:Ontology" in response.data


def test_language_switch_and_labels(client: FlaskClient) -> None:
    assert "<h1>Харбин</h1>" in _page(client, "/id/harbin?lang=ru")
    assert "<h1>哈尔滨</h1>" in client.get("/id/harbin", headers={"Accept": "text/html",
                                                                 "Accept-Language": "zh-CN,zh;q=0.9"}).get_data(
        as_text=True)
    page = _page(client, "/id/harbin?lang=en&format=html")
    assert '<a href="/id/harbin?lang=ru&amp;format=html" hreflang="ru" lang="ru">Русский</a>' in page


def test_readable_values(client: FlaskClient) -> None:
    page = _page(client, "/id/stat-far-east-share-russian-investment-2011")
    assert re.search(r'<th scope="row" title="fe:unit">unit</th>\s*<td>per cent\s*</td>', page)
    assert "^^" not in page
    assert '2011 <span class="note">(year)</span>' in page
    russia = _page(client, "/id/russia")
    assert '<a href="http://www.wikidata.org/entity/Q159" rel="external">Wikidata Q159</a>' in russia
    assert '<a href="https://sws.geonames.org/2017370/" rel="external">GeoNames 2017370</a>' in russia


def test_why_links_open_an_explanation_page(client: FlaskClient) -> None:
    page = _page(client, "/id/pogranichny")
    why = re.search(r'<a href="(/explain\?[^"]+)">why\?</a>', page)
    assert why is not None
    explained = _page(client, "/explain?s=id:pogranichny&p=fe:locatedIn&o=id:russia")
    assert '<strong class="rule">prp-trp (transitive)</strong>' in explained
    assert '<a href="/id/passage/p090">Passage p090</a>' in explained
    assert "<mark>established between Pogranichny, Primorsky Krai (Russia), and Suifenhe (China)</mark>" in explained
    assert explained.count("(asserted)") == 2
    response = client.get("/explain?s=id:pogranichny&p=fe:locatedIn")
    assert response.status_code == 400


def test_nested_inferred_premises_expand(client: FlaskClient) -> None:
    page = _page(client, "/explain?s=id:russia&p=fe:contains&o=id:vladivostok")
    # Both premises are inferred (from the inverse of locatedInDirect): each opens onto its own derivation.
    assert page.count('<details class="premise">') == 2
    assert page.count('<strong class="rule">prp-inv (inverse)</strong>') == 2
    assert page.count("(asserted)") == 2
    assert ('href="/explain?s=https://w3id.org/fareast-kg/id/primorsky-krai&amp;p=https://w3id.org/fareast-kg/'
            'ontology%23containsDirect&amp;o=https://w3id.org/fareast-kg/id/vladivostok">This step') in page


def test_views_draw_from_the_graph(client: FlaskClient) -> None:
    timeline = _page(client, "/views/timeline")
    assert '<li id="y1860"><strong>1860</strong>' in timeline
    assert '<a href="/id/convention-of-beijing-1860">Convention of Beijing (1860)</a>' in timeline
    map_page = _page(client, "/views/map")
    assert re.findall(r'<tr><td><a href="(/id/[^"]+)">', map_page) == [
        "/id/harbin", "/id/moscow", "/id/pogranichny", "/id/suifenhe", "/id/vladivostok"]
    places = client.get("/views/map?format=json").get_json()
    assert {p["label"]: (p["lat"], p["lon"]) for p in places}["Harbin"] == (45.75, 126.65)
    charts = _page(client, "/views/charts")
    assert "<h2 id=\"chart-2\">Number of registered Chinese ventures in Russia</h2>" in charts
    ventures = charts.split('<h2 id="chart-2">', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<title>([\d.]+)</title>", ventures) == ["378", "693", "702"]
    assert "The Programme of Cooperation" in charts and "China and Russia" in charts


def test_home_page_links_everything(client: FlaskClient) -> None:
    page = _page(client, "/")
    for href in ("/ontology", "/id/", "/search", "/views/timeline", "/views/map", "/views/charts", "/dump"):
        assert f'href="{href}"' in page


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """The mini project with China's label holding a script."""
    base = tmp_path_factory.mktemp("hostile")
    data = base / "src"
    shutil.copytree(MINI / "data", data)
    facts = data / "facts.trig"
    facts.write_text(facts.read_text().replace('"China"@en', '"<script>alert(1)</script> China"@en'))
    settings = make_project(base / "project", data)
    build(settings, log=quiet)
    backend = EmbeddedBackend(settings.store)
    yield create_app(settings, backend).test_client()
    backend.close()


def test_a_label_holding_a_script_renders_as_text(hostile: FlaskClient) -> None:
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; China"
    for url in ("/id/china", "/id/vladivostok", "/search?q=%3Cscript", "/id/?class=fe:Country", "/id/chinaa"):
        response = hostile.get(url, headers=HTML)
        page = response.get_data(as_text=True)
        assert "<script>alert" not in page, url
        assert escaped in page or url == "/id/vladivostok", url

"""Every browsing page in headless Chromium (Debian's chromium): no console errors (a CSP violation
is one), the expected content, a screenshot under tests/artifacts/browse/, and an axe-core check
with no serious or critical violations."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts" / "browse"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (.ci/run installs it)")]

# (screenshot name, path, a selector that must show, text it must hold)
PAGES = [
    ("ontology", "/ontology", "#tree", "Class tree"),
    ("resources-by-class", "/id/", "table", "Resources by class"),
    ("cities", "/id/?class=fe:City", "ul.toc", "Vladivostok"),
    ("search", "/search?q=vlad", "ol.hits", "Vladivostok"),
    ("resource", "/id/harbin", "h1", "Harbin"),
    ("resource-ru", "/id/harbin?lang=ru", "h1", "Харбин"),
    ("statistic", "/id/stat-far-east-share-russian-investment-2011", "main table", "per cent"),
    ("explanation", "/explain?s=id:russia&p=fe:contains&o=id:vladivostok", "details.premise", "prp-trp (transitive)"),
    ("timeline", "/views/timeline", "svg", "Convention of Beijing (1860)"),
    ("map", "/views/map", "svg circle", "Pogranichny"),
    ("charts", "/views/charts", "svg rect", "Number of registered Chinese ventures in Russia"),
]


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run npm install at the repository root")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return chromium


def _open(browser: Any, url: str, errors: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(url)
    return page


def serious_violations(browser: Any, url: str, ready: str) -> list[tuple[str, str, list[str]]]:
    """axe-core's serious and critical findings. axe is injected, which the page's CSP would refuse,
    so this context alone bypasses it; the console checks run under the real policy."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(ready, timeout=20000)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(" "))])""")
    context.close()
    return [tuple(v) for v in found]


@pytest.mark.parametrize(("name", "path", "selector", "text"), PAGES, ids=[p[0] for p in PAGES])
def test_page(live: str, browser: Any, name: str, path: str, selector: str, text: str) -> None:
    errors: list[str] = []
    page = _open(browser, live + path, errors)
    page.wait_for_selector(selector, timeout=20000)
    assert text in page.locator("main").inner_text()
    # Every page has the search box and the language switch.
    assert page.locator("form[role=search] input[name=q]").count() == 1
    assert page.locator("nav.languages a").all_inner_texts() == ["English", "Русский", "中文"]
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.close()
    assert errors == []
    assert serious_violations(browser, live + path, selector) == []


def test_search_box_leads_to_a_resource(live: str, browser: Any) -> None:
    errors: list[str] = []
    page = _open(browser, live + "/views/map", errors)
    page.fill("#search-q", "哈尔滨")
    page.locator("form[role=search] button").click()
    page.wait_for_selector("ol.hits")
    page.locator("ol.hits a").first.click()
    page.wait_for_selector("h1")
    assert (page.url, page.locator("h1").inner_text()) == (live + "/id/harbin", "Harbin")
    page.close()
    assert errors == []


def test_unknown_resource_page(live: str, browser: Any) -> None:
    errors: list[str] = []
    page = _open(browser, live + "/id/harbinn", errors)
    page.wait_for_selector("ul.hits")
    assert page.locator("ul.hits a").all_inner_texts() == ["Harbin"]
    page.screenshot(path=str(ARTIFACTS / "not-found.png"), full_page=True)
    page.close()
    # The document's own 404 status is the only message the console may show.
    assert [e for e in errors if "status of 404" not in e] == []
    assert serious_violations(browser, live + "/id/harbinn", "ul.hits") == []


def test_explanation_premises_expand(live: str, browser: Any) -> None:
    errors: list[str] = []
    page = _open(browser, live + "/explain?s=id:russia&p=fe:contains&o=id:vladivostok", errors)
    first = page.locator("details.premise").first
    assert not first.locator("mark").is_visible()
    first.locator("summary").click()
    assert first.locator("mark").first.inner_text() == (
        "established between Pogranichny, Primorsky Krai (Russia), and Suifenhe (China)")
    page.screenshot(path=str(ARTIFACTS / "explanation-expanded.png"), full_page=True)
    page.close()
    assert errors == []


def test_why_link_opens_the_explanation(live: str, browser: Any) -> None:
    errors: list[str] = []
    page = _open(browser, live + "/id/pogranichny", errors)
    page.locator(".kind-inferred a", has_text="why?").first.click()
    page.wait_for_selector("strong.rule")
    assert page.url.startswith(live + "/explain?")
    assert page.locator("h1").inner_text() == "Why does this hold?"
    page.close()
    assert errors == []


@pytest.mark.parametrize(("tab", "view", "shown"), [
    ("Places by country", "map", "Harbin"),
    ("The Programme's figures", "chart", "Russia and China"),
    ("Agreements between two parties", "timeline", "2001"),
])
def test_canned_query_views(live: str, browser: Any, tab: str, view: str, shown: str) -> None:
    errors: list[str] = []
    page = _open(browser, live + "/", errors)
    page.wait_for_selector(".yasqe", timeout=20000)
    page.locator(".tabsList .tab", has_text=tab).click()
    # The tab shows the query's title and view first, and declares only the prefixes it uses.
    text = page.evaluate("() => window.fareastYasgui.getTab().getYasqe().getValue()")
    assert text.splitlines()[:2] == [f"# title: {tab}", f"# view: {view}"]
    assert "PREFIX sh:" not in text
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    drawn = page.locator(f".tabPanel.active .fe-view-{view}")
    drawn.wait_for(timeout=20000)
    assert drawn.locator("svg").count() >= 1
    assert shown in drawn.inner_text()
    page.screenshot(path=str(ARTIFACTS / f"query-ui-{view}.png"), full_page=True)
    page.close()
    assert errors == []


def test_query_ui_table_links_locally_and_reads_values(live: str, browser: Any) -> None:
    errors: list[str] = []
    page = _open(browser, live + "/", errors)
    page.wait_for_selector(".yasqe", timeout=20000)
    query = ("SELECT ?s ?unit ?year WHERE { ?s fe:unit ?unit ; fe:date ?year "
             "FILTER (?s = id:stat-far-east-share-russian-investment-2011) }")
    page.evaluate("(q) => window.fareastYasgui.getTab().getYasqe().setValue(q)", query)
    # The query declares no prefix: the editor knows the endpoint's, so it marks no error.
    assert page.locator(".tabPanel.active .parseErrorIcon").count() == 0
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    row = page.locator(".tabPanel.active .yasr table tbody tr").first
    row.wait_for(timeout=20000)
    link = row.locator("a.local")
    assert (link.inner_text(), link.get_attribute("href")) == (
        "id:stat-far-east-share-russian-investment-2011", "/id/stat-far-east-share-russian-investment-2011")
    cells = row.locator("td").all_inner_texts()
    assert cells[2:] == ["per cent", "2011 year"]
    page.screenshot(path=str(ARTIFACTS / "query-ui-table.png"), full_page=True)
    page.close()
    assert errors == []
    assert serious_violations(browser, live + "/", ".yasqe") == []

"""The query UI in headless Chromium (Debian's chromium): open /, run a canned query, see its rows."""

from __future__ import annotations

import os
import shutil
from typing import Any
from urllib.parse import quote

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# In CI a missing browser is a failure, never a silent skip.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (.ci/run installs it)")]


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    return chromium


def test_run_a_canned_query_in_the_ui(live: str, browser: Any) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A Content-Security-Policy violation shows as a console error: the UI must work under the policy.
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live + "/")
    page.wait_for_selector(".yasqe", timeout=20000)
    assert page.locator("#cdn-notice").count() == 0
    page.locator(".tabsList .tab", has_text="Priorities of an agreement").click()
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    rows = page.locator(".tabPanel.active .yasr table tbody tr")
    rows.first.wait_for(timeout=20000)
    texts = rows.all_inner_texts()
    assert len(texts) == 5
    assert "Expanding investment and trade cooperation" in texts[0]
    assert "Realizing joint development products in infrastructure" in texts[4]
    assert errors == []
    page.close()


def test_a_query_in_the_address_bar(live: str, browser: Any) -> None:
    query = "SELECT ?city WHERE { ?city a fe:City } ORDER BY ?city"
    page = browser.new_page()
    page.goto(f"{live}/?query={quote(query)}&endpoint={quote(live + '/sparql')}")
    page.wait_for_selector(".yasqe", timeout=20000)
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    rows = page.locator(".tabPanel.active .yasr table tbody tr")
    rows.first.wait_for(timeout=20000)
    # The query declares no prefixes, yet the editor knows the endpoint's, and the table links our IRIs
    # to this server's pages under their predeclared prefix.
    assert page.locator(".tabPanel.active .parseErrorIcon").count() == 0
    slugs = ("harbin", "moscow", "pogranichny", "suifenhe", "vladivostok")
    assert [t.split("\n")[-1].strip() for t in rows.all_inner_texts()] == [f"id:{slug}" for slug in slugs]
    assert page.locator(".tabPanel.active .yasr table tbody a.local").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))") == [f"/id/{slug}" for slug in slugs]
    page.close()

"""The UI page through the app factory: escaping, the CDN fallback, and HTML clients of /sparql."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from fareast_kg.app import create_app
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.settings import Settings


def _client(settings: Settings, root: Path | None = None):  # type: ignore[no-untyped-def]
    store = EmbeddedBackend(settings.store)
    app = create_app(replace(settings, root=root) if root else settings, store)
    return app.test_client()


def test_without_npm_the_page_uses_the_cdn_and_says_so(full: Settings, tmp_path: Path) -> None:
    page = _client(full, root=tmp_path).get("/").get_data(as_text=True)
    assert 'id="cdn-notice"' in page
    assert '<script src="https://cdn.jsdelivr.net/npm/@triply/yasgui@4.2.28/build/yasgui.min.js">' in page


def test_config_is_escaped_json(full: Settings) -> None:
    page = _client(full).get("/").get_data(as_text=True)
    raw = page.split('<script type="application/json" id="config">', 1)[1].split("</script>", 1)[0]
    assert "</script" not in raw.lower()
    config = json.loads(raw)
    # Queries contain < and >; inside a script they must arrive escaped as JSON unicode escapes.
    assert "<" not in raw
    assert config["examples"][0]["query"].startswith(
        "# title: Agreements between two parties\n# view: timeline\nPREFIX fe: <https://w3id.org/fareast-kg/ontology#>\n")


def test_browsers_asking_sparql_for_html_get_the_ui(full: Settings) -> None:
    client = _client(full)
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert (r.status_code, r.headers["Location"]) == (302, "/")
    r = client.get("/sparql", headers={"Accept": "*/*"})
    assert r.headers["Content-Type"] == "text/turtle; charset=utf-8"

"""Repeated GET reads are replayed from memory, byte for byte; nothing else is."""

from __future__ import annotations

from fareast_kg.app import create_app
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.settings import Settings

QUERY = {"query": "SELECT ?c WHERE { ?c a fe:City } ORDER BY ?c"}


def test_replay_etag_and_what_is_not_cached(full: Settings) -> None:
    client = create_app(full, EmbeddedBackend(full.store)).test_client()
    first = client.get("/sparql", query_string=QUERY)
    second = client.get("/sparql", query_string=QUERY)
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert "query;dur=" in first.headers["Server-Timing"]
    assert second.headers["Server-Timing"].startswith('cache;desc="replayed", total;dur=')
    assert second.headers["Access-Control-Allow-Origin"] == "*"
    not_modified = client.get("/sparql", query_string=QUERY, headers={"If-None-Match": first.headers["ETag"]})
    assert (not_modified.status_code, not_modified.data) == (304, b"")
    # Another Accept is another answer.
    csv = client.get("/sparql", query_string=QUERY, headers={"Accept": "text/csv"})
    assert csv.data.decode().splitlines()[0] == "c"
    # Errors and POSTs always go through the app.
    for _ in range(2):
        bad = client.get("/sparql", query_string={"query": "SELECT"})
        assert bad.status_code == 400 and "query;dur" not in bad.headers["Server-Timing"]
    posted = client.post("/sparql", data=QUERY)
    assert posted.headers["Server-Timing"].startswith("parse;dur=")
    assert posted.data == first.data

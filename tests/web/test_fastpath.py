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


def test_a_bounded_lookup_skips_flask_with_the_same_answer_and_headers(live: str) -> None:
    """GET of a one-pattern query is answered before Flask; POST of it goes through the view: both the same."""
    import requests

    query = "SELECT ?p ?o WHERE { id:harbin ?p ?o } # skips flask"
    accept = {"Accept": "application/sparql-results+json"}
    got = requests.get(f"{live}/sparql", params={"query": query}, headers=accept, timeout=10)
    posted = requests.post(f"{live}/sparql", data={"query": query}, headers=accept, timeout=10)
    assert got.status_code == posted.status_code == 200
    assert got.content == posted.content and got.json()["results"]["bindings"]
    varying = {"Date", "Server-Timing"}
    assert {k: v for k, v in got.headers.items() if k not in varying} == \
        {k: v for k, v in posted.headers.items() if k not in varying}
    # Asked again (by either worker): the same answer and ETag; a conditional request gets 304 from the view.
    again = requests.get(f"{live}/sparql", params={"query": query}, headers=accept, timeout=10)
    assert (again.content, again.headers["ETag"]) == (got.content, got.headers["ETag"])
    conditional = {**accept, "If-None-Match": got.headers["ETag"]}
    same = requests.get(f"{live}/sparql", params={"query": query}, headers=conditional, timeout=10)
    assert (same.status_code, same.content) == (304, b"")
    # A bounded query with an error is answered by the view, in the client's format.
    bad = requests.get(f"{live}/sparql", params={"query": "SELECT ?s WHERE { ?s nope:p ?o }"}, headers=accept,
                       timeout=10)
    assert (bad.status_code, bad.text) == (400, "syntax error at line 1, column 28: undeclared prefix\n")

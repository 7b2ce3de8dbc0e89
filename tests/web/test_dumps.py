"""/dump: every dump downloads, checks out against its SHA-256 and holds exactly the store's statements."""

from __future__ import annotations

import gzip
import hashlib

import pyoxigraph as ox
import pytest
import requests

from fareast_kg.app import create_app
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.namespaces import GRAPH_INFERRED, GRAPH_UNION, GRAPH_UNION_ASSERTED, UNION_GRAPHS
from fareast_kg.settings import Settings
from fareast_kg.sparql.negotiate import named

PARTS = ("full", "asserted", "inferred")
FORMATS = ("nquads", "trig", "turtle")


@pytest.fixture(scope="module")
def client(full: Settings):  # type: ignore[no-untyped-def]
    return create_app(full, EmbeddedBackend(full.store)).test_client()


@pytest.fixture(scope="module")
def listing(client) -> dict:  # type: ignore[no-untyped-def, type-arg]
    r = client.get("/dump", headers={"Accept": "application/json"})
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    return r.get_json()  # type: ignore[no-any-return]


def _expected(db: ox.Store, part: str, fmt: str) -> set[ox.Quad] | set[ox.Triple]:
    """The store's own statements: the part's graphs as quads, or its union graph as triples."""
    if fmt == "turtle":
        union = {"full": GRAPH_UNION, "asserted": GRAPH_UNION_ASSERTED, "inferred": GRAPH_INFERRED}[part]
        return {q.triple for q in db.quads_for_pattern(None, None, None, ox.NamedNode(union))}
    keep = {"full": lambda g: g not in UNION_GRAPHS,
            "asserted": lambda g: g not in UNION_GRAPHS and g != GRAPH_INFERRED,
            "inferred": lambda g: g == GRAPH_INFERRED}[part]
    return {q for q in db.quads_for_pattern(None, None, None) if keep(q.graph_name.value)}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("part", PARTS)
def test_each_dump_parses_to_exactly_the_store(client, listing: dict, full_db: ox.Store,  # type: ignore[no-untyped-def, type-arg]
                                               part: str, fmt: str) -> None:
    [entry] = [d for d in listing["dumps"] if (d["part"], d["format"]) == (part, fmt)]
    with client.get(f"/dump/{entry['name']}") as r:
        assert (r.status_code, r.headers["Content-Type"]) == (200, "application/gzip")
        data = r.data
    assert r.headers["Content-Disposition"] == f"attachment; filename={entry['name']}"
    assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"])
    assert r.headers["ETag"] == f'"{entry["sha256"]}"'
    parsed = list(ox.parse(gzip.decompress(data), named(fmt).engine))
    expected = _expected(full_db, part, fmt)
    got = {q.triple for q in parsed} if fmt == "turtle" else set(parsed)
    assert (got, len(parsed)) == (expected, len(expected))
    assert entry["statements"] == len(expected)


def test_the_listing_names_every_file_with_size_checksum_and_date(client, listing: dict) -> None:  # type: ignore[no-untyped-def, type-arg]
    assert [(d["part"], d["format"]) for d in listing["dumps"]] == [(p, f) for p in PARTS for f in FORMATS]
    assert listing["description"] == "http://localhost/.well-known/void"
    page = client.get("/dump", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f"of {listing['built_at']}." in page
    for d in listing["dumps"]:
        assert f'<a href="{d["url"]}" download>{d["name"]}</a>' in page
        assert f"<code>{d['sha256']}</code>" in page and f"{d['bytes']:,} bytes" in page


def test_downloads_are_streamed_and_conditional(live: str) -> None:
    entry = requests.get(f"{live}/dump", headers={"Accept": "application/json"}, timeout=10).json()["dumps"][0]
    with requests.get(entry["url"], stream=True, timeout=10) as r:
        assert "Content-Length" in r.headers and r.headers.get("Transfer-Encoding") != "chunked"
        digest = hashlib.sha256()
        for chunk in r.iter_content(4096):
            digest.update(chunk)
    assert digest.hexdigest() == entry["sha256"]
    again = requests.get(entry["url"], headers={"If-None-Match": f'"{entry["sha256"]}"'}, timeout=10)
    assert (again.status_code, again.content) == (304, b"")
    part = requests.get(entry["url"], headers={"Range": "bytes=0-9"}, timeout=10)
    assert (part.status_code, len(part.content)) == (206, 10)


def test_an_unknown_dump_is_one_line(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/dump/passwords.gz")
    assert (r.status_code, r.get_data(as_text=True)) == (
        404, "there is no dump passwords.gz; the dumps are listed at /dump\n")

"""/sparql over real HTTP: gunicorn on a random port, serving the full build."""

from __future__ import annotations

import requests

JSON = "application/sparql-results+json"
AUTHORS = "SELECT ?author WHERE { id:paper dcterms:creator ?author } ORDER BY ?author"
EXPECTED = [
    {"author": {"type": "uri", "value": "https://w3id.org/fareast-kg/id/cui-heng"}},
    {"author": {"type": "uri", "value": "https://w3id.org/fareast-kg/id/feng-shaolei"}},
]


def test_get_round_trip(live: str) -> None:
    r = requests.get(f"{live}/sparql", params={"query": AUTHORS}, headers={"Accept": JSON}, timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == f"{JSON}; charset=utf-8"
    assert r.json() == {"head": {"vars": ["author"]}, "results": {"bindings": EXPECTED}}
    assert "query;dur=" in r.headers["Server-Timing"]


def test_form_post_round_trip(live: str) -> None:
    r = requests.post(f"{live}/sparql", data={"query": AUTHORS}, timeout=10)
    assert r.status_code == 200
    assert r.json()["results"]["bindings"] == EXPECTED


def test_direct_post_ask_over_the_union_with_inference(live: str) -> None:
    query = "ASK { id:pogranichny fe:locatedIn id:russia }"
    r = requests.post(f"{live}/sparql", data=query, headers={"Content-Type": "application/sparql-query"}, timeout=10)
    assert r.json() == {"head": {}, "boolean": True}
    r = requests.post(f"{live}/sparql?infer=false", data=query,
                      headers={"Content-Type": "application/sparql-query"}, timeout=10)
    assert r.json() == {"head": {}, "boolean": False}


def test_a_syntax_error_is_a_short_400(live: str) -> None:
    r = requests.get(f"{live}/sparql", params={"query": "SELECT * WHERE {"}, timeout=10)
    assert r.status_code == 400
    assert r.text == "syntax error at line 1, column 17: unexpected character or end of query\n"


def test_updates_are_refused(live: str) -> None:
    r = requests.post(f"{live}/sparql", data={"update": "CLEAR ALL"}, timeout=10)
    assert (r.status_code, r.text) == (403, "the endpoint is read-only: SPARQL Update is not accepted\n")


def test_other_methods(live: str) -> None:
    r = requests.put(f"{live}/sparql", data="x", timeout=10)
    assert r.status_code == 405
    assert r.text == "method PUT is not allowed here\n"

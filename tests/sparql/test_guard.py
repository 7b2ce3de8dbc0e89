"""Refusing updates and SERVICE before the engine sees the query."""

from __future__ import annotations

import pytest

from fareast_kg.errors import BadQuery, ServiceRefused, UpdateRefused
from fareast_kg.sparql.guard import check


@pytest.mark.parametrize(("query", "form"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://e/> ASK { ex:a ex:b ex:c }", "ASK"),
    ("BASE <http://x/> DESCRIBE <a>", "DESCRIBE"),
    ("construct where { ?s ?p ?o }", "CONSTRUCT"),
    # Keywords inside strings, IRIs, comments, variables and prefixed names are not keywords.
    ('SELECT ("SERVICE <http://x/>" AS ?x) {} # SERVICE <http://y/>', "SELECT"),
    ("PREFIX ex: <http://e/> SELECT ?service { ?service ex:SERVICE <http://e/INSERT> }", "SELECT"),
])
def test_queries_pass(query: str, form: str) -> None:
    assert check(query).form == form


@pytest.mark.parametrize("query", [
    "INSERT DATA { <a> <b> <c> }",
    "PREFIX ex: <http://e/> DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1/x>",
    "CLEAR ALL",
    "DROP GRAPH <http://g>",
])
def test_updates_are_refused(query: str) -> None:
    with pytest.raises(UpdateRefused, match=r"^the endpoint is read-only: "):
        check(query)


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
])
def test_service_is_refused(query: str) -> None:
    with pytest.raises(ServiceRefused):
        check(query)


def test_allow_listed_service() -> None:
    allowed = check("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", ("http://127.0.0.1:9/sparql",))
    assert allowed.services == ("http://127.0.0.1:9/sparql",)


def test_not_a_query() -> None:
    with pytest.raises(BadQuery, match=r"^not a SPARQL query"):
        check("hello")

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


PORT = 9


@pytest.mark.parametrize("query", [
    # A comment ends at a carriage return as well as at a line feed.
    f"SELECT * WHERE {{ #x\rSERVICE <http://127.0.0.1:{PORT}/> {{ ?s ?p ?o }} }}",
    # A prefixed name stops where PN_LOCAL stops: "]" is not part of it.
    f"PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT * WHERE {{ [ a owl:Class]SERVICE <http://127.0.0.1:{PORT}/> "
    "{ ?s ?p ?o } }",
    f"SELECT * WHERE {{ ?s ?p ?o .SERVICE<http://0x7f000001:{PORT}/>{{?s ?p ?o}} }}",
    f"SELECT * WHERE {{ {{}}SERVICE\t<http://2130706433:{PORT}/>{{}} }}",
    f"SELECT * WHERE {{ OPTIONAL {{}} sErViCe SiLeNt <http://localhost:{PORT}/> {{}} }}",
    # Targets named through the prologue: prefixed names and BASE-relative IRIs.
    f"PREFIX x: <http://127.0.0.1:{PORT}/> SELECT * WHERE {{ SERVICE x:sparql {{}} }}",
    f"BASE <http://127.0.0.1:{PORT}/a/> SELECT * WHERE {{ SERVICE <../sparql> {{}} }}",
    # Variables bound to a target by VALUES or BIND, or not bound at all.
    f"SELECT * WHERE {{ VALUES ?e {{ <http://127.0.0.1:{PORT}/> }} SERVICE ?e {{}} }}",
    f"SELECT * WHERE {{ VALUES (?x ?e) {{ (1 <http://127.0.0.1:{PORT}/>) }} SERVICE ?e {{}} }}",
    f"SELECT * WHERE {{ BIND(<http://127.0.0.1:{PORT}/> AS ?e) SERVICE ?e {{}} }}",
    "SELECT * WHERE { ?s ?p ?e SERVICE ?e {} }",
    "SELECT * WHERE { SERVICE ?e {} }",
])
def test_every_disguise_of_service_is_refused_with_one_message(query: str) -> None:
    with pytest.raises(ServiceRefused) as err:
        check(query)
    assert str(err.value) == "SERVICE is refused: federated queries may only reach the endpoints this server allows"


@pytest.mark.parametrize(("query", "base"), [
    ("PREFIX x: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE x:sparql {} }", None),
    ("BASE <http://127.0.0.1:9/a/> SELECT * WHERE { SERVICE <../sparql> {} }", None),
    ("SELECT * WHERE { SERVICE <sparql> {} }", "http://127.0.0.1:9/x"),
    ("SELECT * WHERE { VALUES ?e { <http://127.0.0.1:9/sparql> } SERVICE ?e {} }", None),
    ("SELECT ?e WHERE { BIND(<http://127.0.0.1:9/sparql> AS ?e) SERVICE SILENT ?e {} }", None),
    (r"SELECT * WHERE { SERVICE <http://127.0.0.1:9/sp\u0061rql> {} }", None),
])
def test_allow_listed_targets_are_resolved_as_the_engine_resolves_them(query: str, base: str | None) -> None:
    assert check(query, ("http://127.0.0.1:9/sparql",), base).services == ("http://127.0.0.1:9/sparql",)


def test_a_resolved_target_off_the_list_is_refused() -> None:
    with pytest.raises(ServiceRefused):
        check("BASE <http://127.0.0.1:9/sparql/> SELECT * WHERE { SERVICE <../../x> {} }", ("http://127.0.0.1:9/sparql",))


@pytest.mark.parametrize(("query", "message"), [
    # Escapes count only inside strings and IRIs, as in the engine's parser.
    ("SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
     "syntax error: unexpected character '\\\\' at offset 11"),
    ("SELECT * WHERE " + "{" * 5000 + "}" * 5000,
     "the query nests groups more than 200 deep at line 1, column 216"),
])
def test_malformed_queries_get_one_line(query: str, message: str) -> None:
    with pytest.raises(BadQuery) as err:
        check(query)
    assert str(err.value) == message


def test_strings_hiding_quotes_by_escape_stay_strings() -> None:
    assert check('SELECT ?x WHERE { BIND("a\\u0022 SERVICE <http://x/> {}" AS ?x) }').services == ()


def test_the_full_grammar_must_agree_before_a_query_may_federate() -> None:
    from fareast_kg.sparql.grammar import service_clauses
    from fareast_kg.sparql.lexer import tokenize

    two = "SELECT * WHERE { SERVICE <http://a/> { ?s ?p ?o } SERVICE SILENT <http://b/> { ?s ?p ?o } }"
    assert service_clauses(tokenize(two)) == 2
    assert service_clauses(tokenize("SELECT * WHERE { ?s ?p }")) is None
    # Allow-listed, but a form the second parser cannot read: no network on a single reading.
    with pytest.raises(ServiceRefused):
        check("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> {} LATERAL { SELECT ?x {} } }",
              ("http://127.0.0.1:9/sparql",))


def test_long_queries_are_checked_every_time_and_not_remembered() -> None:
    """The decision is the same, but a 1 MB query is not kept: 1024 of them would hold a gigabyte."""
    from fareast_kg.sparql import guard

    short = "SELECT * { ?s ?p ?o } # short"
    long = "SELECT * { ?s ?p ?o } #" + "x" * 1_000_000
    guard._remembered.cache_clear()  # from empty: a full cache would hide one more entry
    assert check(long) == check(short)
    assert guard._remembered.cache_info().currsize == 1  # the short one only
    with pytest.raises(UpdateRefused):
        check("INSERT DATA { <a> <b> <c> } #" + "x" * 1_000_000)

"""Query text for remote engines: bound values inlined as terms, datasets as FROM clauses."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from fareast_kg.backend import connect, text
from fareast_kg.backend.client import Endpoints
from fareast_kg.errors import BadQuery, EngineUnavailable
from fareast_kg.sparql import terms
from fareast_kg.sparql.execute import Job

HARBIN = ("iri", "https://w3id.org/fareast-kg/id/harbin")


def test_inline_in_projection_patterns_and_modifiers() -> None:
    query = 'SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o FILTER (?s != ?x) } GROUP BY ?s ORDER BY ?s # ?s\n'
    assert text.inline(query, {"s": HARBIN}) == (
        "SELECT (<https://w3id.org/fareast-kg/id/harbin> AS ?s) (COUNT(?o) AS ?n) WHERE { "
        "<https://w3id.org/fareast-kg/id/harbin> ?p ?o FILTER (<https://w3id.org/fareast-kg/id/harbin> != ?x) } "
        "GROUP BY (<https://w3id.org/fareast-kg/id/harbin>) ORDER BY (<https://w3id.org/fareast-kg/id/harbin>) # ?s\n"
    )


def test_inline_escapes_literals_and_leaves_strings_alone() -> None:
    value = ("literal", 'a "quoted"\nline \\ end', "", "")
    assert text.inline('ASK { ?s ?p "?v" ; ?q ?v }', {"v": value}) == (
        'ASK { ?s ?p "?v" ; ?q "a \\"quoted\\"\\nline \\\\ end" }'
    )
    year = ("literal", "2015", "http://www.w3.org/2001/XMLSchema#gYear", "")
    assert terms.render(year) == '"2015"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    assert terms.render(("literal", "Harbin", "", "en")) == '"Harbin"@en'


def test_select_star_with_bound_variables_lists_every_column() -> None:
    assert text.inline("SELECT * WHERE { ?s ?p ?o }", {"s": HARBIN}) == (
        f"SELECT ({terms.render(HARBIN)} AS ?s) ?p ?o WHERE {{ {terms.render(HARBIN)} ?p ?o }}")


def test_inline_refuses_what_cannot_be_bound() -> None:
    with pytest.raises(BadQuery):
        text.inline("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } } }", {"s": HARBIN})
    with pytest.raises(BadQuery):
        text.inline("SELECT ?s WHERE { BIND (1 AS ?s) }", {"s": HARBIN})
    with pytest.raises(BadQuery):
        terms.render(("iri", "http://x/> } ; DROP ALL ; <x"))


def test_dataset_replaces_the_query_own_from_clauses() -> None:
    query = "PREFIX x: <urn:x:>\nSELECT ?s FROM x:a FROM NAMED <urn:b> WHERE { ?s ?p ?o }"
    assert text.with_dataset(query, ["urn:d"], ["urn:n"]) == (
        "PREFIX x: <urn:x:>\nSELECT ?s \nFROM <urn:d>\nFROM NAMED <urn:n>\n  WHERE { ?s ?p ?o }"
    )
    assert text.with_dataset("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["urn:d"], []) == (
        "CONSTRUCT { ?s ?p ?o } \nFROM <urn:d>\nWHERE { ?s ?p ?o }"
    )
    assert text.with_dataset("ASK { ?s ?p ?o }", [], ["urn:n"]) == "ASK \nFROM NAMED <urn:n>\n{ ?s ?p ?o }"
    assert text.with_dataset("DESCRIBE <urn:s>", ["urn:d"], []) == "DESCRIBE <urn:s>\nFROM <urn:d>\n"


class _Failing(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(500)
        self.end_headers()
        self.wfile.write(b"SECRET internal dump\nwith lines")

    def log_message(self, *args: object) -> None:
        pass


def test_engine_errors_name_the_engine_and_never_echo_its_body() -> None:
    server = HTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/sparql"
    backend = connect(Endpoints(url))
    try:
        with pytest.raises(EngineUnavailable) as caught:
            backend.run(Job("ASK {}", "ASK", "json", None, None), 5)
        message = str(caught.value)
        assert url in message and "HTTP 500" in message
        assert "SECRET" not in message and "\n" not in message
    finally:
        backend.close()
        server.shutdown()
        server.server_close()

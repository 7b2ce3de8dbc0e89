"""What the engine is given: fewer prefixes and no PREFIX lines to parse again, the same answers."""

from __future__ import annotations

import dataclasses

import pyoxigraph as ox
import pytest

from fareast_kg.errors import BadQuery
from fareast_kg.namespaces import GRAPH_UNION, PREFIX_DECLARATIONS
from fareast_kg.sparql import guard
from fareast_kg.sparql.execute import Job, engine_text, run

ID = "https://w3id.org/fareast-kg/id/"
LIFTED = [
    PREFIX_DECLARATIONS + "SELECT ?p ?o WHERE { id:harbin ?p ?o }",
    PREFIX_DECLARATIONS + "# a comment\n\nSELECT ?l WHERE { id:harbin rdfs:label ?l } ORDER BY ?l",
    f"PREFIX id: <{ID}other->\nSELECT ?p ?o WHERE {{ id:harbin ?p ?o }}",  # redeclares a predeclared prefix
    f"PREFIX : <{ID}>\r\nPREFIX x: <urn:unused>\r\nSELECT ?l {{ :harbin rdfs:label ?l }}",
    f"PREFIX id: <{ID}other->\nPREFIX id: <{ID}>\nASK {{ id:harbin ?p ?o }}",  # the later one counts
    f"PREFIX id: <{ID}>\nCONSTRUCT {{ id:harbin ?p ?o }} WHERE {{ id:harbin ?p ?o }}",
]
KEPT = [
    f"BASE <{ID}>\nPREFIX r: <rel->\nSELECT ?p ?o WHERE {{ <harbin> ?p ?o }}",  # BASE: the engine resolves
    "PREFIX r: <relative/>\nSELECT * WHERE { ?s ?p r:x }",
    "PREFIX e: <http://e/\\u0041>\nSELECT * WHERE { ?s ?p e:x }",  # an escape: the engine unescapes
    "SELECT ?p ?o WHERE { id:harbin ?p ?o }",  # no prologue at all
]


def _jobs(query: str, fmt: str = "json") -> tuple[Job, Job]:
    checked = guard.check(query)
    plain = Job(query, checked.form, fmt if checked.form == "SELECT" else "turtle" if checked.form == "CONSTRUCT"
                else "json", (GRAPH_UNION,), (), base_iri="http://127.0.0.1:5000/sparql")
    return plain, dataclasses.replace(plain, **engine_text(query, checked))


@pytest.mark.parametrize("query", LIFTED + KEPT)
def test_the_engine_gets_the_same_query(query: str, full_db: ox.Store) -> None:
    plain, lean = _jobs(query)
    assert (lean.prologue > 0) == (query in LIFTED)
    assert len(lean.engine_prefixes or ()) < len(plain.prefixes)
    assert run(full_db, lean) == run(full_db, plain)


def test_what_is_lifted_answers_as_written(full_db: ox.Store) -> None:
    harbin, other = (run(full_db, _jobs(q)[1]).rows for q in LIFTED[:3:2])
    assert harbin >= 10 and other == 0  # the redeclared prefix points elsewhere: no rows, as written
    assert b"true" in run(full_db, _jobs(LIFTED[4])[1]).body


@pytest.mark.parametrize("query", [
    PREFIX_DECLARATIONS + "SELECT ?s WHERE {\n  ?s nope:p ?o }",
    PREFIX_DECLARATIONS + "SELECT ?s WHERE { ?s ?p }",
])
def test_syntax_errors_keep_their_line_and_column(query: str, full_db: ox.Store) -> None:
    plain, lean = _jobs(query)
    assert lean.prologue > 0
    with pytest.raises(BadQuery) as written:
        run(full_db, plain)
    with pytest.raises(BadQuery) as given:
        run(full_db, lean)
    assert str(given.value) == str(written.value) and " at line " in str(given.value)

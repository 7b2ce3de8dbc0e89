"""pyoxigraph's own SPARQL JSON for answers within their caps: the same bytes as the row writer,
and rows counted exactly from them, whatever the strings hold."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fareast_kg.sparql import native, results
from fareast_kg.sparql.execute import Job, run

# Strings made of what could fool a count or be escaped otherwise: braces, quotes, commas, colons,
# backslashes, control characters, a line separator, a character outside the BMP.
TRICKY = st.lists(st.sampled_from([*'{}[]",:\\ \nxté\t\x01\x7f\u2028/😀', '"type":"', ':{"subject":', "},{", "{}"]),
                  max_size=8).map("".join)
TERMS = st.one_of(
    st.none(),  # unbound
    TRICKY.map(lambda s: ox.NamedNode("http://example.org/" + "".join(c for c in s if c.isalnum()))),
    TRICKY.map(ox.Literal),
    st.tuples(TRICKY, st.sampled_from(["en", "zh-Hans"])).map(lambda t: ox.Literal(t[0], language=t[1])),
    st.integers().map(ox.Literal),
)
NAMES = ("type", "subject", "x")  # names that are also keys of the format's own objects


def query(rows: list[list[ox.NamedNode | ox.Literal | None]]) -> str:
    values = " ".join("(" + " ".join("UNDEF" if t is None else str(t) for t in row) + ")" for row in rows)
    return f"SELECT ?type ?subject ?x WHERE {{ VALUES (?type ?subject ?x) {{ {values} }} }}"


def solutions(text: str) -> ox.QuerySolutions:
    out = ox.Store().query(text)
    assert isinstance(out, ox.QuerySolutions)
    return out


@given(st.lists(st.lists(TERMS, min_size=3, max_size=3), max_size=6))
@settings(max_examples=300, deadline=None)
def test_rows_are_counted_exactly_and_the_solutions_are_the_row_writers(rows: list[list]) -> None:
    text = query(rows)
    whole = native.whole_json(solutions(text), 100)
    assert whole is not None and whole.truncated == ""
    parsed = json.loads(whole.body)
    assert whole.rows == len(parsed["results"]["bindings"]) == len(rows)
    assert whole.body == results.select(solutions(text), "json", 100).body  # the same bytes either way
    assert parsed["head"] == {"vars": list(NAMES)}


def test_blank_nodes_and_triple_terms_are_counted() -> None:
    text = ('SELECT ?type ?subject WHERE { VALUES ?n { 1 2 } BIND(BNODE() AS ?type) '
            'BIND(<<( <http://e.org/a> <http://e.org/b> <<( <http://e.org/c> <http://e.org/d> "x{" )>> )>> '
            'AS ?subject) }')
    whole = native.whole_json(solutions(text), 100)
    assert whole is not None and whole.rows == 2
    assert [b["type"]["type"] for b in json.loads(whole.body)["results"]["bindings"]] == ["bnode", "bnode"]
    nested = ('SELECT ?t WHERE { BIND(<<( <http://e.org/a> <http://e.org/b> '
              '<<( <http://e.org/c> <http://e.org/d> "x" )>> )>> AS ?t) }')  # the row writer writes it alike
    whole = native.whole_json(solutions(nested), 100)
    assert whole is not None and whole.body == results.select(solutions(nested), "json", 100).body
    empty = native.whole_json(solutions("SELECT ?x WHERE { VALUES ?y { 1 2 3 } }"), 100)
    assert empty is not None and (empty.rows, empty.body.count(b"{}")) == (3, 3)


def test_an_answer_past_either_cap_is_left_to_the_row_writer() -> None:
    text = query([[ox.Literal(i), None, None] for i in range(20)])
    assert native.whole_json(solutions(text), 20) is not None
    assert native.whole_json(solutions(text), 19) is None
    size = len(native.whole_json(solutions(text), 20).body)  # type: ignore[union-attr]
    assert native.whole_json(solutions(text), 20, size) is not None
    assert native.whole_json(solutions(text), 20, size - 1) is None


@pytest.mark.parametrize(("limit", "max_bytes", "cut"), [(100, 10**6, ""), (7, 10**6, "max-rows"),
                                                        (100, 300, "max-bytes")])
def test_the_engine_path_cuts_with_the_row_writer(limit: int, max_bytes: int, cut: str) -> None:
    text = query([[ox.Literal(i), None, None] for i in range(20)])
    answer = run(ox.Store(), Job(text, "SELECT", "json", None, None, limit=limit), max_bytes)
    parsed = json.loads(answer.body)
    assert answer.truncated == cut
    assert answer.rows == len(parsed["results"]["bindings"]) == {"": 20, "max-rows": 7}.get(cut, answer.rows)
    if cut == "max-bytes":
        assert 0 < answer.rows < 20 and len(answer.body) <= 300

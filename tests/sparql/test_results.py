"""SELECT results in SPARQL JSON: exactly the (compact) bytes the json module writes, for every kind of term."""

from __future__ import annotations

import json

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from fareast_kg.sparql import results

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
TERMS = st.one_of(
    TEXT.map(lambda s: ox.NamedNode("http://example.org/" + "".join(c for c in s if c.isalnum()))),
    TEXT.map(ox.Literal),
    st.tuples(TEXT, st.sampled_from(["en", "ru", "zh-Hans"])).map(lambda t: ox.Literal(t[0], language=t[1])),
    st.integers().map(ox.Literal),
)


def solutions(rows: list[list[ox.NamedNode | ox.Literal | ox.BlankNode]]) -> ox.QuerySolutions:
    store = ox.Store()
    values = " ".join("(" + " ".join(str(t) for t in row) + ")" for row in rows)
    out = store.query(f"SELECT ?a ?b WHERE {{ VALUES (?a ?b) {{ {values} }} }}")
    assert isinstance(out, ox.QuerySolutions)
    return out


@given(st.lists(st.lists(TERMS, min_size=2, max_size=2), max_size=6))
@settings(max_examples=200, deadline=None)
def test_json_rows_are_what_json_dumps_writes(rows: list[list]) -> None:
    body = results.select(solutions(rows), "json", 100).body.decode("utf-8")
    parsed = json.loads(body)
    assert body == json.dumps(parsed, ensure_ascii=False, separators=(",", ":"))
    assert parsed["head"] == {"vars": ["a", "b"]}
    assert len(parsed["results"]["bindings"]) == len(rows)


def test_each_kind_of_term() -> None:
    rows = [[ox.NamedNode("http://e.org/x"), ox.Literal("Хабаровск", language="ru")],
            [ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
             ox.Literal('say "hi"\n')]]
    assert json.loads(results.select(solutions(rows), "json", 100).body)["results"]["bindings"] == [
        {"a": {"type": "uri", "value": "http://e.org/x"},
         "b": {"type": "literal", "value": "Хабаровск", "xml:lang": "ru"}},
        {"a": {"type": "literal", "value": "12", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
         "b": {"type": "literal", "value": 'say "hi"\n'}},
    ]


def test_blank_nodes() -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.BlankNode("b0"), ox.NamedNode("http://e.org/p"), ox.Literal("x")))
    out = store.query("SELECT ?a WHERE { ?a ?p ?o }")
    assert isinstance(out, ox.QuerySolutions)
    body = results.select(out, "json", 100).body.decode()
    assert body == json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":"))
    assert json.loads(body)["results"]["bindings"][0]["a"]["type"] == "bnode"
    assert ox.BlankNode("b0") not in results._cells  # blank nodes are written each time


def test_terms_written_before_are_written_the_same_and_the_table_stays_bounded() -> None:
    results._cells.clear()
    rows = [[ox.NamedNode(f"http://e.org/{i}"), ox.Literal(f"v{i}", language="en")] for i in range(50)]
    first = results.select(solutions(rows), "json", 100).body
    assert len(results._cells) == 100  # each IRI and literal once
    assert results.select(solutions(rows), "json", 100).body == first  # now from the table
    long_literal = ox.Literal("x" * (results.CELL_LENGTH + 1))
    results.select(solutions([[ox.NamedNode("http://e.org/long"), long_literal]]), "json", 100)
    assert long_literal not in results._cells and ox.NamedNode("http://e.org/long") in results._cells
    many = [[ox.NamedNode(f"http://e.org/m{i}"), ox.Literal(i)] for i in range(results.CELLS)]
    body = results.select(solutions(many), "json", results.CELLS).body
    assert 0 < len(results._cells) <= results.CELLS
    assert json.loads(body)["results"]["bindings"][-1]["a"]["value"] == f"http://e.org/m{results.CELLS - 1}"

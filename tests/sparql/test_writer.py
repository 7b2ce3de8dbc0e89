"""Documents in every format: sorted, with the prefixes they use, the same bytes every time."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from fareast_kg.sparql import writer
from fareast_kg.sparql.negotiate import GRAPHS, named

E = "http://example.org/"
G = ox.NamedNode(E + "g")
PREFIXES = {"z": E, "unused": "http://unused.example/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
QUADS = [
    ox.Quad(ox.NamedNode(E + "b"), ox.NamedNode(E + "p"), ox.Literal("2"), G),
    ox.Quad(ox.NamedNode(E + "a"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("A"), G),
    ox.Quad(ox.NamedNode(E + "a"), ox.NamedNode(E + "p"), ox.Literal("1"), G),
    ox.Quad(ox.NamedNode(E + "a"), ox.NamedNode(E + "p"), ox.Literal("1"), ox.NamedNode(E + "h")),
]


def test_turtle_is_sorted_with_the_prefixes_used_in_name_order() -> None:
    assert writer.write(reversed(QUADS), named("turtle"), PREFIXES).decode() == (
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix z: <http://example.org/> .\n"
        'z:a z:p "1" ;\n\trdfs:label "A" .\n'  # by full IRI: http://example.org/ before http://www.w3.org/
        'z:b z:p "2" .\n'
    )


def test_quads_keep_their_graphs_and_bare_triples_go_to_the_default_graph() -> None:
    body = writer.write([*QUADS, QUADS[0].triple], named("nquads"), PREFIXES).decode()
    assert body.splitlines() == [
        '<http://example.org/b> <http://example.org/p> "2" .',
        '<http://example.org/a> <http://example.org/p> "1" <http://example.org/g> .',
        '<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" <http://example.org/g> .',
        '<http://example.org/b> <http://example.org/p> "2" <http://example.org/g> .',
        '<http://example.org/a> <http://example.org/p> "1" <http://example.org/h> .',
    ]


@pytest.mark.parametrize("fmt", GRAPHS, ids=lambda f: f.name)
def test_every_format_reads_back_and_is_deterministic(fmt) -> None:  # type: ignore[no-untyped-def]
    body = writer.write(QUADS, fmt, PREFIXES)
    assert body == writer.write(list(reversed(QUADS)), fmt, PREFIXES)
    parsed = list(ox.parse(body, fmt.engine))
    assert len(parsed) == (4 if fmt.name in writer.WITH_GRAPHS else 3)

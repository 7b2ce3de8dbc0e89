"""Content negotiation: q-values, wildcards, format= and 406."""

from __future__ import annotations

import pytest

from fareast_kg.errors import NotAcceptable
from fareast_kg.sparql.negotiate import GRAPHS, SOLUTIONS, choose, suffixed


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "json"),
    ("*/*", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv;q=0.5, text/tab-separated-values", "tsv"),
    ("text/*", "csv"),
    ("application/xml;q=0.9, application/json", "json"),
    ("text/html, */*;q=0.1", "json"),
])
def test_solutions(accept: str | None, expected: str) -> None:
    assert choose(SOLUTIONS, accept).name == expected


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "turtle"),
    ("application/n-triples", "ntriples"),
    ("application/ld+json;q=1, text/turtle;q=0.5", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/n-quads", "nquads"),
])
def test_graphs(accept: str | None, expected: str) -> None:
    assert choose(GRAPHS, accept).name == expected


def test_format_parameter_wins() -> None:
    assert choose(SOLUTIONS, "application/sparql-results+xml", "csv").name == "csv"
    assert choose(GRAPHS, None, "nt").name == "ntriples"


def test_not_acceptable_lists_what_is_on_offer() -> None:
    with pytest.raises(NotAcceptable) as err:
        choose(SOLUTIONS, "image/png")
    assert str(err.value) == (
        "none of the accepted types can be produced; available: application/sparql-results+json, "
        "application/sparql-results+xml, text/csv, text/tab-separated-values"
    )
    with pytest.raises(NotAcceptable, match=r"^format=exe is not available"):
        choose(SOLUTIONS, None, "exe")
    # A known name the result cannot take is set aside for the Accept header (as SPARQLWrapper needs).
    assert choose(SOLUTIONS, "text/csv", ("turtle", "text/turtle")).name == "csv"
    assert choose(SOLUTIONS, None, "turtle").name == "json"


@pytest.mark.parametrize(("path", "expected"), [
    ("harbin.ttl", ("harbin", "turtle")),
    ("harbin.JSONLD", ("harbin", "jsonld")),
    ("passage/p076.nq", ("passage/p076", "nquads")),
    ("harbin", ("harbin", None)),
    ("harbin.exe", ("harbin.exe", None)),
    (".ttl", (".ttl", None)),
    ("a.b/c", ("a.b/c", None)),
])
def test_suffixes_name_formats(path: str, expected: tuple[str, str | None]) -> None:
    stem, fmt = suffixed(path, GRAPHS)
    assert (stem, fmt.name if fmt else None) == expected

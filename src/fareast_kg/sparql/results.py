"""Serialize query results, with a row limit that is never applied silently.

ASK and graph results use pyoxigraph's serializers. SELECT rows are written here,
in the four SPARQL result formats, because a limited result must stop early and
pyoxigraph serializes only whole iterators.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from . import writer
from .negotiate import named

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

UNLIMITED = 2**62


@dataclass(frozen=True)
class Serialized:
    body: bytes
    rows: int
    truncated: str  # "" when whole; else the limit that cut it: "max-rows" or "max-bytes"


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_field(term: object) -> str:
    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, ox.BlankNode) else getattr(term, "value", str(term))
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _tsv_field(term: object) -> str:
    return "" if term is None else str(term).replace("\t", "\\t").replace("\n", "\\n")


def _size(term: object) -> int:
    return 0 if term is None else len(str(term))


def _cut(count: int, limit: int) -> str:
    return "max-rows" if count == limit else "max-bytes"


def _rows(solutions: Iterable[ox.QuerySolution], limit: int, max_bytes: int) -> tuple[list, str]:
    """Rows up to the row limit and, measured as N-Triples terms, up to the byte limit."""
    rows: list[tuple] = []
    size = 0
    for solution in islice(iter(solutions), limit + 1):
        row = tuple(solution)  # a solution iterates over its values in the order of the variables
        size += sum(_size(t) for t in row) + 8
        if len(rows) == limit or size > max_bytes:
            return rows, _cut(len(rows), limit)
        rows.append(row)
    return rows, ""


def select(solutions: ox.QuerySolutions, fmt: str, limit: int, max_bytes: int = UNLIMITED) -> Serialized:
    variables = [v.value for v in solutions.variables]
    rows, truncated = _rows(solutions, limit, max_bytes)
    writer = {"json": _select_json, "xml": _select_xml, "csv": _select_csv, "tsv": _select_tsv}[fmt]
    return Serialized("".join(writer(variables, rows)).encode("utf-8"), len(rows), truncated)


def _select_json(variables: list[str], rows: list) -> Iterator[str]:
    bindings = [
        {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows
    ]
    yield json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


def _select_xml(variables: list[str], rows: list) -> Iterator[str]:
    yield '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
    yield "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    yield "</head><results>"
    for row in rows:
        yield "<result>"
        for v, t in zip(variables, row, strict=True):
            if t is not None:
                yield f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
        yield "</result>"
    yield "</results></sparql>\n"


def _select_csv(variables: list[str], rows: list) -> Iterator[str]:
    yield ",".join(variables) + "\r\n"
    for row in rows:
        yield ",".join(_csv_field(t) for t in row) + "\r\n"


def _select_tsv(variables: list[str], rows: list) -> Iterator[str]:
    yield "\t".join(f"?{v}" for v in variables) + "\n"
    for row in rows:
        yield "\t".join(_tsv_field(t) for t in row) + "\n"


def ask(result: ox.QueryBoolean, fmt: str) -> Serialized:
    out = io.BytesIO()
    result.serialize(out, named(fmt).engine)
    return Serialized(out.getvalue(), 1, "")


def graph(
    triples: Iterable[ox.Triple], fmt: str, limit: int, prefixes: dict[str, str], max_bytes: int = UNLIMITED
) -> Serialized:
    taken: list[ox.Triple] = []
    size = 0
    truncated = ""
    for triple in islice(iter(triples), limit + 1):
        size += len(str(triple)) + 3
        if len(taken) == limit or size > max_bytes:
            truncated = _cut(len(taken), limit)
            break
        taken.append(triple)
    # Sorted, with the prefixes used, JSON-LD compacted; N-Quads and TriG put the triples in the default graph.
    return Serialized(writer.write(taken, named(fmt), prefixes), len(taken), truncated)

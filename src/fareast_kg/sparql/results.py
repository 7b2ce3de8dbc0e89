"""Serialize query results, with a row limit that is never applied silently.

ASK and graph results use pyoxigraph's serializers, and so does a SPARQL JSON answer that
fits under its caps (``native``). Otherwise SELECT rows are written here, in the four SPARQL
result formats, because a limited result must stop early and pyoxigraph serializes only
whole iterators.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from json.encoder import encode_basestring as _json_string  # json's own string writer (C), non-ASCII kept
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from . import writer
from .negotiate import named

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

UNLIMITED = 2**62
Cell = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple  # what a solution binds a variable to


@dataclass(frozen=True)
class Serialized:
    body: bytes
    rows: int
    truncated: str  # "" when whole; else the limit that cut it: "max-rows" or "max-bytes"


def _json_term(term: Cell) -> dict[str, object]:
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
    # What is left is an RDF 1.2 triple term, written as pyoxigraph writes it.
    parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
    return {"type": "triple", "value": {name: _json_term(part) for name, part in parts}}


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


def _cut(count: int, limit: int) -> str:
    return "max-rows" if count == limit else "max-bytes"


Writer = tuple[bytes, Callable[[ox.QuerySolution], bytes], bytes, bytes]  # head, one row, separator, tail


def select(solutions: ox.QuerySolutions, fmt: str, limit: int, max_bytes: int = UNLIMITED) -> Serialized:
    """Rows up to the row limit and up to the byte limit, counted in the bytes written."""
    head, row, separator, tail = _WRITERS[fmt]([v.value for v in solutions.variables])
    parts: list[bytes] = []
    size = len(head) + len(tail)
    truncated = ""
    for solution in islice(iter(solutions), limit + 1):
        if len(parts) == limit:
            truncated = "max-rows"
            break
        text = row(solution)
        size += len(text) + len(separator)
        if size > max_bytes:
            truncated = "max-bytes"
            break
        parts.append(text)
    return Serialized(head + separator.join(parts) + tail, len(parts), truncated)


# Terms written before: answers repeat the same IRIs and literals, and a look-up by the term
# itself (hashed and compared in the engine) costs a third of making its N-Triples form. Only
# short IRIs and literals are kept, and at most CELLS of them (the table starts again when full).
CELLS = 8192
CELL_LENGTH = 256
_cells: dict[ox.NamedNode | ox.Literal, bytes] = {}


def _json(variables: list[str]) -> Writer:
    """The bytes ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` writes, without building
    the dicts first: compact, as pyoxigraph's own writer (``native``) writes them."""
    names = [_json_string(v) for v in variables]
    keys = [f"{n}:".encode() for n in names]
    head = f'{{"head":{{"vars":[{",".join(names)}]}},"results":{{"bindings":['
    cells = _cells

    def row(solution: ox.QuerySolution) -> bytes:
        out = []
        for key, term in zip(keys, solution, strict=True):
            if term is not None:
                cell = cells.get(term)
                out.append(key + (cell if cell is not None else _remember(term)))
        return b"{" + b",".join(out) + b"}"
    return head.encode(), row, b",", b"]}}"


def _remember(term: Cell) -> bytes:
    cell = _json_cell(term).encode()
    if isinstance(term, ox.NamedNode | ox.Literal) and len(str(term)) <= CELL_LENGTH:
        if len(_cells) >= CELLS:
            _cells.clear()
        _cells[term] = cell
    return cell


def _json_cell(term: Cell) -> str:
    if isinstance(term, ox.NamedNode):
        return f'{{"type":"uri","value":{_json_string(term.value)}}}'
    if isinstance(term, ox.Literal):
        value = _json_string(term.value)
        if term.language:
            return f'{{"type":"literal","value":{value},"xml:lang":{_json_string(term.language)}}}'
        datatype = term.datatype.value
        if datatype != XSD_STRING:
            return f'{{"type":"literal","value":{value},"datatype":{_json_string(datatype)}}}'
        return f'{{"type":"literal","value":{value}}}'
    return json.dumps(_json_term(term), ensure_ascii=False, separators=(",", ":"))


def _xml(variables: list[str]) -> Writer:
    names = [quoteattr(v) for v in variables]
    head = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
            + "".join(f"<variable name={n}/>" for n in names) + "</head><results>")

    def row(solution: ox.QuerySolution) -> bytes:
        return ("<result>" + "".join(f"<binding name={n}>{_xml_term(t)}</binding>"
                                     for n, t in zip(names, solution, strict=True) if t is not None)
                + "</result>").encode()
    return head.encode(), row, b"", b"</results></sparql>\n"


def _csv(variables: list[str]) -> Writer:
    head = (",".join(variables) + "\r\n").encode()
    return head, lambda s: (",".join(map(_csv_field, s)) + "\r\n").encode(), b"", b""


def _tsv(variables: list[str]) -> Writer:
    head = "\t".join(f"?{v}" for v in variables) + "\n"
    return head.encode(), lambda s: ("\t".join(map(_tsv_field, s)) + "\n").encode(), b"", b""


_WRITERS: dict[str, Callable[[list[str]], Writer]] = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


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

"""A bound value as the jobs carry it, and as SPARQL text.

Jobs cross into query children and out to remote engines, so a value travels as a plain
tuple: ("iri", value) or ("literal", value, datatype, language). ``render`` writes it as an
escaped SPARQL term; nothing else ever splices a value into query text.
"""

from __future__ import annotations

from ..errors import BadQuery

Term = tuple[str, ...]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_IRI_FORBIDDEN = set('<>"{}|^`\\')


def iri(value: str) -> str:
    if any(c in _IRI_FORBIDDEN or ord(c) <= 0x20 for c in value):
        raise BadQuery(f"not an IRI that can be written in a query: {value[:80]!r}")
    return f"<{value}>"


def render(term: Term) -> str:
    """A term as SPARQL text: an IRI in angle brackets or an escaped literal."""
    if term[0] == "iri":
        return iri(term[1])
    _, value, datatype, language = term
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if language:
        return f'"{escaped}"@{language}'
    if datatype and datatype != XSD_STRING:
        return f'"{escaped}"^^{iri(datatype)}'
    return f'"{escaped}"'

"""Labels in the reader's language, and values written for people rather than machines.

The label table (every rdfs:label and skos:altLabel, by language) is read once per build with
``backend.select`` and kept in the Context cache; pages, search and views all draw from it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Flask, request

from ..namespaces import PREFIXES, XSD, shorten
from . import context, per_build

LANGUAGES = {"en": "English", "ru": "Русский", "zh": "中文"}
# QUDT units used by the statistics: a display vocabulary, in one place for pages and the query UI.
UNITS = {
    "CCY_USD": "US dollars", "CCY_RUB": "roubles", "CCY_CNY": "yuan", "PERCENT": "per cent", "NUM": "number",
}
DATATYPES = {"gYear": "year", "gYearMonth": "month", "date": "date", "decimal": "number",
             "integer": "number", "language": "language", "string": "text", "boolean": "yes/no"}
WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"

LABELS_QUERY = """SELECT ?s ?p ?l WHERE {
  VALUES ?p { rdfs:label skos:altLabel skos:prefLabel } ?s ?p ?l FILTER (isIRI(?s) && isLiteral(?l)) }"""


@dataclass(frozen=True)
class Labels:
    """Per IRI: the preferred label per language, and every label or alias with its language."""

    preferred: dict[str, dict[str, str]]
    names: dict[str, list[tuple[str, str]]]

    def get(self, iri: str, lang: str) -> str | None:
        by_lang = self.preferred.get(iri)
        if not by_lang:
            return None
        return by_lang.get(lang) or by_lang.get("en") or by_lang.get("") or next(iter(sorted(by_lang.values())))


def labels() -> Labels:
    return per_build("labels", _read_labels, lambda t: sum(len(k) + 64 * len(v) for k, v in t.names.items()))


def _read_labels() -> Labels:
    preferred: dict[str, dict[str, str]] = defaultdict(dict)
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rows = context().backend.select(LABELS_QUERY)
    # Sorted so that the label shown never depends on the engine's order.
    for row in sorted(rows, key=lambda r: (r["s"].value, r["p"].value, r["l"].value)):
        literal = row["l"]
        lang = literal.language or "" if isinstance(literal, ox.Literal) else ""
        iri = row["s"].value
        names[iri].append((literal.value, lang))
        if row["p"].value == PREFIXES["rdfs"] + "label":
            preferred[iri].setdefault(lang, literal.value)
    return Labels(dict(preferred), dict(names))


def language() -> str:
    """?lang= if it names a language we have, else the best of Accept-Language, else English."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(list(LANGUAGES), default="en") or "en"


SERVED = ("id/", "graph/")  # the paths under the base IRI that this server answers, besides /ontology


def local_href(iri: str) -> str | None:
    """Where this server shows an IRI of ours, or None for outside IRIs (and ours it does not serve)."""
    base = context().settings.base_iri
    if not iri.startswith(base):
        return None
    path = iri[len(base):]
    if path.startswith(SERVED) or path == "ontology" or path.startswith("ontology#"):
        return "/" + path
    return None


def label(iri: str, lang: str | None = None) -> str:
    lang = lang or language()
    found = labels().get(iri, lang)
    if found:
        return found
    if iri.startswith(PREFIXES["unit"]):
        return UNITS.get(iri[len(PREFIXES["unit"]):], shorten(iri))
    return shorten(iri)


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None
    note: str = ""  # the datatype or language, in words
    external: bool = False


def value(term: ox.NamedNode | ox.Literal | ox.BlankNode, lang: str | None = None) -> Value:
    """A term as people read it: labels for IRIs, links for ours and for Wikidata or GeoNames,
    literals as written with their datatype named in words (never ^^xsd:gYear)."""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        href = local_href(iri)
        if href:
            return Value(label(iri, lang), href)
        if iri.startswith(WIKIDATA):
            return Value(f"Wikidata {iri[len(WIKIDATA):]}", iri, external=True)
        if iri.startswith(GEONAMES):
            return Value(f"GeoNames {iri[len(GEONAMES):].strip('/')}", iri, external=True)
        if iri.startswith(("http://", "https://")) and not iri.startswith(tuple(PREFIXES.values())):
            return Value(iri, iri, external=True)
        return Value(label(iri, lang))
    if isinstance(term, ox.Literal):
        kind = term.datatype.value
        # English is the pages' own language: only other languages are named.
        note = ("" if term.language == "en" else LANGUAGES.get(term.language, term.language) if term.language
                else DATATYPES.get(kind[len(XSD):], shorten(kind)) if kind.startswith(XSD) else shorten(kind))
        return Value(term.value, note="" if note == "text" else note)
    return Value(str(term))


def switch() -> list[tuple[str, str, str, bool]]:
    """The language switch: (code, name, href, current), each link keeping the path and the query."""
    current = language()
    out = []
    for code, name in LANGUAGES.items():
        args = request.args.to_dict(flat=False)
        args["lang"] = [code]
        out.append((code, name, f"{request.path}?{urlencode(args, doseq=True)}", code == current))
    return out


def register(app: Flask) -> None:
    """Every template sees the language, its switch and the label helpers."""
    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"lang": language(), "languages": switch(), "label_of": label}


def unit_labels() -> dict[str, str]:
    return {PREFIXES["unit"] + k: v for k, v in UNITS.items()}


"""Content negotiation: the one table of formats, from media types and format= names to
pyoxigraph's serializers and the W3C format IRIs.

Accept headers are honoured with q-values and wildcards; an explicit ``format=``
parameter wins. Anything we cannot produce is a 406 that lists what we can.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from ..errors import NotAcceptable

W3C = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    name: str  # short name for format=
    media_type: str
    extension: str
    engine: ox.RdfFormat | ox.QueryResultsFormat | None = None  # pyoxigraph's serializer
    w3c: str = ""  # the format's IRI, for service descriptions

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"  # every format served here is UTF-8 text


SOLUTIONS = (  # SELECT and ASK; the first is the default
    Format("json", "application/sparql-results+json", "srj", ox.QueryResultsFormat.JSON, W3C + "SPARQL_Results_JSON"),
    Format("xml", "application/sparql-results+xml", "srx", ox.QueryResultsFormat.XML, W3C + "SPARQL_Results_XML"),
    Format("csv", "text/csv", "csv", ox.QueryResultsFormat.CSV, W3C + "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV, W3C + "SPARQL_Results_TSV"),
)
GRAPHS = (  # CONSTRUCT and DESCRIBE; the first is the default
    Format("turtle", "text/turtle", "ttl", ox.RdfFormat.TURTLE, W3C + "Turtle"),
    Format("ntriples", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES, W3C + "N-Triples"),
    Format("rdfxml", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML, W3C + "RDF_XML"),
    Format("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD, W3C + "JSON-LD"),
    Format("trig", "application/trig", "trig", ox.RdfFormat.TRIG, W3C + "TriG"),
    Format("nquads", "application/n-quads", "nq", ox.RdfFormat.N_QUADS, W3C + "N-Quads"),
)
HTML = Format("html", "text/html", "html")
PAGES = (HTML, *GRAPHS)  # resource pages: HTML for people, RDF for machines
MESSAGES = (Format("text", "text/plain", "txt"), Format("json", "application/json", "json"))  # errors
LISTINGS = (HTML, MESSAGES[1])  # lists for people and for programs (the dumps)
BY_NAME = {f.name: f for f in (*SOLUTIONS, *GRAPHS)}
# Other names people use for the same formats.
ALIASES = {
    "application/json": "json",
    "text/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "srj": "json",
    "srx": "xml",
    "ttl": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "xml-rdf": "rdfxml",
    "rdf": "rdfxml",
    "json-ld": "jsonld",
    "nq": "nquads",
    "n-quads": "nquads",
    "text/plain": "ntriples",
}


def offered(form: str) -> tuple[Format, ...]:
    """Result formats for a query form: solutions for SELECT and ASK, graphs for the rest."""
    return SOLUTIONS if form in ("SELECT", "ASK") else GRAPHS


def parse_accept(header: str) -> list[tuple[str, float, int]]:
    """Return (media range, q, position) sorted by preference."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    # Most specific first among equal q: exact types beat type/* beat */*.
    return sorted(ranges, key=lambda r: (-r[1], r[0].count("*"), r[2]))


# Names that mean a graph format when the result is a graph (what Fuseki and DBpedia do with
# SPARQLWrapper's format=xml or format=json for CONSTRUCT).
GRAPH_ALIASES = {
    "xml": "rdfxml", "json": "jsonld", "n3": "turtle", "text/n3": "turtle", "rdf+xml": "rdfxml",
    "rdf xml": "rdfxml", "json-ld": "jsonld",
}


def _by_name(name: str, offered: tuple[Format, ...]) -> Format | None:
    name = name.lower()
    if offered and offered[0] in GRAPHS and name in GRAPH_ALIASES:
        name = GRAPH_ALIASES[name]
    name = ALIASES.get(name, name)
    for fmt in offered:
        if name in (fmt.name, fmt.media_type, fmt.extension):
            return fmt
    return None


def suffixed(path: str, offered: tuple[Format, ...]) -> tuple[str, Format | None]:
    """A document path and the format its suffix names: ("harbin", turtle) for "harbin.ttl";
    the path itself and None when the suffix names no offered format."""
    stem, dot, extension = path.rpartition(".")
    if dot and stem and "/" not in extension:
        for fmt in offered:
            if fmt.extension == extension.lower():
                return stem, fmt
    return path, None


def named(name: str) -> Format:
    """A result format by its short name (jobs carry the name across processes)."""
    return BY_NAME[name]


KNOWN = {n for f in (*SOLUTIONS, *GRAPHS) for n in (f.name, f.media_type, f.extension)} | set(ALIASES) | set(
    GRAPH_ALIASES)


def choose(offered: tuple[Format, ...], accept: str | None, format_param: str | tuple[str, ...] | None = None,
           ) -> Format:
    """A format parameter wins when it names a format this result can take. A known name it cannot
    take (turtle for SELECT, as SPARQLWrapper may send) is set aside for the Accept header, as
    DBpedia's Virtuoso does; an unknown name is a 406."""
    names = (format_param,) if isinstance(format_param, str) else tuple(format_param or ())
    return _chosen(tuple(offered), accept, tuple(n for n in names if n))


@lru_cache(maxsize=256)  # clients send the same few Accept headers: each is read once (errors are not kept)
def _chosen(offered: tuple[Format, ...], accept: str | None, names: tuple[str, ...]) -> Format:
    for name in names:
        chosen = _by_name(name, offered)
        if chosen is not None:
            return chosen
    unknown = [n for n in names if n.lower() not in KNOWN]
    if unknown:
        raise NotAcceptable(
            f"format={unknown[0]} is not available for this result; use one of " + ", ".join(f.name for f in offered)
        )
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    for media, q, _ in ranges:
        if q <= 0:
            continue
        if media in ("*/*", "*"):
            return offered[0]
        if media.endswith("/*"):
            major = media[:-1]
            for fmt in offered:
                if fmt.media_type.startswith(major):
                    return fmt
            continue
        fmt = _by_name(media, offered)
        if fmt is not None:
            return fmt
    raise NotAcceptable(
        "none of the accepted types can be produced; available: " + ", ".join(f.media_type for f in offered)
    )

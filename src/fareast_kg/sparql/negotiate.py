"""Content negotiation: one table from media types and format= names to serializers.

Accept headers are honoured with q-values and wildcards; an explicit ``format=``
parameter wins. Anything we cannot produce is a 406 that lists what we can.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NotAcceptable


@dataclass(frozen=True)
class Format:
    name: str  # short name for format=
    media_type: str
    extension: str


SOLUTIONS = (  # SELECT and ASK; the first is the default
    Format("json", "application/sparql-results+json", "srj"),
    Format("xml", "application/sparql-results+xml", "srx"),
    Format("csv", "text/csv", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv"),
)
GRAPHS = (  # CONSTRUCT and DESCRIBE; the first is the default
    Format("turtle", "text/turtle", "ttl"),
    Format("ntriples", "application/n-triples", "nt"),
    Format("rdfxml", "application/rdf+xml", "rdf"),
    Format("jsonld", "application/ld+json", "jsonld"),
    Format("trig", "application/trig", "trig"),
    Format("nquads", "application/n-quads", "nq"),
)
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


def _by_name(name: str, offered: tuple[Format, ...]) -> Format | None:
    name = ALIASES.get(name.lower(), name.lower())
    for fmt in offered:
        if name in (fmt.name, fmt.media_type, fmt.extension):
            return fmt
    return None


def choose(offered: tuple[Format, ...], accept: str | None, format_param: str | None = None) -> Format:
    if format_param:
        chosen = _by_name(format_param, offered)
        if chosen is None:
            raise NotAcceptable(
                f"format={format_param} is not available for this result; use one of "
                + ", ".join(f.name for f in offered)
            )
        return chosen
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

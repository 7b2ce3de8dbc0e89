"""RDF documents for the linked-data routes (/id/…, /graph/…, /ontology, /.well-known/void).

One way to pick the format: a suffix (``/id/harbin.ttl``) names it; otherwise ``format=``,
then ``Accept`` (``sparql.negotiate``). Every document says which dataset it belongs to
(``void:inDataset``, in the default graph for TriG and N-Quads) and every response links,
in its ``Link`` header, to its other formats, the dataset description and the SPARQL endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from flask import Response, request, url_for

from ..namespaces import DATASET, VOID
from ..sparql import negotiate, writer
from ..sparql.negotiate import Format

IN_DATASET = ox.NamedNode(VOID + "inDataset")
SPARQL_ENDPOINT_REL = "http://www.w3.org/ns/sparql-service-description#endpoint"


def split(path: str, offered: tuple[Format, ...]) -> tuple[str, Format | None]:
    """The path without a format suffix, and the format the suffix names (None without one)."""
    return negotiate.suffixed(path, offered)


def choose(offered: tuple[Format, ...], suffix: Format | None = None) -> Format:
    """The suffix's format, else format=, else Accept."""
    if suffix is not None:
        return suffix
    return negotiate.choose(offered, request.headers.get("Accept"), request.args.getlist("format"))


def alternates(stem: str, offered: tuple[Format, ...]) -> dict[Format, str]:
    """The URL of each format of the document at ``stem`` (a path): ``stem.ext``."""
    root = request.host_url.rstrip("/")
    return {fmt: f"{root}{stem}.{fmt.extension}" for fmt in offered}


def links(others: dict[Format, str], served: Format, *, described: bool = True) -> str:
    """The Link header: the other formats, the dataset description (unless this is it), the SPARQL endpoint."""
    parts = [f'<{url}>; rel="alternate"; type="{fmt.media_type}"' for fmt, url in others.items() if fmt != served]
    if described:
        parts.append(f'<{url_for("void", _external=True)}>; rel="describedby"; type="text/turtle"')
    parts.append(f'<{url_for("sparql", _external=True)}>; rel="service {SPARQL_ENDPOINT_REL}"; type="text/turtle"')
    return ", ".join(parts)


def document(statements: Iterable[ox.Quad | ox.Triple], fmt: Format, others: dict[Format, str], *,
             about: str | None = None) -> Response:
    """An RDF document; ``about`` (the IRI it describes) gets ``void:inDataset`` the dataset."""
    items: list[ox.Quad | ox.Triple] = list(statements)
    if about is not None:
        items.append(ox.Triple(ox.NamedNode(about), IN_DATASET, ox.NamedNode(DATASET)))
    return body(writer.write(items, fmt), fmt, others)


def body(data: bytes, fmt: Format, others: dict[Format, str], *, described: bool = True) -> Response:
    response = Response(data, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = links(others, fmt, described=described)
    return response


def page(html: str, others: dict[Format, str]) -> Response:
    """An HTML page of a document that also exists as RDF: the same Link header."""
    return body(html.encode("utf-8"), negotiate.HTML, others)

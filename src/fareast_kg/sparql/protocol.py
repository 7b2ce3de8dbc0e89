"""The SPARQL 1.1 Protocol's three ways to send a query, read without Flask.

GET with ``query=``, POST with a form body, and POST with ``application/sparql-query``.
Dataset parameters (``default-graph-uri``, ``named-graph-uri``) work in all three.
Updates in any form are refused: the endpoint is read-only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

import pyoxigraph as ox

from ..errors import BadRequest, UnsupportedMediaType, UpdateRefused

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"

Params = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class SparqlRequest:
    query: str | None  # None: no query, so the client gets the service description
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    infer: bool
    timeout: float | None
    format: tuple[str, ...]  # format=, output= and results=, in that order (clients send synonyms)
    max_rows: int | None = None


def _one(params: Params, name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        if name == "query":
            raise BadRequest("two queries in one request: send exactly one query parameter")
        raise BadRequest(f"the parameter {name} is given {len(values)} times; give it once")
    return values[0] if values else None


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the {what} is not UTF-8 (invalid byte at position {exc.start})") from None


def _parse_form(body: bytes) -> dict[str, list[str]]:
    text = _decode(body, "form body")
    try:
        return parse_qs(text)
    except UnicodeDecodeError:
        raise BadRequest("the form body is not UTF-8 once percent-decoded") from None


def _parse_query_string(raw: bytes) -> dict[str, list[str]]:
    # Some clients send UTF-8 unescaped in the URL; accept it, as long as it is UTF-8.
    try:
        return parse_qs(raw.decode("utf-8", "strict"))
    except UnicodeDecodeError:
        raise BadRequest("the query string is not UTF-8") from None


def parse_qs(text: str) -> dict[str, list[str]]:
    """``urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict")``, with each line
    of a value decoded once and remembered: clients send the same PREFIX lines every time."""
    params: dict[str, list[str]] = {}
    for pair in text.split("&"):
        if pair:
            name, _, value = pair.partition("=")
            params.setdefault(_unquote(name), []).append(_unquote(value))
    return params


# Clients send the same PREFIX and BASE lines before every query: the last few such heads are
# remembered whole, raw and decoded, so a query that starts with one decodes only its own lines.
REMEMBERED_HEAD = 8192
RECENT_HEADS = 8
_DECLARATION = re.compile(r"[ \t]*(?:PREFIX|BASE)\b", re.IGNORECASE)
_heads: tuple[tuple[str, str], ...] = ()


def _unquote(text: str) -> str:
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    # Exact: %0A is always a whole escape (a literal % is sent as %25), and a line feed is
    # never part of a longer UTF-8 sequence, so the lines decode alone as they do together.
    for raw, decoded in _heads:
        if text.startswith(raw):
            return decoded + "\n".join(_unquote_lines(text[len(raw):].split("%0A")))
    lines = text.split("%0A")
    parts = _unquote_lines(lines)
    _keep_head(lines, parts)
    return "\n".join(parts)


def _unquote_lines(lines: list[str]) -> list[str]:
    # Long lines are not remembered: they would hold memory.
    return [_unquote_line(line) if len(line) <= 512 else unquote(line, errors="strict") for line in lines]


def _keep_head(lines: list[str], parts: list[str]) -> None:
    """Remember the leading PREFIX and BASE lines of a value, when it has some and more."""
    global _heads  # replaced whole, so a thread reading it sees the old tuple or the new one
    count = 0
    while count < len(parts) - 1 and _DECLARATION.match(parts[count]):
        count += 1
    raw = "%0A".join(lines[:count]) + "%0A"
    if count and len(raw) <= REMEMBERED_HEAD and all(raw != known for known, _ in _heads):
        _heads = ((raw, "\n".join(parts[:count]) + "\n"), *_heads[:RECENT_HEADS - 1])


@lru_cache(maxsize=256)
def _unquote_line(text: str) -> str:
    return unquote(text, errors="strict")


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    parts = [p.strip() for p in content_type.split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p[8:].strip('"').lower()
    return parts[0].lower(), charset


def _flag(params: Params, name: str, default: bool) -> bool:
    value = _one(params, name)
    if value is None or value == "":
        return default
    if value.lower() in ("true", "1", "yes", "on"):
        return True
    if value.lower() in ("false", "0", "no", "off"):
        return False
    raise BadRequest(f"{name}={value} is not a boolean; use true or false")


def _timeout(params: Params) -> float | None:
    value = _one(params, "timeout")
    if value is None or value == "":
        return None
    try:
        seconds = float(value)
    except ValueError:
        raise BadRequest(f"timeout={value[:40]} is not a number of seconds") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise BadRequest(f"timeout={value[:40]} is not a positive, finite number of seconds")
    return seconds


def _max_rows(params: Params) -> int | None:
    value = _one(params, "max-rows")
    if value is None or value == "":
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 12 or int(value) == 0:
        raise BadRequest(f"max-rows={value[:40]} is not a positive whole number")
    return int(value)


def iri(value: str, what: str) -> ox.NamedNode:
    """An IRI the client sent; one 400 line if it is not an absolute IRI."""
    try:
        return ox.NamedNode(value)
    except ValueError:
        raise BadRequest(f"{what} {value[:80]!r} is not a valid IRI") from None


def graph_iris(values: Sequence[str], name: str) -> tuple[str, ...] | None:
    """Dataset graph names must be absolute IRIs; anything else is the client's mistake."""
    for value in values:
        iri(value, name)
    return tuple(values) or None


def parse(method: str, query_string: bytes, content_type: str | None, body: bytes) -> SparqlRequest:
    url = _parse_query_string(query_string)
    if "update" in url:
        raise UpdateRefused("the endpoint is read-only: SPARQL Update is not accepted")
    if method in ("GET", "HEAD"):
        params: Params = url
        query = _one(url, "query")
    elif method == "POST":
        media, charset = _media_type(content_type)
        if media == FORM:
            form = _parse_form(body)
            if "update" in form:
                raise UpdateRefused("the endpoint is read-only: SPARQL Update is not accepted")
            if "query" in form and "query" in url:
                raise BadRequest("two queries in one request: send the query in the body or the URL, not both")
            params = {**url, **form}
            query = _one(params, "query")
            if query is None:
                raise BadRequest("the form body has no query parameter")
        elif media == DIRECT:
            if charset not in (None, "utf-8", "utf8"):
                raise UnsupportedMediaType(f"charset={charset} is not supported; send UTF-8")
            if "query" in url:
                raise BadRequest("two queries in one request: a direct POST carries the query in its body")
            params = url
            query = _decode(body, "query")
        elif media == UPDATE:
            raise UpdateRefused("the endpoint is read-only: SPARQL Update is not accepted")
        elif not media:
            raise UnsupportedMediaType(f"a POST needs a Content-Type: {FORM} or {DIRECT}")
        else:
            raise UnsupportedMediaType(f"Content-Type {media} is not accepted; use {FORM} or {DIRECT}")
    else:
        raise BadRequest(f"method {method} is not supported")  # routing answers 405 before this
    if query is not None and (not query or query.isspace()):
        raise BadRequest("the query is empty")
    default = graph_iris(params.get("default-graph-uri", []), "default-graph-uri")
    named = graph_iris(params.get("named-graph-uri", []), "named-graph-uri")
    return SparqlRequest(
        query=query,
        default_graphs=default,
        named_graphs=named,
        infer=_flag(params, "infer", True),
        timeout=_timeout(params),
        format=tuple(v for name in ("format", "output", "results") for v in params.get(name, []) if v),
        max_rows=_max_rows(params),
    )

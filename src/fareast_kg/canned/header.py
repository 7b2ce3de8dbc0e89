"""Canned queries: ``queries/*.rq`` files, each with a header that documents it.

This module reads the files; ``params`` types the parameters, ``jobs`` turns a request into
a job, and ``publish`` describes the queries in RDF for the build.

A header is a block of comment lines at the top of the file::

    # title: Agreements between two parties
    # description: Which agreements did the two parties sign or adopt, and when?
    # tags: agreements, chronology
    # view: timeline
    # param: first iri default=id:china -- one party
    # param: places iri list default=id:harbin,id:vladivostok -- several places

Parameters bind query variables of the same name, through pyoxigraph substitutions
(single values) or a VALUES block placed before the query body (lists); user input
never becomes query text. The registry is read once and never changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NotFound, SourceError
from ..sparql.lexer import FORMS, UPDATE_KEYWORDS, LexError, tokenize
from .params import TYPES, Param

VIEWS = ("table", "timeline", "map", "chart", "graph")
_HEADER = re.compile(r"^#\s*(title|description|tags|view|param):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?P<flags>(?:\s+(?:list|default=\S+))*)\s*(?:--\s*(?P<doc>.*))?$"
)


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    text: str
    form: str
    tags: tuple[str, ...] = ()
    view: str = "table"
    params: tuple[Param, ...] = field(default=())


def _form(text: str) -> str:
    """The query form, from the grammar's tokens; a canned query may not federate or update."""
    try:
        words = [t.text.upper() for t in tokenize(text) if t.kind == "keyword"]
    except LexError as exc:
        raise SourceError(f"syntax error: {exc}") from None
    if "SERVICE" in words:
        raise SourceError("canned queries may not use SERVICE")
    form = next((w for w in words if w in FORMS or w in UPDATE_KEYWORDS), "")
    if form not in FORMS:
        raise SourceError("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    return form


def parse_query_file(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            pm = _PARAM.match(value)
            if pm is None or pm.group("type") not in TYPES:
                raise SourceError(f"{path.name}: cannot read the parameter line {value!r}; types: {', '.join(TYPES)}")
            flags = pm.group("flags").split()
            default = next((f[8:] for f in flags if f.startswith("default=")), None)
            params.append(Param(pm.group("name"), pm.group("type"), default, "list" in flags, pm.group("doc") or ""))
        else:
            meta[key] = value
    for required in ("title", "description"):
        if not meta.get(required):
            raise SourceError(f"{path.name}: the header needs a '# {required}:' line")
    view = meta.get("view", "table")
    if view not in VIEWS:
        raise SourceError(f"{path.name}: view {view!r} is not one of {', '.join(VIEWS)}")
    try:
        form = _form(text)
    except SourceError as exc:
        raise SourceError(f"{path.name}: {exc}") from None
    projection = text[text.upper().find("SELECT"):text.find("{")] if form == "SELECT" else ""
    for param in params:
        # pyoxigraph substitutes only projected variables; lists go in a VALUES block instead.
        if form == "SELECT" and not param.many and f"?{param.name}" not in projection and "*" not in projection:
            raise SourceError(f"{path.name}: the parameter ?{param.name} must be in the SELECT projection")
    tags = tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip())
    return CannedQuery(path.stem, meta["title"], meta["description"], text, form, tags, view, tuple(params))


class Registry:
    """All canned queries, read once at start-up."""

    def __init__(self, directory: Path) -> None:
        files = sorted(directory.glob("*.rq")) if directory.is_dir() else []
        self.queries: dict[str, CannedQuery] = {q.name: q for q in map(parse_query_file, files)}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> CannedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise NotFound(f"there is no canned query named {name}") from None

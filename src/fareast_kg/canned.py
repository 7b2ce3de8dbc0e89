"""Canned queries: ``queries/*.rq`` files, each with a header that documents it.

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
from datetime import date
from pathlib import Path

from .errors import BadRequest, NotFound, SourceError
from .namespaces import BASE, ID, PREFIXES
from .sparql.execute import Job, Term
from .sparql.guard import check

TYPES = ("iri", "date", "year", "language", "string", "integer")
VIEWS = ("table", "timeline", "map", "chart", "graph")
XSD = PREFIXES["xsd"]
_HEADER = re.compile(r"^#\s*(title|description|tags|view|param):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?P<flags>(?:\s+(?:list|default=\S+))*)\s*(?:--\s*(?P<doc>.*))?$"
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None = None
    many: bool = False
    description: str = ""

    def parse(self, raw: str) -> Term:
        """Validate one value against the declared type and return it as a term."""
        raw = raw.strip()
        kind = self.type
        try:
            if kind == "iri":
                iri = ID + raw[3:] if raw.startswith("id:") else raw
                if not iri.startswith(BASE) or not re.fullmatch(r"[A-Za-z0-9/_.#-]+", iri[len(BASE):]):
                    raise ValueError
                return ("iri", iri)
            if kind == "date":
                date.fromisoformat(raw)
                return ("literal", raw, XSD + "date", "")
            if kind == "year":
                if not re.fullmatch(r"\d{4}", raw):
                    raise ValueError
                return ("literal", raw, XSD + "gYear", "")
            if kind == "language":
                if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", raw):
                    raise ValueError
                return ("literal", raw.lower(), XSD + "string", "")
            if kind == "integer":
                return ("literal", str(int(raw)), XSD + "integer", "")
            return ("literal", raw, XSD + "string", "")
        except ValueError:
            expected = {
                "iri": f"an IRI in {ID} (or id:slug)",
                "date": "a date as YYYY-MM-DD",
                "year": "a year as YYYY",
                "language": "a language tag such as en or zh",
                "integer": "an integer",
            }.get(kind, kind)
            raise BadRequest(f"parameter {self.name}={raw!r} is not {expected}") from None


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

    def bind(self, given: dict[str, list[str]]) -> tuple[str, tuple[tuple[str, Term], ...]]:
        """Validate parameters; return the query text (with VALUES for lists) and the substitutions."""
        unknown = sorted(set(given) - {p.name for p in self.params})
        if unknown:
            raise BadRequest(f"{self.name} has no parameter {', '.join(unknown)}")
        substitutions: list[tuple[str, Term]] = []
        values_blocks: list[str] = []
        for param in self.params:
            raws = [v for value in given.get(param.name, []) for v in (value.split(",") if param.many else [value])]
            if not raws and param.default is not None:
                raws = param.default.split(",") if param.many else [param.default]
            if not raws:
                raise BadRequest(f"{self.name} needs the parameter {param.name} ({param.type})")
            if len(raws) > 1 and not param.many:
                raise BadRequest(f"parameter {param.name} takes one value")
            terms = [param.parse(raw) for raw in raws]
            if param.many:
                values_blocks.append(f"VALUES ?{param.name} {{ {' '.join(_term_text(t) for t in terms)} }}")
            else:
                substitutions.append((param.name, terms[0]))
        return _with_values(self.text, values_blocks), tuple(substitutions)


    def job(self, given: dict[str, list[str]], fmt: str, dataset: tuple, limit: int) -> Job:  # type: ignore[type-arg]
        text, substitutions = self.bind(given)
        default, named = dataset
        return Job(text, self.form, fmt, default, named, limit, substitutions)


    def example(self) -> str:
        """The query with every parameter at its default, ready to run anywhere (the UI's tabs)."""
        blocks = []
        for param in self.params:
            if param.default is None:
                continue
            raws = param.default.split(",") if param.many else [param.default]
            blocks.append(f"VALUES ?{param.name} {{ {' '.join(_term_text(param.parse(r)) for r in raws)} }}")
        return _with_values(self.text, blocks)

    def triples(self, base: str = BASE) -> list[tuple[str, str, object]]:
        """The query described in RDF (SHACL executables and schema.org), as (s, p, o) with o an IRI or str."""
        sh, schema, rdf = "http://www.w3.org/ns/shacl#", "https://schema.org/", PREFIXES["rdf"]
        me = f"{base}id/query/{self.name}"
        kind = {"SELECT": "SPARQLSelectExecutable", "CONSTRUCT": "SPARQLConstructExecutable",
                "ASK": "SPARQLAskExecutable", "DESCRIBE": "SPARQLExecutable"}[self.form]
        body = {"SELECT": "select", "CONSTRUCT": "construct", "ASK": "ask"}.get(self.form, "select")
        out: list[tuple[str, str, object]] = [
            (me, rdf + "type", ("iri", sh + kind)),
            (me, rdf + "type", ("iri", schema + "SoftwareSourceCode")),
            (me, PREFIXES["rdfs"] + "label", self.title),
            (me, schema + "name", self.name),
            (me, schema + "description", self.description),
            (me, schema + "programmingLanguage", "SPARQL"),
            (me, schema + "url", ("iri", f"{base}api/queries/{self.name}")),
            (me, f"{base}ontology#view", self.view),
            (me, sh + body, self.text),
        ]
        out += [(me, schema + "keywords", tag) for tag in self.tags]
        for param in self.params:
            node = f"{me}/param/{param.name}"
            out += [
                (me, sh + "parameter", ("iri", node)),
                (node, rdf + "type", ("iri", sh + "Parameter")),
                (node, sh + "path", ("iri", f"{me}/param/{param.name}")),
                (node, sh + "name", param.name),
                (node, sh + "description", param.description or param.name),
                (node, schema + "valueRequired", "false" if param.default is not None else "true"),
                (node, f"{base}ontology#parameterType", param.type + (" list" if param.many else "")),
            ]
            if param.default is not None:
                out.append((node, sh + "defaultValue", param.default))
        return out


def _term_text(term: Term) -> str:
    """A validated term written as SPARQL (IRIs and literals were checked by Param.parse)."""
    if term[0] == "iri":
        return f"<{term[1]}>"
    _, value, datatype, _lang = term
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"^^<{datatype}>'


def _with_values(text: str, blocks: list[str]) -> str:
    """Put VALUES blocks first inside the outermost WHERE group."""
    if not blocks:
        return text
    match = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    if match is None:
        raise SourceError("a query with list parameters needs an explicit WHERE clause")
    return text[: match.end()] + "\n  " + "\n  ".join(blocks) + text[match.end():]


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
        form = check(text).form
    except Exception as exc:
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

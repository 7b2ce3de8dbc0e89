"""From a request to a job: parameters checked and bound, never spliced as text.

Single values become pyoxigraph substitutions; lists become a VALUES block of validated
terms placed first inside the outermost WHERE group.
"""

from __future__ import annotations

import re

from ..errors import BadRequest, SourceError
from ..sparql.execute import Job
from ..sparql.terms import Term, render
from .header import CannedQuery


def bind(query: CannedQuery, given: dict[str, list[str]]) -> tuple[str, tuple[tuple[str, Term], ...]]:
    """Validate parameters; return the query text (with VALUES for lists) and the substitutions."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        raise BadRequest(f"{query.name} has no parameter {', '.join(unknown)}")
    substitutions: list[tuple[str, Term]] = []
    values_blocks: list[str] = []
    for param in query.params:
        raws = [v for value in given.get(param.name, []) for v in (value.split(",") if param.many else [value])]
        if not raws and param.default is not None:
            raws = param.default.split(",") if param.many else [param.default]
        if not raws:
            raise BadRequest(f"{query.name} needs the parameter {param.name} ({param.type})")
        if len(raws) > 1 and not param.many:
            raise BadRequest(f"parameter {param.name} takes one value")
        terms = [param.parse(raw) for raw in raws]
        if param.many:
            values_blocks.append(f"VALUES ?{param.name} {{ {' '.join(render(t) for t in terms)} }}")
        else:
            substitutions.append((param.name, terms[0]))
    return _with_values(query.text, values_blocks), tuple(substitutions)


def job(query: CannedQuery, given: dict[str, list[str]], fmt: str, dataset: tuple, limit: int) -> Job:  # type: ignore[type-arg]
    text, substitutions = bind(query, given)
    default, named = dataset
    return Job(text, query.form, fmt, default, named, limit, substitutions)


def example(query: CannedQuery) -> str:
    """The query with every parameter at its default, ready to run anywhere (the UI's tabs)."""
    blocks = []
    for param in query.params:
        if param.default is None:
            continue
        raws = param.default.split(",") if param.many else [param.default]
        blocks.append(f"VALUES ?{param.name} {{ {' '.join(render(param.parse(r)) for r in raws)} }}")
    return _with_values(query.text, blocks)


def _with_values(text: str, blocks: list[str]) -> str:
    """Put VALUES blocks first inside the outermost WHERE group."""
    if not blocks:
        return text
    match = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    if match is None:
        raise SourceError("a query with list parameters needs an explicit WHERE clause")
    return text[: match.end()] + "\n  " + "\n  ".join(blocks) + text[match.end():]

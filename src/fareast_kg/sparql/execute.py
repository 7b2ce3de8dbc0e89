"""Run a checked query against a pyoxigraph store and serialize the result.

``run`` is the whole query path; the isolated executor calls it in a child process
so that a query past its time limit can be killed (pyoxigraph cannot cancel one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import pyoxigraph as ox

from ..errors import BadQuery
from ..namespaces import PREFIXES
from . import lexer, native, results
from .guard import Checked
from .terms import Term

PREDECLARED = tuple(PREFIXES.items())  # the prefixes every query may use without declaring them


@dataclass(frozen=True)
class Job:
    query: str
    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE
    fmt: str  # a short format name from negotiate
    default_graphs: tuple[str, ...] | None  # None: the query's own FROM clauses decide
    named_graphs: tuple[str, ...] | None
    limit: int = 10000
    substitutions: tuple[tuple[str, Term], ...] = ()
    # Predeclared for every query; a query's own PREFIX lines override them.
    prefixes: tuple[tuple[str, str], ...] = field(default=PREDECLARED, compare=False, repr=False)
    base_iri: str | None = None  # relative IRIs in a query resolve against the endpoint
    federated: bool = False  # SERVICE to allow-listed endpoints: runs where the network is reachable
    bounded: bool = False  # its cost is bounded by its answers (``bounded``): no child needed
    # What the engine parses, when the endpoint worked it out (``web.sparql.plan``): the prefixes
    # the query uses, and the length of its opening PREFIX lines, given as those prefixes instead.
    engine_prefixes: tuple[tuple[str, str], ...] | None = field(default=None, compare=False, repr=False)
    prologue: int = field(default=0, compare=False, repr=False)


@lru_cache(maxsize=64)
def _nodes(iris: tuple[str, ...]) -> list[ox.NamedNode]:
    """The same few datasets come with every query; build their graph names once."""
    return [ox.NamedNode(iri) for iri in iris]


def _graph_names(iris: tuple[str, ...]) -> list[ox.NamedNode]:
    # A client may name thousands of graphs: such a list is built each time, not remembered.
    return _nodes(iris) if sum(map(len, iris)) <= 16_384 else [ox.NamedNode(iri) for iri in iris]


def _term(term: Term) -> ox.NamedNode | ox.Literal:
    if term[0] == "iri":
        return ox.NamedNode(term[1])
    _, value, datatype, language = term
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def engine_text(query: str, checked: Checked) -> Mapping[str, Any]:
    """Less for the engine to parse, the same query: only the prefixes it uses, and its opening
    PREFIX lines (when ``lexer.declared`` allows) given as predeclared prefixes, not as text."""
    return _engine_text(query[:checked.prologue], checked.prefixes)


@lru_cache(maxsize=64)  # a prologue is at most lexer.REMEMBERED_PROLOGUE long
def _engine_text(prologue: str, used: frozenset[str]) -> Mapping[str, Any]:
    declared = lexer.declared(prologue) if prologue else None
    known = {**PREFIXES, **dict(declared or ())}
    return MappingProxyType({"engine_prefixes": tuple((name, known[name]) for name in sorted(used) if name in known),
                             "prologue": len(prologue) if declared is not None else 0})


def run(store: ox.Store, job: Job, max_bytes: int = results.UNLIMITED) -> results.Serialized:
    prefixes = job.prefixes if job.engine_prefixes is None else job.engine_prefixes
    kwargs: dict[str, object] = {"prefixes": dict(prefixes), "base_iri": job.base_iri}
    text = job.query
    if job.prologue:  # only its line breaks stay, so that syntax errors keep their line numbers
        text = "\n" * text.count("\n", 0, job.prologue) + text[job.prologue:]
    if job.default_graphs is not None:
        kwargs["default_graph"] = _graph_names(job.default_graphs)
    if job.named_graphs is not None:
        kwargs["named_graphs"] = _graph_names(job.named_graphs)
    if job.substitutions:
        kwargs["substitutions"] = {ox.Variable(name): _term(term) for name, term in job.substitutions}
    try:
        outcome = store.query(text, **kwargs)
        if isinstance(outcome, ox.QuerySolutions) and job.fmt == "json":
            whole = native.whole_json(outcome, job.limit, max_bytes)
            if whole is not None:
                return whole
            outcome = store.query(text, **kwargs)  # past a cap: written again row by row, and cut
        if isinstance(outcome, ox.QuerySolutions):
            return results.select(outcome, job.fmt, job.limit, max_bytes)
        if isinstance(outcome, ox.QueryBoolean):
            return results.ask(outcome, job.fmt)
        return results.graph(outcome, job.fmt, job.limit, dict(job.prefixes), max_bytes)
    except SyntaxError as exc:
        raise BadQuery(syntax_message(str(exc))) from None
    except RecursionError:
        raise BadQuery("the query nests too deeply to evaluate") from None
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        # Evaluation errors (a SERVICE failure, a bad IRI in VALUES) are the query's fault.
        raise BadQuery(f"the query failed: {_first_line(str(exc))}") from None


_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def syntax_message(text: str) -> str:
    """pyoxigraph lists every expected character class; keep the position and the gist."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    match = _POSITION.match(first)
    where = f" at line {match.group(1)}, column {match.group(2)}" if match else ""
    rest = first[match.end():] if match else first
    if "Prefix not found" in rest:
        gist = "undeclared prefix"
    elif rest.startswith("expected one of"):
        gist = "unexpected character or end of query"
    else:
        gist = rest[:200]
    return f"syntax error{where}: {gist}"


def _first_line(text: str) -> str:
    # Never echo a remote body or a long engine dump to the client.
    line = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return line[:300]

"""Rewrite a screened query for an engine that knows nothing of our jobs.

A remote engine gets plain SPARQL text: the predeclared prefixes and BASE go in front,
bound variables become constants, and (for engines that need it) the dataset becomes
FROM / FROM NAMED clauses. Every rewrite works on the lexer's exact terminals, so a
``?x`` inside a string or comment is never touched, and values are written as
escaped SPARQL terms, never spliced as raw text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import pyoxigraph as ox

from ..errors import BadQuery
from ..sparql.lexer import FORMS, Token, tokenize
from ..sparql.terms import Term, iri, render

_MODIFIERS = {"GROUP", "ORDER", "LIMIT", "OFFSET", "HAVING", "VALUES"}
Edit = tuple[int, int, str]  # replace text[start:end] with the string


def as_term(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> Term:
    """A pyoxigraph term as the job's tuple form."""
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value if not term.language else "", term.language or "")
    raise BadQuery("a blank node cannot be bound in a query sent to a remote engine")


@lru_cache(maxsize=64)  # the same few sets of prefixes and bases come with every query
def prologue(prefixes: tuple[tuple[str, str], ...], base_iri: str | None) -> str:
    """Declarations put in front; the query's own PREFIX lines come later and win."""
    head = f"BASE {iri(base_iri)}\n" if base_iri else ""
    return head + "".join(f"PREFIX {name}: {iri(ns)}\n" for name, ns in prefixes)


def _apply(text: str, edits: list[Edit]) -> str:
    out, pos = [], 0
    for start, end, new in sorted(edits):
        out += [text[pos:start], new]
        pos = end
    return "".join(out) + text[pos:]


def _depth_step(tok: Token) -> int:
    if tok.kind == "punct" and tok.text in "({[":
        return 1
    if tok.kind == "punct" and tok.text in ")}]":
        return -1
    return 0


def inline(query: str, substitutions: Mapping[str, Term]) -> str:
    """Replace each bound variable by its value, as pyoxigraph's substitutions bind it.

    In a SELECT projection ``?v`` becomes ``(<value> AS ?v)`` so the column stays; in
    GROUP BY and ORDER BY it becomes ``(<value>)``, since a bare constant is not a
    condition there; everywhere else the bare value.
    """
    if not substitutions:
        return query
    toks = tokenize(query)
    values = {name: render(term) for name, term in substitutions.items()}
    edits: list[Edit] = []
    clause = ""  # "select" (projection), "modifier" (GROUP/ORDER BY), "values" or ""
    depth = 0  # bracket depth relative to where the clause started
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "keyword" else ""
        if word == "SELECT":
            clause, depth = "select", 0
            continue
        if word in ("GROUP", "ORDER"):
            clause, depth = "modifier", 0
            continue
        if word == "VALUES":
            clause, depth = "values", 0
            continue
        if clause and depth == 0 and (word in ("WHERE", "FROM", "LIMIT", "OFFSET", "HAVING")
                                      or (tok.kind == "punct" and tok.text in "{}" and clause != "values")):
            clause = ""
        if clause == "values" and tok.kind == "punct" and tok.text == "{":
            clause = ""
        depth += _depth_step(tok)
        if tok.kind != "var" or tok.text[1:] not in values:
            continue
        name, value = tok.text[1:], values[tok.text[1:]]
        after_as = i > 0 and toks[i - 1].is_keyword("AS")
        if clause == "values" or after_as:
            raise BadQuery(f"?{name} is bound, so it cannot be assigned by VALUES, BIND or AS")
        if clause == "select" and depth == 0:
            new = f"({value} AS ?{name})"
        elif clause == "modifier" and depth == 0:
            new = f"({value})"
        else:
            new = value
        edits.append((tok.position, tok.position + len(tok.text), new))
    edits += _expand_star(toks, values)
    return _apply(query, edits)


def _expand_star(toks: list[Token], values: Mapping[str, str]) -> list[Edit]:
    """``SELECT *`` of a query with bound variables: every variable of the query, the bound ones
    as ``(term AS ?v)``, so the engine returns the columns pyoxigraph would."""
    selects = [i for i, t in enumerate(toks) if t.is_keyword("SELECT")]
    if not selects:
        return []
    i = selects[0]
    nxt = toks[i + 2] if i + 1 < len(toks) and toks[i + 1].kind == "keyword" and i + 2 < len(toks) else toks[i + 1]
    if not (nxt.kind == "punct" and nxt.text == "*"):
        return []
    if len(selects) > 1:
        raise BadQuery(f"SELECT * with a subquery cannot keep the bound {', '.join('?' + v for v in values)}; "
                       "list the columns")
    names = list(dict.fromkeys(t.text[1:] for t in toks if t.kind == "var"))
    columns = " ".join(f"({values[n]} AS ?{n})" if n in values else f"?{n}" for n in names)
    return [(nxt.position, nxt.position + 1, columns)]


def _dataset_slot(toks: list[Token]) -> int:
    """Index of the token before which FROM clauses belong (len(toks) for a bare DESCRIBE)."""
    start = next((i for i, t in enumerate(toks) if t.kind == "keyword" and t.text.upper() in FORMS), None)
    if start is None:
        raise BadQuery("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    form = toks[start].text.upper()
    i = start + 1
    if form == "ASK":
        return i
    if form == "CONSTRUCT" and i < len(toks) and toks[i].text == "{":
        depth = 0
        while i < len(toks):
            depth += _depth_step(toks[i])
            i += 1
            if depth == 0:
                return i
        return i
    depth = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.upper() if tok.kind == "keyword" else ""
        if depth == 0 and (word in ("FROM", "WHERE") or word in _MODIFIERS or tok.text == "{"):
            return i
        depth += _depth_step(tok)
        i += 1
    return i


def with_dataset(query: str, default: Iterable[str], named: Iterable[str]) -> str:
    """The query with its own FROM clauses replaced by the given dataset."""
    toks = tokenize(query)
    slot = _dataset_slot(toks)
    edits: list[Edit] = []
    i = slot
    while i < len(toks) and toks[i].is_keyword("FROM"):
        j = i + 2 if i + 1 < len(toks) and toks[i + 1].is_keyword("NAMED") else i + 1
        last = toks[min(j, len(toks) - 1)]
        edits.append((toks[i].position, last.position + len(last.text), ""))
        i = j + 1
    clauses = [f"FROM {iri(g)}" for g in default] + [f"FROM NAMED {iri(g)}" for g in named]
    at = toks[slot].position if slot < len(toks) else len(query)
    edits.append((at, at, "\n" + "\n".join(clauses) + "\n"))
    return _apply(query, edits)

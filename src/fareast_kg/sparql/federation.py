"""Where a query's SERVICE clauses would send it, resolved exactly as oxigraph resolves them.

Every SERVICE keyword token is a SERVICE clause: in SPARQL a bare word is always a
keyword, and the lexer splits text exactly as the grammar does. The endpoint after it
is an IRI (relative ones resolve against BASE or the endpoint), a prefixed name, or a
variable. Names are resolved by oxigraph's own parser on an empty in-memory store, so
escapes, ``BASE`` and dot segments come out the way the engine would see them. A
variable counts only when VALUES or BIND give it constant IRIs and nothing else binds it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ..errors import ServiceRefused
from .lexer import Token

# One message for every refused or failed federation: it must not reveal whether a host or port exists.
REFUSED = "SERVICE is refused: federated queries may only reach the endpoints this server allows"


def _prologue(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i].is_keyword("BASE") and i + 1 < len(tokens):
            parts += ["BASE", tokens[i + 1].text]
            i += 2
        elif tokens[i].is_keyword("PREFIX") and i + 2 < len(tokens):
            parts += ["PREFIX", tokens[i + 1].text, tokens[i + 2].text]
            i += 3
        else:
            break
    return " ".join(parts)


def _resolve(term: Token, prologue: str, prefixes: dict[str, str], base_iri: str | None) -> str:
    if term.kind not in ("iri", "pname"):
        raise ServiceRefused(REFUSED)
    try:
        solutions = ox.Store().query(
            f"{prologue} SELECT ?x WHERE {{ BIND({term.text} AS ?x) }}", prefixes=prefixes, base_iri=base_iri
        )
        value = next(iter(solutions))[0]
    except (SyntaxError, ValueError, StopIteration, TypeError):
        raise ServiceRefused(REFUSED) from None
    if not isinstance(value, ox.NamedNode):
        raise ServiceRefused(REFUSED)
    return value.value


def _same_var(a: Token, b: Token) -> bool:
    return a.kind == b.kind == "var" and a.text[1:] == b.text[1:]


def _var_constants(tokens: Sequence[Token], at: int) -> list[Token]:
    """The constants a SERVICE variable takes, from VALUES and BIND; anything else is refused."""
    var = tokens[at]
    constants: list[Token] = []
    for i, tok in enumerate(tokens):
        if i == at or not _same_var(tok, var):
            continue
        if i >= 4 and tokens[i - 1].is_keyword("AS") and tokens[i - 3].text == "(" and tokens[i - 4].is_keyword(
                "BIND") and i + 1 < len(tokens) and tokens[i + 1].text == ")":
            constants.append(tokens[i - 2])
        elif i >= 1 and tokens[i - 1].is_keyword("VALUES") and i + 1 < len(tokens) and tokens[i + 1].text == "{":
            j = i + 2
            while j < len(tokens) and tokens[j].text != "}":
                constants.append(tokens[j])
                j += 1
        elif _in_values_header(tokens, i):
            constants += _values_column(tokens, i)
        elif not _in_projection(tokens, i):
            raise ServiceRefused(REFUSED)
    if not constants:
        raise ServiceRefused(REFUSED)
    return constants


def _run_start(tokens: Sequence[Token], i: int) -> int:
    """Where the run of variables that holds token i begins."""
    while i > 0 and tokens[i - 1].kind == "var":
        i -= 1
    return i


def _in_values_header(tokens: Sequence[Token], i: int) -> bool:
    j = _run_start(tokens, i) - 1
    return j >= 1 and tokens[j].text == "(" and tokens[j - 1].is_keyword("VALUES")


def _values_column(tokens: Sequence[Token], i: int) -> list[Token]:
    start = _run_start(tokens, i)
    column = i - start
    end = start
    while end < len(tokens) and tokens[end].kind == "var":
        end += 1
    width = end - start
    out: list[Token] = []
    j = end + 2  # past ")" and "{"
    while j < len(tokens) and tokens[j].text != "}":
        if tokens[j].text == "(":
            row = tokens[j + 1: j + 1 + width]
            if len(row) == width:
                out.append(row[column])
            j += width + 2
        else:
            raise ServiceRefused(REFUSED)
    return out


def _in_projection(tokens: Sequence[Token], i: int) -> bool:
    j = _run_start(tokens, i) - 1
    return j >= 0 and (tokens[j].is_keyword("SELECT") or tokens[j].is_keyword("DISTINCT")
                       or tokens[j].is_keyword("REDUCED"))


def endpoints(tokens: Sequence[Token], prefixes: dict[str, str], base_iri: str | None) -> tuple[str, ...]:
    """Every endpoint the query's SERVICE clauses name, resolved; refused where that is unknowable."""
    found: list[str] = []
    prologue = ""
    for i, tok in enumerate(tokens):
        if not tok.is_keyword("SERVICE"):
            continue
        prologue = prologue or _prologue(tokens)
        j = i + 2 if i + 1 < len(tokens) and tokens[i + 1].is_keyword("SILENT") else i + 1
        if j >= len(tokens):
            raise ServiceRefused(REFUSED)
        targets = _var_constants(tokens, j) if tokens[j].kind == "var" else [tokens[j]]
        found += [_resolve(t, prologue, prefixes, base_iri) for t in targets]
    return tuple(dict.fromkeys(found))

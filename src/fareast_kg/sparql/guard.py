"""What the endpoint refuses before a query reaches the engine: updates and SERVICE.

The decision is made on the grammar's own terminals (``lexer``), so comments, white
space, escapes and prefixed names split exactly as the engine splits them; SERVICE
endpoints are resolved by ``federation``, and a query allowed to federate must also parse
under the full grammar with the same SERVICE clauses (``grammar``). The query children cannot reach the network
at all (``sandbox``), so this check decides the message, and the operating system
enforces the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import BadQuery, ServiceRefused, UpdateRefused
from ..namespaces import PREFIXES
from . import federation, grammar
from .bounded import bounded
from .lexer import FORMS, UPDATE_KEYWORDS, LexError, split

MAX_DEPTH = 200  # nested groups past this are refused: the engine's parser recurses


@dataclass(frozen=True)
class Checked:
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK
    services: tuple[str, ...]  # resolved SERVICE endpoints, all allow-listed
    has_dataset: bool = False  # FROM or FROM NAMED in the query
    bounded: bool = False  # one triple pattern: cost bounded by its answers (``bounded``)
    uses_named: bool = True  # it has a GRAPH clause; without one, the named graphs cannot matter
    prologue: int = 0  # length of the remembered PREFIX and BASE lines at its start (``lexer.split``)
    prefixes: frozenset[str] = frozenset()  # the prefixes its prefixed names use after those lines


def _where(query: str, offset: int) -> str:
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


REMEMBERED_LENGTH = 16_384  # longer queries are checked every time: 1024 of 1 MB would be a gigabyte


def check(query: str, service_allow: tuple[str, ...] = (), base_iri: str | None = None) -> Checked:
    """Refuse what must not run; remembered for queries of ordinary length, which clients repeat."""
    if len(query) > REMEMBERED_LENGTH:
        return _check(query, service_allow, base_iri)
    return _remembered(query, service_allow, base_iri)


def _check(query: str, service_allow: tuple[str, ...], base_iri: str | None) -> Checked:
    try:
        # The remembered head is whole PREFIX and BASE declarations: nothing below looks at them.
        head, toks, prologue = split(query)
    except LexError as exc:
        raise BadQuery(f"syntax error: {exc}") from None
    form = ""
    depth = 0
    has_dataset = uses_named = has_service = False
    used: set[str] = set()
    for tok in toks:
        if tok.kind == "pname":
            used.add(tok.text.partition(":")[0])
        if tok.kind == "punct" and tok.text in "{(":
            depth += 1
            if depth > MAX_DEPTH:
                raise BadQuery(f"the query nests groups more than {MAX_DEPTH} deep at {_where(query, tok.position)}")
        elif tok.kind == "punct" and tok.text in "})":
            depth -= 1
        if tok.kind != "keyword":
            continue
        word = tok.text.upper()
        if not form:
            if word in UPDATE_KEYWORDS:
                raise UpdateRefused(f"the endpoint is read-only: {word} is an update operation")
            if word in FORMS:
                form = word
        if word == "FROM":
            has_dataset = True
        elif word == "GRAPH":
            uses_named = True
        elif word == "SERVICE":
            has_service = True
    if not form:
        raise BadQuery("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    services: tuple[str, ...] = ()
    if has_service:  # prefixed and relative endpoints resolve against the whole prologue
        whole = [*head, *toks]
        services = federation.endpoints(whole, PREFIXES, base_iri)
        if any(iri not in service_allow for iri in services):
            raise ServiceRefused(federation.REFUSED)
        if services and grammar.service_clauses(whole) != sum(t.is_keyword("SERVICE") for t in whole):
            raise ServiceRefused(federation.REFUSED)  # the full grammar reads the query otherwise: no network
    return Checked(form, services, has_dataset, bounded(toks), uses_named, prologue, frozenset(used))


_remembered = lru_cache(maxsize=1024)(_check)

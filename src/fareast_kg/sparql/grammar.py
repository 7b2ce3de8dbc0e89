"""A second opinion from a full SPARQL 1.1 grammar parser, before a query may federate.

Only queries about to reach an allow-listed endpoint come here (rare, so rdflib's slower
parser is affordable). The text it parses is rebuilt from the exact terminals, one space
between tokens and no comments, so the two readings cannot differ on where a comment or a
name ends; the parse must find exactly as many SERVICE clauses as there are SERVICE tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .lexer import Token


def _count(node: Any) -> int:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        own = 1 if node.name == "ServiceGraphPattern" else 0
        return own + sum(_count(v) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return sum(_count(v) for v in node)
    if isinstance(node, dict):
        return sum(_count(v) for v in node.values())
    return 0


def service_clauses(tokens: Sequence[Token]) -> int | None:
    """How many SERVICE clauses the grammar finds, or None when the query does not parse."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return _count(parseQuery(" ".join(t.text for t in tokens)))
    except (ParseException, ValueError, RecursionError):
        return None

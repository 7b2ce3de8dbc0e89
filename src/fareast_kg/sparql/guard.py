"""What the endpoint refuses before a query reaches the engine: updates and SERVICE.

pyoxigraph would send a real HTTP request for ``SERVICE <…>`` and echo the remote
body in its error, so SERVICE is refused unless its endpoint is allow-listed. The
scan works on tokens, after SPARQL's \\u escapes are decoded, so keywords hidden in
escapes are found and words inside strings, IRIs and comments are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import BadQuery, ServiceRefused, UpdateRefused

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-.\u00B7-\uFFFF]*(?::[^\s{}()<>,;]*)?|:[^\s{}()<>,;]*)
  | (?P<other>\S)
    """,
    re.VERBOSE,
)
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class Checked:
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK
    services: tuple[str, ...]
    has_dataset: bool = False  # FROM or FROM NAMED in the query


def _unescape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        return chr(int(m.group(1) or m.group(2), 16))

    try:
        return _ESCAPE.sub(repl, text)
    except (ValueError, OverflowError):
        raise BadQuery("the query holds an invalid \\u escape") from None


def tokens(query: str) -> list[tuple[str, str]]:
    return [
        (m.lastgroup or "other", m.group())
        for m in _TOKEN.finditer(_unescape(query))
        if m.lastgroup != "comment"
    ]


@lru_cache(maxsize=1024)
def check(query: str, service_allow: tuple[str, ...] = ()) -> Checked:
    """Refuse what must not run; cached, since clients repeat the same queries."""
    toks = tokens(query)
    form = ""
    services: list[str] = []
    has_dataset = False
    for i, (kind, text) in enumerate(toks):
        if kind != "word" or ":" in text:
            continue
        word = text.upper()
        if not form:
            if word in UPDATE_KEYWORDS:
                raise UpdateRefused(f"the endpoint is read-only: {word} is an update operation")
            if word in FORMS:
                form = word
        if word == "FROM":
            has_dataset = True
        if word == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j][1].upper() == "SILENT":
                j += 1
            target = toks[j][1] if j < len(toks) else ""
            if not (target.startswith("<") and target.endswith(">")):
                raise ServiceRefused("SERVICE is refused: the endpoint must be a literal IRI on the allow-list")
            iri = target[1:-1]
            if iri not in service_allow:
                raise ServiceRefused(
                    f"SERVICE <{iri}> is refused: federated queries may only reach allow-listed endpoints"
                )
            services.append(iri)
    if not form:
        raise BadQuery("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    return Checked(form, tuple(services), has_dataset)

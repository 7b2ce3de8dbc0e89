"""The SPARQL 1.1 terminals (grammar section 19.8), matched exactly.

The guard decides what a query does from these tokens, so they must split the text
the way the grammar does: comments end at CR or LF, only space, tab, CR and LF are
white space, and a prefixed name stops where PN_LOCAL stops. Like oxigraph's parser,
``\\u`` escapes count only inside strings and IRIs, where they cannot end the token;
anywhere else they are not SPARQL. Text the grammar has no terminal for raises
``LexError``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_ECHAR = r"(?:\\[tbnrf\\\"']|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})"

_TERMINALS = re.compile(
    rf"""
    (?P<ws>[\x20\t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''
              |\"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*\"\"\"
              |'(?:[^'\\\n\r]|{_ECHAR})*'
              |"(?:[^"\\\n\r]|{_ECHAR})*")
  | (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
  | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
  | (?P<var>[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<number>[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<keyword>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<nil>\([\x20\t\r\n]*\))
  | (?P<anon>\[[\x20\t\r\n]*\])
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[{{}}()\[\];,.=<>!+\-*/|^?$])
  | (?P<error>[\s\S])
    """,
    re.VERBOSE,
)


# The keywords that open a query, and those that open an update (which the endpoint refuses).
FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})


class LexError(ValueError):
    """The text holds something that is not a SPARQL terminal."""


class Token(NamedTuple):  # a tuple: made for every terminal of every query, so cheap to make
    kind: str  # iri, string, bnode, pname, var, langtag, number, keyword, nil, anon, punct
    text: str
    position: int  # offset in the query text

    def is_keyword(self, word: str) -> bool:
        return self.kind == "keyword" and self.text.upper() == word


# Whole lines of PREFIX and BASE declarations and comments: what clients send before every query.
# Only prologues up to this length are remembered, so that the memory they hold stays small.
REMEMBERED_PROLOGUE = 8192
_PROLOGUE_LINE = re.compile(r"[\x20\t]*(?:(?:PREFIX|BASE)\b[^\r\n]*|\#[^\r\n]*)?\r?\n", re.IGNORECASE)
_PROLOGUE_LINES = re.compile(rf"(?:{_PROLOGUE_LINE.pattern})*", re.IGNORECASE)
# The last few prologues remembered: a query that starts with one, and whose next line could not
# extend it, has exactly that prologue (each line matches on its own), found without rescanning it.
RECENT_PROLOGUES = 8
_recent: tuple[str, ...] = ()


class Split(NamedTuple):
    head: tuple[Token, ...]  # a remembered prologue: whole PREFIX and BASE declarations, or nothing
    rest: list[Token]
    end: int  # where the rest starts in the text (0 when nothing is remembered)


def tokenize(query: str) -> list[Token]:
    """Split a query into the grammar's terminals."""
    head, rest, _ = split(query)
    return [*head, *rest]


def split(query: str) -> Split:
    """The query's terminals as (remembered prologue, the rest). Clients repeat the same PREFIX
    and BASE lines with every query, so those are lexed once and remembered (``_prologue``
    says when that is exact); the head is empty when they are not."""
    for recent in _recent:
        if query.startswith(recent) and not _PROLOGUE_LINE.match(query, len(recent)):
            known = _prologue(recent)
            if known is not None:
                return Split(known, _tokenize(query, len(recent)), len(recent))
            break
    head = _PROLOGUE_LINES.match(query)
    end = head.end() if head else 0
    text = query[:end] if end <= REMEMBERED_PROLOGUE else ""
    known = _prologue(text) if text else None
    if known is None:
        return Split((), _tokenize(query), 0)
    _keep(text)
    return Split(known, _tokenize(query, end), end)


def _keep(text: str) -> None:
    global _recent  # replaced whole, so a thread reading it sees the old tuple or the new one
    if text not in _recent:
        _recent = (text, *_recent[:RECENT_PROLOGUES - 1])


_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:[^\\]*>")


@lru_cache(maxsize=64)
def declared(prologue: str) -> tuple[tuple[str, str], ...] | None:
    """The prefixes a remembered prologue declares, in order, when the engine can be given them as
    predeclared prefixes instead of parsing the text again: PREFIX lines only, with absolute IRIs
    and no escapes (a BASE, a relative IRI or an escape the engine would resolve first). Else None."""
    toks = _prologue(prologue)
    if not toks or any(t.kind == "keyword" and t.text.upper() == "BASE" for t in toks):
        return None
    pairs = [(toks[i + 1].text[:-1], toks[i + 2].text) for i in range(0, len(toks), 3)]
    if not all(_ABSOLUTE.fullmatch(iri) for _, iri in pairs):
        return None
    return tuple((name, iri[1:-1]) for name, iri in pairs)


@lru_cache(maxsize=64)
def _prologue(text: str) -> tuple[Token, ...] | None:
    """The tokens of lines that hold only PREFIX and BASE declarations and comments, or None.

    Lexed alone, such text splits as it does inside the whole query: none of its tokens
    can reach past the final line break (a comment stops before it, an IRI at ``>``), and
    the text after a line break starts a new token. Anything else (a quote, a stray ``<``,
    another keyword, a declaration missing a part) answers None, and the whole query is
    lexed at once. So a remembered head is whole declarations, and the rest of the query
    can be judged on its own."""
    try:
        toks = _tokenize(text)
    except LexError:
        return None
    i = 0
    while i < len(toks):
        shape = [(t.kind, t.text.upper() if t.kind == "keyword" else "") for t in toks[i:i + 3]]
        if shape[:1] == [("keyword", "BASE")] and shape[1:2] == [("iri", "")]:
            i += 2
        elif shape == [("keyword", "PREFIX"), ("pname", ""), ("iri", "")] and toks[i + 1].text.endswith(":"):
            i += 3  # PREFIX takes a bare prefix (PNAME_NS): ``PREFIX a:b <x>`` is not a declaration
        else:
            return None
    return tuple(toks)


def _tokenize(text: str, pos: int = 0) -> list[Token]:
    # One pass of the scanner: ``error`` (any one character no terminal takes) is the last
    # alternative, so the matches cover the text without gaps.
    out: list[Token] = []
    append = out.append
    for m in _TERMINALS.finditer(text, pos):
        kind = m.lastgroup
        if kind == "ws" or kind == "comment":
            continue
        if kind == "error":
            raise LexError(f"unexpected character {m.group()!r} at offset {m.start()}")
        append(Token(kind or "punct", m.group(), m.start()))
    return out

"""Queries whose cost is bounded by the answers they return, so they need no killable child.

A SELECT or ASK of one triple pattern, with distinct variables and no path, FILTER,
BIND, VALUES, OPTIONAL, UNION, MINUS, subquery, SERVICE, aggregate, DISTINCT, ORDER
BY or FROM: the engine answers it by walking one index from the pattern's constants,
one step per answer, and stops when the reader stops. With OFFSET at most
``MAX_OFFSET`` and the row and byte caps ending the walk, its time and memory are
bounded whatever the data, so it runs in the serving process. This is the shape of
most linked-data look-ups (``SELECT ?p ?o WHERE { <s> ?p ?o }``). Decided on the
grammar's terminals, like the guard; every other query runs in a child process.
"""

from __future__ import annotations

from collections.abc import Sequence

from .lexer import Token

MAX_OFFSET = 10_000
_CONSTANTS = ("iri", "pname")


def bounded(toks: Sequence[Token]) -> bool:
    reader = _Reader(toks)
    try:
        reader.prologue()
        reader.form()
        reader.pattern()
        reader.modifiers()
    except _NotBounded:
        return False
    return reader.done()


class _NotBounded(Exception):
    pass


class _Reader:
    def __init__(self, toks: Sequence[Token]) -> None:
        self.toks = toks
        self.i = 0
        self.variables: set[str] = set()

    def peek(self) -> Token | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, *kinds: str, text: str | None = None) -> Token:
        tok = self.peek()
        if tok is None or tok.kind not in kinds or (text is not None and tok.text.upper() != text):
            raise _NotBounded
        self.i += 1
        return tok

    def accept(self, kind: str, text: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == kind and tok.text.upper() == text:
            self.i += 1
            return True
        return False

    def done(self) -> bool:
        return self.i == len(self.toks)

    def prologue(self) -> None:
        toks, i, n = self.toks, self.i, len(self.toks)
        while i < n and toks[i].kind == "keyword":  # a tight loop: clients send dozens of PREFIX lines
            word = toks[i].text.upper()
            if word == "PREFIX" and i + 2 < n and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
                i += 3
            elif word == "BASE" and i + 1 < n and toks[i + 1].kind == "iri":
                i += 2
            else:
                break
        self.i = i

    def form(self) -> None:
        if self.accept("keyword", "ASK"):
            return
        self.take("keyword", text="SELECT")
        if self.accept("punct", "*"):
            return
        self.take("var")
        while (tok := self.peek()) is not None and tok.kind == "var":
            self.i += 1

    def pattern(self) -> None:
        self.accept("keyword", "WHERE")
        self.take("punct", text="{")
        self.term(self.take("var", *_CONSTANTS))
        predicate = self.peek()
        if predicate is not None and predicate.kind == "keyword" and predicate.text == "a":
            self.i += 1
        else:
            self.term(self.take("var", *_CONSTANTS))
        obj = self.take("var", "string", "number", "keyword", *_CONSTANTS)
        if obj.kind == "keyword" and obj.text not in ("true", "false"):
            raise _NotBounded
        if obj.kind == "string" and not self.accept_langtag() and self.accept("punct", "^^"):
            self.take(*_CONSTANTS)
        self.term(obj)
        self.accept("punct", ".")
        self.take("punct", text="}")

    def accept_langtag(self) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == "langtag":
            self.i += 1
            return True
        return False

    def term(self, tok: Token) -> None:
        """A variable seen twice makes the walk filter instead of look up: not bounded."""
        if tok.kind == "var":
            name = tok.text[1:]
            if name in self.variables:
                raise _NotBounded
            self.variables.add(name)

    def modifiers(self) -> None:
        seen: set[str] = set()
        while (tok := self.peek()) is not None and tok.kind == "keyword" and tok.text.upper() in ("LIMIT", "OFFSET"):
            word = tok.text.upper()
            if word in seen:
                raise _NotBounded
            seen.add(word)
            self.i += 1
            number = self.take("number")
            if not number.text.isdigit() or (word == "OFFSET" and int(number.text) > MAX_OFFSET):
                raise _NotBounded

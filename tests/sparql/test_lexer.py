"""The grammar's terminals, split exactly: the guard's decisions rest on them."""

from __future__ import annotations

import pytest

from fareast_kg.sparql.lexer import LexError, tokenize


def kinds(query: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(query)]


def test_comments_end_at_carriage_return() -> None:
    assert kinds("ASK { #c\rSERVICE }") == [("keyword", "ASK"), ("punct", "{"), ("keyword", "SERVICE"),
                                             ("punct", "}")]


def test_prefixed_names_stop_where_pn_local_stops() -> None:
    assert kinds("a:b]c x:y.z. :q\\~r") == [("pname", "a:b"), ("punct", "]"), ("keyword", "c"),
                                             ("pname", "x:y.z"), ("punct", "."), ("pname", ":q\\~r")]


def test_strings_iris_and_variables() -> None:
    assert kinds("""'''a'b''' "x\\"y" <http://a/\\u0041> ?v $w _:b1 @en-GB 1.5e3 () [ ]""") == [
        ("string", "'''a'b'''"), ("string", '"x\\"y"'), ("iri", "<http://a/\\u0041>"), ("var", "?v"),
        ("var", "$w"), ("bnode", "_:b1"), ("langtag", "@en-GB"), ("number", "1.5e3"), ("nil", "()"),
        ("anon", "[ ]")]


@pytest.mark.parametrize("text", ["ASK { \u00a0 }", "ASK { \\u0041 }", 'ASK { "open }', "ASK { ~ }"])
def test_text_without_a_terminal_is_an_error(text: str) -> None:
    with pytest.raises(LexError):
        tokenize(text)

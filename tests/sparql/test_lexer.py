"""The grammar's terminals, split exactly: the guard's decisions rest on them."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# ---- the remembered prologue lexes exactly as the whole text does

_LINES = [
    "PREFIX fe: <https://w3id.org/fareast-kg/ontology#>", "prefix x: <http://x/>", "BASE <http://b/>",
    "# a comment with SERVICE <http://evil/> in it", "", "  PREFIX : <http://e/>", "PREFIX a: <x> '''",
    "'''", "PREFIX a: <x> SERVICE <http://evil/> {}", "PREFIX a: <x", ">", "PREFIXa: <x>", "BASE",
    "SELECT * WHERE { ?s ?p ?o }", "\"\"\"", "SERVICE <http://evil/> { }", "} '''", "# '''",
    "PREFIX a:b <x>", "PREFIX a: <x> <y>", "PREFIX <x>", "BASE <x> <y>", "SELECT ?s { ?s a:p ?o }",
]


def _both(text: str) -> object:
    from fareast_kg.sparql.lexer import _tokenize

    try:
        whole: object = _tokenize(text)
    except LexError as exc:
        whole = ("error", str(exc).split(" at offset")[0])
    try:
        split: object = tokenize(text)
    except LexError as exc:
        split = ("error", str(exc).split(" at offset")[0])
    return whole, split


@pytest.mark.parametrize("text", [
    "PREFIX a: <x>\n'''\nSERVICE <http://evil/> {}'''\nSELECT * {}",
    "PREFIX a: <x> '''\nSERVICE <http://evil/> {} '''",
    "PREFIX a: <x>\r\nBASE <y>\r\nSELECT * { SERVICE <http://evil/> {} }",
    "# x\nPREFIX a: <x>\n\nSELECT ?s { ?s a:p 1 }",
])
def test_a_remembered_prologue_splits_as_the_whole_query(text: str) -> None:
    whole, split = _both(text)
    assert split == whole


@given(st.lists(st.sampled_from(_LINES), max_size=8), st.sampled_from(["\n", "\r\n", " "]))
@settings(max_examples=300, deadline=None)
def test_any_mix_of_lines_lexes_the_same_split_or_whole(lines: list[str], sep: str) -> None:
    whole, split = _both(sep.join(lines))
    assert split == whole


@given(st.lists(st.sampled_from(_LINES), max_size=8), st.sampled_from(["\n", "\r\n", " "]))
@settings(max_examples=300, deadline=None)
def test_the_guard_decides_the_same_with_the_prologue_remembered_or_not(lines: list[str], sep: str) -> None:
    """The guard reads only what follows a remembered prologue: it must decide as on the whole query."""
    from fareast_kg.sparql import guard, lexer

    used: list[frozenset[str]] = []

    def decide(text: str) -> object:
        try:
            checked = guard._check(text, (), None)
        except Exception as exc:
            return type(exc).__name__, str(exc)
        used.append(checked.prefixes)
        # Where the remembered lines end, and the prefixes used after them, follow from the split.
        return dataclasses.replace(checked, prologue=0, prefixes=frozenset())

    text = sep.join(lines)
    remembered = decide(text)
    original = lexer._prologue
    lexer._prologue = lambda _text: None  # type: ignore[assignment]
    try:
        whole = decide(text)
    finally:
        lexer._prologue = original
    assert remembered == whole
    if len(used) == 2:  # a remembered prologue's own prefixed names (``PREFIX a:``) count only when lexed whole
        assert used[0] <= used[1]


@pytest.mark.parametrize("head", ["PREFIX a:b <x>\n", "PREFIX a: <x> <y>\n", "PREFIX a:\n", "BASE\n", "PREFIX <x>\n"])
def test_only_whole_declarations_are_remembered(head: str) -> None:
    from fareast_kg.sparql.lexer import _prologue, split

    assert _prologue(head) is None
    assert split(head + "SELECT * {}") == ((), tokenize(head + "SELECT * {}"), 0)


def test_the_rest_keeps_its_offsets_in_the_whole_query() -> None:
    from fareast_kg.sparql.lexer import split

    text = "PREFIX a: <http://a/>\nSELECT ?s { ?s a:p ?o }"
    head, rest, end = split(text)
    assert end == 22
    assert [t.text for t in head] == ["PREFIX", "a:", "<http://a/>"]
    assert [text[t.position:t.position + len(t.text)] for t in rest][:2] == ["SELECT", "?s"]
    with pytest.raises(LexError, match=r"at offset 34$"):
        split("PREFIX a: <http://a/>\nSELECT ?s { ~ }")


def test_a_long_prologue_is_lexed_whole_and_not_remembered() -> None:
    from fareast_kg.sparql.lexer import REMEMBERED_PROLOGUE, _prologue, split

    head = "".join(f"PREFIX p{i}: <http://example.org/{i}/>\n" for i in range(REMEMBERED_PROLOGUE // 30))
    assert len(head) > REMEMBERED_PROLOGUE
    _prologue.cache_clear()  # from empty: a full cache would hide one more entry
    assert split(head + "SELECT * {}") == ((), tokenize(head + "SELECT * {}"), 0)
    assert _prologue.cache_info().currsize == 0
    assert split("PREFIX a: <http://a/>\nSELECT * {}").end == 22 and _prologue.cache_info().currsize == 1


def _split_or_error(text: str) -> object:
    from fareast_kg.sparql.lexer import split

    try:
        return split(text)
    except LexError as exc:
        return str(exc)


@given(st.lists(st.sampled_from(_LINES), max_size=8), st.sampled_from(["\n", "\r\n", " "]), st.integers(0, 8))
@settings(max_examples=300, deadline=None)
def test_a_query_starting_with_a_recent_prologue_splits_as_on_a_fresh_scan(lines: list[str], sep: str,
                                                                           k: int) -> None:
    """A prologue split before (from another query sharing the first k lines) is recognised at the
    start of a query without rescanning it: the split must be the one a fresh scan finds."""
    from fareast_kg.sparql import lexer

    text = sep.join(lines)
    lexer._recent = ()
    fresh = _split_or_error(text)
    lexer._recent = ()
    _split_or_error(sep.join(lines[:k]) + sep + "SELECT * {}")
    assert _split_or_error(text) == fresh


def test_a_recent_prologue_followed_by_more_declarations_is_not_cut_short() -> None:
    from fareast_kg.sparql import lexer

    lexer._recent = ()
    assert lexer.split("PREFIX a: <http://a/>\nSELECT * {}").end == 22
    assert lexer._recent == ("PREFIX a: <http://a/>\n",)
    longer = lexer.split("PREFIX a: <http://a/>\nPREFIX b: <http://b/>\nSELECT * { ?s b:p a:o }")
    assert longer.end == 44 and [t.text for t in longer.head] == ["PREFIX", "a:", "<http://a/>", "PREFIX", "b:",
                                                                   "<http://b/>"]
    assert lexer._recent == ("PREFIX a: <http://a/>\nPREFIX b: <http://b/>\n", "PREFIX a: <http://a/>\n")

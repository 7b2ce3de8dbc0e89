"""The three ways to send a query, and the errors for each kind of bad request."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fareast_kg.errors import BadRequest, UnsupportedMediaType, UpdateRefused
from fareast_kg.sparql.protocol import parse


def qs(**params: str) -> bytes:
    return urlencode(params).encode()


def test_get() -> None:
    req = parse("GET", b"query=ASK%20%7B%7D&default-graph-uri=urn%3Ag1&default-graph-uri=urn%3Ag2", None, b"")
    assert req.query == "ASK {}"
    assert req.default_graphs == ("urn:g1", "urn:g2")
    assert req.named_graphs is None
    assert req.infer is True


def test_get_without_query_asks_for_the_description() -> None:
    assert parse("GET", b"", None, b"").query is None


def test_form_post() -> None:
    req = parse("POST", b"", "application/x-www-form-urlencoded", qs(query="ASK {}", infer="false", timeout="2"))
    assert (req.query, req.infer, req.timeout) == ("ASK {}", False, 2.0)


def test_raw_utf8_in_the_url() -> None:
    assert parse("GET", "query=ASK { ?s ?p \"Харбин\" }".encode(), None, b"").query == 'ASK { ?s ?p "Харбин" }'


def test_direct_post_with_dataset_in_the_url() -> None:
    req = parse("POST", b"named-graph-uri=urn%3Ag", "application/sparql-query; charset=UTF-8", b"ASK {}")
    assert (req.query, req.named_graphs) == ("ASK {}", ("urn:g",))


@pytest.mark.parametrize(("method", "query", "ctype", "body", "error", "message"), [
    ("GET", b"query=a&query=b", None, b"", BadRequest, "two queries in one request: send exactly one query parameter"),
    ("POST", b"query=a", "application/sparql-query", b"ASK {}", BadRequest,
     "two queries in one request: a direct POST carries the query in its body"),
    ("POST", b"", "application/sparql-query", b"\xff\xfe", BadRequest,
     "the query is not UTF-8 (invalid byte at position 0)"),
    ("GET", b"query=%FF", None, b"", BadRequest, "the query string is not UTF-8"),
    ("GET", b"query=\xff", None, b"", BadRequest, "the query string is not UTF-8"),
    ("POST", b"", None, b"ASK {}", UnsupportedMediaType,
     "a POST needs a Content-Type: application/x-www-form-urlencoded or application/sparql-query"),
    ("POST", b"", "text/plain", b"ASK {}", UnsupportedMediaType,
     "Content-Type text/plain is not accepted; use application/x-www-form-urlencoded or application/sparql-query"),
    ("POST", b"", "application/sparql-update", b"CLEAR ALL", UpdateRefused,
     "the endpoint is read-only: SPARQL Update is not accepted"),
    ("POST", b"", "application/x-www-form-urlencoded", b"update=CLEAR+ALL", UpdateRefused,
     "the endpoint is read-only: SPARQL Update is not accepted"),
    ("GET", b"query=+", None, b"", BadRequest, "the query is empty"),
    ("GET", b"query=ASK+%7B%7D&timeout=soon", None, b"", BadRequest, "timeout=soon is not a number of seconds"),
])
def test_bad_requests(method: str, query: bytes, ctype: str | None, body: bytes, error: type, message: str) -> None:
    with pytest.raises(error) as err:
        parse(method, query, ctype, body)
    assert str(err.value) == message


_PIECES = ["%0A", "%0a", "%", "%2", "%25", "%C3%A9", "%C3", "%A9", "%FF", "+", "=", "&", "a", "é", " ", "%3D", "%26",
           "PREFIX", "base", "%0APREFIX%20", "%0ABASE+"]


@given(st.lists(st.sampled_from(_PIECES), max_size=24))
@settings(max_examples=400, deadline=None)
def test_query_strings_parse_as_urllib_parses_them(pieces: list[str]) -> None:
    """Lines of a value are decoded one at a time and remembered, and so are heads of PREFIX and BASE
    lines; the result is urllib's, errors included."""
    import urllib.parse

    from fareast_kg.sparql.protocol import parse_qs

    text = "".join(pieces)
    try:
        expected: object = urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        expected = UnicodeDecodeError
    try:
        got: object = parse_qs(text)
    except UnicodeDecodeError:
        got = UnicodeDecodeError
    assert got == expected


def test_a_query_string_that_decodes_to_bad_utf8_is_one_400() -> None:
    with pytest.raises(BadRequest, match=r"^the query string is not UTF-8$"):
        parse("GET", b"query=ASK%20%7B%7D%0A%23%C3%0A", None, b"")


def test_long_lines_are_decoded_but_not_remembered() -> None:
    from fareast_kg.sparql.protocol import _unquote_line, parse_qs

    line = "%C3%A9" * 5000
    _unquote_line.cache_clear()  # from empty: a full cache would hide one more entry
    assert parse_qs(f"query=ASK%20%7B%7D%0A%23{line}%0A%23short") == {"query": ["ASK {}\n#" + "é" * 5000 + "\n#short"]}
    assert _unquote_line.cache_info().currsize == 2  # "ASK {}" and "#short", never the 30 KB line


def test_a_head_of_declarations_is_decoded_once_and_remembered() -> None:
    from fareast_kg.sparql import protocol

    head = "PREFIX%20a%3A%20%3Chttp%3A%2F%2Fa%2F%3E%0A%20BASE+%3Chttp%3A%2F%2Fb%2F%3E%0A"
    decoded = "PREFIX a: <http://a/>\n BASE <http://b/>\n"
    assert protocol.parse_qs(f"query={head}SELECT%20*%20%7B%7D%0A%231") == {"query": [decoded + "SELECT * {}\n#1"]}
    assert protocol._heads[0] == (head.replace("+", " "), decoded)
    # The next query with that head decodes only its own lines, errors included.
    assert protocol.parse_qs(f"query={head}ASK%20%7B%7D") == {"query": [decoded + "ASK {}"]}
    with pytest.raises(BadRequest, match=r"^the query string is not UTF-8$"):
        parse("GET", f"query={head}ASK%20%7B%7D%23%C3".encode(), None, b"")
    # A value of declarations only, or with none first, leaves no head.
    before = protocol._heads
    protocol.parse_qs("query=PREFIX%20c%3A%20%3Chttp%3A%2F%2Fc%2F%3E&x=ASK%0APREFIX%20d%3A%20%3Chttp%3A%2F%2Fd%2F%3E%0A")
    assert protocol._heads == before

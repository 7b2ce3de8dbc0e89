"""SERVICE disguises generated from the grammar: the guard must refuse every one.

The generator combines what the grammar allows around a SERVICE clause: any white
space and comment terminators, keyword case, SILENT, what may precede the clause, and
every way to name the target (IRI spellings of the loopback host, escapes inside the
IRI, prefixed names, BASE-relative IRIs, variables bound by VALUES or BIND). `make
test` runs a bounded number of cases; `make fuzz` runs many more.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fareast_kg.errors import ServiceRefused
from fareast_kg.sparql.federation import REFUSED
from fareast_kg.sparql.guard import check

EXAMPLES = int(os.environ.get("FAREAST_FUZZ_EXAMPLES", "300"))
GAP = st.sampled_from([" ", "\t", "\r", "\n", "\r\n", "#c\r", "#c\n", "# SERVICE <http://x/> {}\n", " #\r\t"])
OPTIONAL_GAP = st.one_of(st.just(""), GAP)
HOSTS = ["127.0.0.1", "0x7f000001", "2130706433", "localhost", "[::1]", "127.1", "0177.0.0.1", "127.0.0.1.nip.io"]
BEFORE = ["", "?s ?p ?o .", "{}", "OPTIONAL {}", "[ a owl:Class]", "FILTER(true)", "BIND(1 AS ?z)", "VALUES ?q {1}",
          "?s ?p [ ?q ?r ]"]


def _case(word: str, flips: list[bool]) -> str:
    return "".join(c.lower() if f else c for c, f in zip(word, flips, strict=False))


@st.composite
def disguised(draw: st.DrawFn) -> str:
    host = draw(st.sampled_from(HOSTS))
    port = draw(st.integers(1, 65535))
    url = f"http://{host}:{port}/"
    if draw(st.booleans()):  # an escape inside the IRI spells one character of the host
        url = url.replace("1", "\\u0031", 1)
    prologue = "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
    style = draw(st.sampled_from(["iri", "pname", "base", "values", "bind"]))
    values = ""
    if style == "iri":
        target = f"<{url}>"
    elif style == "pname":
        prologue += f"PREFIX t: <{url}> "
        target = "t:sparql"
    elif style == "base":
        prologue = f"BASE <{url}a/b/> " + prologue
        target = "<../../sparql>"
    else:
        target = "?e"
        values = f"VALUES ?e {{ <{url}> }}" if style == "values" else f"BIND(<{url}> AS ?e)"
    keyword = _case("SERVICE", draw(st.lists(st.booleans(), min_size=7, max_size=7)))
    silent = _case("SILENT", draw(st.lists(st.booleans(), min_size=6, max_size=6))) + draw(GAP) \
        if draw(st.booleans()) else ""
    before = draw(st.sampled_from(BEFORE))
    parts = [prologue, "SELECT * WHERE {", draw(OPTIONAL_GAP), values, draw(OPTIONAL_GAP), before,
             draw(OPTIONAL_GAP), keyword, draw(GAP), silent, target, draw(OPTIONAL_GAP), "{ ?s ?p ?o }",
             draw(OPTIONAL_GAP), "}"]
    return "".join(parts)


@pytest.mark.fuzz
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disguised())
def test_no_disguise_gets_through(query: str) -> None:
    with pytest.raises(ServiceRefused) as err:
        check(query)
    assert str(err.value) == REFUSED


@pytest.mark.fuzz
@settings(max_examples=EXAMPLES, deadline=None)
@given(disguised())
def test_only_the_allow_listed_endpoint_itself_gets_through(query: str) -> None:
    # Whatever the spelling, a query passes only if its target resolves to exactly the listed IRI.
    allowed = ("http://127.0.0.1:1/sparql",)
    try:
        checked = check(query, allowed)
    except ServiceRefused as err:
        assert str(err) == REFUSED
    else:
        assert checked.services == allowed

"""The remote backend against real engines: the same answers, limits and errors as the embedded store."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pyoxigraph as ox
import pytest

from fareast_kg.backend import connect
from fareast_kg.backend.embedded import EmbeddedBackend
from fareast_kg.backend.pointer import BUILD_GRAPH
from fareast_kg.backend.remote import RemoteBackend
from fareast_kg.build.publish import publish
from fareast_kg.canned import Registry, jobs
from fareast_kg.errors import EngineUnavailable, QueryTimeout
from fareast_kg.namespaces import GRAPH_ONTOLOGY, GRAPH_UNION, UNION_GRAPHS
from fareast_kg.sparql.execute import Job, run

from ..conftest import ROOT, quiet
from .engines import Engine

REGISTRY = Registry(ROOT / "queries")
_CONCAT = re.compile(r'GROUP_CONCAT\((?:DISTINCT\s+)?\?\w+;\s*separator="([^"]*)"\)\s+AS\s+\?(\w+)', re.I)


def normalized(body: bytes, concat: dict[str, str]) -> list[tuple]:
    """Rows as sorted tuples of (column, type, value, datatype-or-lang).

    GROUP_CONCAT columns become sets of their items, without a language and with ""
    the same as unbound: engines order the items, tag the result and treat an empty
    group differently, and SPARQL leaves all three open.
    """
    data = json.loads(body)
    out = []
    for binding in data["results"]["bindings"]:
        row = []
        for column, term in sorted(binding.items()):
            if column in concat:
                items = tuple(sorted(i for i in term["value"].split(concat[column]) if i))
                if items:
                    row.append((column, "concat", items))
                continue
            kind = "literal" if term["type"] == "typed-literal" else term["type"]
            row.append((column, kind, term["value"], term.get("datatype") or term.get("xml:lang") or ""))
        out.append(tuple(row))
    return sorted(out)


def test_publish_keeps_every_graph_and_the_build(remote: RemoteBackend, full_store: EmbeddedBackend,
                                                  full_db: ox.Store, build_data: tuple[bytes, dict[str, Any]]) -> None:
    _, info = build_data
    assert remote.build().build_hash == info["hash"]
    assert remote.build().info["counts"] == info["counts"]
    assert remote.graphs() == full_store.graphs()
    count = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    local = {str(s["g"].value): int(s["n"].value) for s in full_db.query(count)}
    theirs = {r["g"].value: int(r["n"].value) for r in remote._select_raw(count, None, None, 30)}
    ours = {g: n for g, n in theirs.items() if g in local}
    assert ours == local
    assert set(local) == set(full_store.graphs()) | set(UNION_GRAPHS)
    assert theirs[BUILD_GRAPH] > 0


@pytest.mark.parametrize("name", sorted(REGISTRY.queries))
def test_canned_query_answers_as_embedded(name: str, remote: RemoteBackend, full_store: EmbeddedBackend) -> None:
    query = REGISTRY.get(name)
    local_job = jobs.job(query, {}, "json", full_store.dataset(), 10000)
    remote_job = jobs.job(query, {}, "json", remote.dataset(), 10000)
    concat = {column: sep for sep, column in _CONCAT.findall(query.text)}
    expected = normalized(full_store.run(local_job, 10).body, concat)
    got = normalized(remote.run(remote_job, 10).body, concat)
    assert len(expected) > 0
    assert got == expected


def test_select_binds_terms(remote: RemoteBackend) -> None:
    rows = remote.select("SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER (lang(?label) = 'en') }",
                         {"s": ox.NamedNode("https://w3id.org/fareast-kg/id/harbin")})
    assert rows == [{"s": ox.NamedNode("https://w3id.org/fareast-kg/id/harbin"),
                     "label": ox.Literal("Harbin", language="en")}]


def test_construct_and_ask_as_embedded(remote: RemoteBackend, full_store: EmbeddedBackend) -> None:
    construct = f"CONSTRUCT {{ ?s rdfs:label ?l }} WHERE {{ GRAPH <{GRAPH_ONTOLOGY}> {{ ?s rdfs:label ?l }} }}"
    for fmt in ("ntriples", "turtle"):
        local = full_store.run(Job(construct, "CONSTRUCT", fmt, *full_store.dataset()), 10)
        theirs = remote.run(Job(construct, "CONSTRUCT", fmt, *remote.dataset()), 10)
        assert theirs.rows == local.rows > 100
        parse_format = ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE
        assert set(ox.parse(theirs.body, parse_format)) == set(ox.parse(local.body, parse_format))
    for ask, answer in (("ASK { id:harbin ?p ?o }", b"true"), ("ASK { id:atlantis ?p ?o }", b"false")):
        result = remote.run(Job(ask, "ASK", "json", *remote.dataset()), 10)
        assert json.loads(result.body) == {"head": {}, "boolean": answer == b"true"}


def test_row_and_byte_caps_apply_in_front_of_the_engine(remote: RemoteBackend, full_db: ox.Store,
                                                         engine: Engine) -> None:
    query = "SELECT ?s ?p ?o WHERE { GRAPH <%s> { ?s ?p ?o } } ORDER BY ?s ?p ?o" % GRAPH_ONTOLOGY  # noqa: UP031
    job = Job(query, "SELECT", "csv", None, None, limit=7)
    got = remote.run(job, 10)
    assert (got.rows, got.truncated) == (7, "max-rows")
    assert got.body == run(full_db, job).body
    capped = connect(engine.endpoints, max_bytes=2000)
    job = Job(query, "SELECT", "json", None, None, limit=10000)
    got = capped.run(job, 10)
    assert got.truncated == "max-bytes" and 0 < got.rows < 30
    assert got.body == run(full_db, job, max_bytes=2000).body
    capped.close()


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_timeout_on_oxigraph(small_oxigraph: Engine) -> None:
    backend = connect(small_oxigraph.endpoints)
    start = time.monotonic()
    with pytest.raises(QueryTimeout):
        backend.run(Job(HEAVY, "SELECT", "json", ("urn:x:ontology",), ()), timeout=1.0)
    assert time.monotonic() - start < 3.0
    backend.close()


def test_timeout_on_virtuoso(virtuoso: Engine, build_data: tuple[bytes, dict[str, Any]]) -> None:
    publish(*build_data, virtuoso.endpoints, log=quiet)  # a no-op when another test published it
    backend = connect(virtuoso.endpoints)
    start = time.monotonic()
    with pytest.raises(QueryTimeout):
        backend.run(Job(HEAVY, "SELECT", "json", (GRAPH_UNION,), ()), timeout=1.0)
    assert time.monotonic() - start < 3.0
    backend.close()


def test_engine_down_then_back(small_oxigraph: Engine) -> None:
    backend = connect(small_oxigraph.endpoints)
    job = Job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "SELECT", "csv", ("urn:x:ontology",), ())
    before = backend.run(job, 5).body
    small_oxigraph.stop()
    with pytest.raises(EngineUnavailable) as caught:
        backend.run(job, 5)
    assert small_oxigraph.endpoints.query in str(caught.value) and "\n" not in str(caught.value)
    assert caught.value.status == 502
    small_oxigraph.start()
    assert backend.run(job, 5).body == before
    backend.close()

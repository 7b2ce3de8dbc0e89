"""The endpoint against a live gunicorn: negotiation, caching, limits, security, and its own description."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from dataclasses import fields, replace
from types import SimpleNamespace
from typing import cast

import pyoxigraph as ox
import requests

from fareast_kg.backend.base import BuildInfo
from fareast_kg.context import Context
from fareast_kg.sparql.execute import Job
from fareast_kg.web.sparql import tag

JSON = "application/sparql-results+json"
SD = "http://www.w3.org/ns/sparql-service-description#"


def get(live: str, query: str, **kw: object) -> requests.Response:
    return requests.get(f"{live}/sparql", params={"query": query, **kw.pop("params", {})}, timeout=30, **kw)


def test_every_result_format(live: str) -> None:
    select = "SELECT ?label WHERE { id:suifenhe rdfs:label ?label FILTER (lang(?label) = 'en') }"
    expected = {
        "json": '{"head":{"vars":["label"]},"results":{"bindings":[{"label":{"type":"literal",'
                '"value":"Suifenhe","xml:lang":"en"}}]}}',
        "csv": "label\r\nSuifenhe\r\n",
        "tsv": '?label\n"Suifenhe"@en\n',
    }
    for fmt, body in expected.items():
        assert get(live, select, params={"format": fmt}).text == body
    xml = get(live, select, headers={"Accept": "application/sparql-results+xml"})
    assert '<literal xml:lang="en">Suifenhe</literal>' in xml.text
    construct = "CONSTRUCT { id:suifenhe fe:locatedInDirect ?c } WHERE { id:suifenhe fe:locatedInDirect ?c }"
    nt = get(live, construct, headers={"Accept": "application/n-triples"}).text
    assert sorted(nt.splitlines()) == [
        "<https://w3id.org/fareast-kg/id/suifenhe> <https://w3id.org/fareast-kg/ontology#locatedInDirect> "
        "<https://w3id.org/fareast-kg/id/china> .",
        "<https://w3id.org/fareast-kg/id/suifenhe> <https://w3id.org/fareast-kg/ontology#locatedInDirect> "
        "<https://w3id.org/fareast-kg/id/heilongjiang> .",
    ]
    for media in ("text/turtle", "application/rdf+xml", "application/ld+json", "application/trig",
                  "application/n-quads"):
        r = get(live, construct, headers={"Accept": media})
        assert r.headers["Content-Type"].startswith(media)
        parsed = list(ox.parse(r.content, ox.RdfFormat.from_media_type(media)))
        assert len(parsed) == 2


def test_q_values_wildcards_and_406(live: str) -> None:
    ask = "ASK { id:china a fe:Country }"
    r = get(live, ask, headers={"Accept": "text/csv;q=0.2, application/sparql-results+xml;q=0.9"})
    assert r.headers["Content-Type"] == "application/sparql-results+xml; charset=utf-8"
    r = get(live, ask, headers={"Accept": "application/*"})
    assert r.headers["Content-Type"] == "application/sparql-results+json; charset=utf-8"
    r = get(live, ask, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert r.text == ("none of the accepted types can be produced; available: application/sparql-results+json, "
                      "application/sparql-results+xml, text/csv, text/tab-separated-values\n")


def test_etag_and_304(live: str) -> None:
    query = "SELECT ?x WHERE { id:paper dcterms:issued ?x }"
    first = get(live, query)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    second = get(live, query, headers={"If-None-Match": etag})
    assert (second.status_code, second.text, second.headers["ETag"]) == (304, "", etag)
    other = get(live, query, params={"format": "csv"})
    assert other.headers["ETag"] != etag


def test_the_etag_names_every_field_that_decides_the_answer() -> None:
    """The ETag is also the result cache's key: two jobs that could answer differently never share it."""
    served = [BuildInfo("0" * 64)]
    ctx = cast(Context, SimpleNamespace(backend=SimpleNamespace(build=lambda: served[0])))
    base = Job(query="SELECT * {}", form="SELECT", fmt="json", default_graphs=("g",), named_graphs=(),
               base_iri="http://x/")
    changed = {"query": "SELECT * {} ", "form": "ASK", "fmt": "xml", "default_graphs": ("h",), "named_graphs": None,
               "limit": 5, "substitutions": (("s", ("iri", "http://e/")),), "base_iri": "http://y/",
               "federated": True, "bounded": True}
    assert {f.name for f in fields(Job) if f.compare} == set(changed)
    tags = [tag(ctx, base), *(tag(ctx, replace(base, **{name: value})) for name, value in changed.items())]
    assert len(set(tags)) == len(changed) + 1
    assert tag(ctx, replace(base, engine_prefixes=(), prologue=3)) == tags[0]  # how it runs, not what it asks
    # A client's text cannot run on into the next field.
    assert tag(ctx, replace(base, query="q", base_iri="\0x")) != tag(ctx, replace(base, query="q\0", base_iri="x"))
    served[0] = BuildInfo("1" * 64)
    assert tag(ctx, base) != tags[0]
    served[0] = BuildInfo("0" * 64, publish="serial-2")  # the same build, published again on an engine
    assert tag(ctx, base) not in tags


def test_cors_and_server_timing(live: str) -> None:
    r = requests.options(f"{live}/sparql", headers={"Origin": "https://example.org",
                                                     "Access-Control-Request-Method": "POST"}, timeout=10)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    bad = get(live, "SELECT")
    assert bad.status_code == 400
    assert bad.headers["Access-Control-Allow-Origin"] == "*"
    assert "total;dur=" in bad.headers["Server-Timing"]


def test_oversized_body(live: str) -> None:
    r = requests.post(f"{live}/sparql", data=b"x" * 1_100_000, headers={"Content-Type": "application/sparql-query"},
                      timeout=10)
    assert (r.status_code, r.text) == (413, "the request body is too large\n")


def test_cut_results_say_so(live: str) -> None:
    r = get(live, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", params={"format": "csv"})
    assert r.headers["Fareast-Result-Truncated"] == "true; max-rows=10000"
    assert r.headers["Fareast-Result-Rows"] == "10000"
    assert len(list(csv.reader(io.StringIO(r.text)))) == 10001
    small = get(live, "SELECT ?s WHERE { ?s a fe:Country }")
    assert "Fareast-Result-Truncated" not in small.headers


def test_service_description(live: str) -> None:
    r = requests.get(f"{live}/sparql", headers={"Accept": "text/turtle"}, timeout=10)
    assert r.headers["Content-Type"] == "text/turtle; charset=utf-8"
    store = ox.Store()
    store.load(r.content, ox.RdfFormat.TURTLE)
    endpoint = f"{live}/sparql"
    rows = store.query(f"""PREFIX sd: <{SD}> PREFIX fe: <https://w3id.org/fareast-kg/ontology#>
        SELECT ?timeout ?rows (COUNT(DISTINCT ?fmt) AS ?formats) (COUNT(DISTINCT ?g) AS ?graphs) ?regime WHERE {{
          <{endpoint}> sd:endpoint <{endpoint}> ; sd:resultFormat ?fmt ; fe:queryTimeLimit ?timeout ;
            fe:resultRowLimit ?rows ; sd:defaultDataset/sd:namedGraph ?ng . ?ng sd:name ?g .
          OPTIONAL {{ ?i sd:name <https://w3id.org/fareast-kg/graph/inferred> ; sd:entailmentRegime ?regime }}
        }} GROUP BY ?timeout ?rows ?regime""")
    row = next(iter(rows))
    assert (row["timeout"].value, row["rows"].value, row["formats"].value, row["graphs"].value) == (
        "3", "10000", "10", "101")
    assert row["regime"].value == "http://www.w3.org/ns/entailment/OWL-RDF-Based"
    jsonld = requests.get(f"{live}/sparql", headers={"Accept": "application/ld+json"}, timeout=10)
    assert jsonld.headers["Content-Type"].startswith("application/ld+json")


def test_updates_and_service_are_refused(live: str) -> None:
    r = requests.post(f"{live}/sparql", data="INSERT DATA { <a> <b> <c> }",
                      headers={"Content-Type": "application/sparql-query"}, timeout=10)
    assert (r.status_code, r.text) == (403, "the endpoint is read-only: INSERT is an update operation\n")
    r = get(live, "LOAD <http://127.0.0.1:1/data.ttl>")
    assert (r.status_code, r.text) == (403, "the endpoint is read-only: LOAD is an update operation\n")


def test_a_runaway_query_stops_at_the_limit_and_others_are_served(live: str) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome: dict[str, object] = {}

    def run() -> None:
        started = time.monotonic()
        r = get(live, runaway)
        outcome.update(status=r.status_code, text=r.text, seconds=time.monotonic() - started)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    quick = get(live, "ASK { id:harbin a fe:City }")
    assert quick.json()["boolean"] is True
    assert time.monotonic() - started < 2
    thread.join(30)
    assert outcome["status"] == 503
    assert outcome["text"] == ("the query was stopped after the 3 s time limit; add LIMIT, narrow the patterns, "
                               "or ask for a shorter result\n")
    assert outcome["seconds"] < 3 + 2  # type: ignore[operator]
    # A shorter limit per request is honoured; a longer one is not.
    started = time.monotonic()
    r = get(live, runaway, params={"timeout": "1"})
    assert r.status_code == 503 and "1 s time limit" in r.text
    assert time.monotonic() - started < 1 + 2


def test_canned_queries_api(live: str) -> None:
    listing = requests.get(f"{live}/api/queries", timeout=10).json()["queries"]
    assert len(listing) == 11
    priorities = next(q for q in listing if q["name"] == "priorities")
    assert priorities["parameters"] == [{"name": "agreement", "type": "iri", "list": False,
                                         "default": "id:joint-declaration-2015-conjunction",
                                         "description": "the agreement"}]
    r = requests.get(f"{live}/api/queries/priorities", params={"format": "csv"}, timeout=10)
    assert r.text.splitlines()[1] == (
        "https://w3id.org/fareast-kg/id/joint-declaration-2015-conjunction,1,Expanding investment and trade cooperation"
    )
    r = requests.get(f"{live}/api/queries/places-by-country", params={"country": "id:china"},
                     headers={"Accept": JSON}, timeout=10)
    assert [b["place"]["value"].rsplit("/", 1)[-1] for b in r.json()["results"]["bindings"]] == [
        "harbin", "heilongjiang", "inner-mongolia", "northeast-china", "suifenhe"]
    r = requests.get(f"{live}/api/queries/agreements", params={"first": "http://127.0.0.1/x"}, timeout=10)
    assert r.status_code == 400
    assert r.text.startswith("parameter first='http://127.0.0.1/x' is not an IRI in https://w3id.org/fareast-kg/id/")
    assert requests.get(f"{live}/api/queries/nope", timeout=10).status_code == 404


def test_openapi_is_generated_from_the_headers(live: str) -> None:
    doc = requests.get(f"{live}/api/openapi.json", timeout=10).json()
    assert doc["openapi"] == "3.0.3"
    op = doc["paths"]["/api/queries/places-by-country"]["get"]
    assert op["summary"] == "Places by country"
    country = op["parameters"][0]
    assert (country["name"], country["schema"]["type"], country["schema"]["default"]) == (
        "country", "array", ["id:china", "id:russia"])
    assert len([p for p in doc["paths"] if p.startswith("/api/queries/")]) == 11


def test_the_queries_are_published_as_rdf(live: str) -> None:
    r = get(live, """SELECT ?name ?view WHERE { GRAPH <https://w3id.org/fareast-kg/graph/queries> {
        ?q a sh:SPARQLSelectExecutable ; schema:name ?name ; fe:view ?view } } ORDER BY ?name""",
            params={"format": "csv"})
    assert r.text.splitlines()[:3] == ["name,view", "agreements,timeline", "chinese-presence,chart"]
    assert len(r.text.splitlines()) == 12


def test_the_ui_page_escapes_and_serves_yasgui_locally(live: str) -> None:
    page = requests.get(live, timeout=10)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<script src="/static/yasgui/yasgui.min.js">' in page.text
    config = json.loads(page.text.split('<script type="application/json" id="config">', 1)[1].split("</script>")[0])
    assert config["endpoint"] == f"{live}/sparql"
    assert len(config["examples"]) == 11
    assert requests.get(f"{live}/static/yasgui/yasgui.min.js", timeout=10).status_code == 200
    assert requests.get(f"{live}/static/yasgui/..%2fpackage.json", timeout=10).status_code == 404

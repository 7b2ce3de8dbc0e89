"""The service description: what the endpoint offers, in RDF, by content negotiation."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, request

from ..backend.base import Backend
from ..namespaces import FE, GRAPH_INFERRED
from ..settings import Settings
from ..sparql import negotiate


def description_turtle(settings: Settings, backend: Backend, endpoint: str) -> str:
    formats = " , ".join(f"<{f.w3c}>" for f in (*negotiate.SOLUTIONS, *negotiate.GRAPHS))
    named = []
    for g in backend.graphs():
        entailment = ""
        if g == GRAPH_INFERRED:
            entailment = (
                "; sd:entailmentRegime <http://www.w3.org/ns/entailment/OWL-RDF-Based> "
                "; sd:supportedEntailmentProfile <http://www.w3.org/ns/owl-profile/RL> "
            )
        named.append(f"    sd:namedGraph [ a sd:NamedGraph ; sd:name <{g}> {entailment}]")
    allow = " , ".join(f"<{iri}>" for iri in settings.service_allow)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fe: <{FE}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{endpoint}> a sd:Service ;
  rdfs:label "Far East KG SPARQL endpoint (read-only)" ;
  rdfs:comment \"\"\"The default graph is the union of all graphs, each distinct triple once. With infer=false it
leaves out {GRAPH_INFERRED}, the OWL 2 RL closure. Updates, LOAD and SERVICE are refused{"" if not allow else
" except SERVICE to the allow-listed endpoints"}. Queries stop after the time limit; results longer than the row
limit are cut and carry the header Fareast-Result-Truncated.\"\"\" ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat {formats} ;
  fe:queryTimeLimit "{settings.query_timeout}"^^xsd:decimal ;
  fe:resultRowLimit {settings.max_rows} ;
  fe:resultByteLimit {settings.max_bytes} ;
  fe:bodyLimit {settings.max_body} ;
  sd:defaultDataset [
    a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ; rdfs:comment "the union of the named graphs" ] ;
{(" ;" + chr(10)).join(named)}
  ] .
"""


def service_description(settings: Settings, backend: Backend) -> Response:
    fmt = negotiate.choose(negotiate.GRAPHS, request.headers.get("Accept"), request.args.get("format"))
    turtle = description_turtle(settings, backend, request.base_url)
    if fmt.name == "turtle":
        body = turtle.encode()
    else:
        quads = ox.parse(turtle, ox.RdfFormat.TURTLE)
        items = list(quads) if fmt.name in ("trig", "nquads") else [q.triple for q in quads]
        body = ox.serialize(items, format=fmt.engine) or b""
    response = Response(body, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response

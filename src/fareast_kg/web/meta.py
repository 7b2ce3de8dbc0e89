"""The service description: what the endpoint offers, in RDF, by content negotiation, with a link
to the dataset description (``dataset``)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, request

from ..backend.base import Backend
from ..namespaces import DATASET, FE, GRAPH_INFERRED, VOID
from ..settings import Settings
from ..sparql import negotiate, writer
from . import rdf


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
@prefix void: <{VOID}> .

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
    rdfs:seeAlso <{DATASET}> ;
    sd:defaultGraph [ a sd:Graph ; rdfs:comment "the union of the named graphs" ] ;
{(" ;" + chr(10)).join(named)}
  ] .

<{DATASET}> void:sparqlEndpoint <{endpoint}> .
"""


def service_description(settings: Settings, backend: Backend) -> Response:
    fmt = rdf.choose(negotiate.GRAPHS)
    turtle = description_turtle(settings, backend, request.base_url)
    quads = list(ox.parse(turtle, ox.RdfFormat.TURTLE))
    others = {f: f"{request.base_url}?format={f.name}" for f in negotiate.GRAPHS}
    return rdf.body(writer.write(quads, fmt), fmt, others)

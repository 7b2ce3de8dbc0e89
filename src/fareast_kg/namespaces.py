"""Base IRIs, graph names and vocabulary constants shared by build and serve."""

from __future__ import annotations

BASE = "https://w3id.org/fareast-kg/"
ONTOLOGY_IRI = f"{BASE}ontology"
FE = f"{BASE}ontology#"
ID = f"{BASE}id/"
GRAPH = f"{BASE}graph/"

GRAPH_ONTOLOGY = f"{GRAPH}ontology"
GRAPH_PROVENANCE = f"{GRAPH}provenance"
GRAPH_LINKS = f"{GRAPH}links"
GRAPH_INFERRED = f"{GRAPH}inferred"
GRAPH_QUERIES = f"{GRAPH}queries"
GRAPH_SHAPES = f"{GRAPH}shapes"
# The default graph as a set: every distinct triple once. pyoxigraph's own union of the
# named graphs repeats a triple once per graph that holds it, which breaks COUNT and
# surprises anyone expecting an RDF merge. Hidden from GRAPH ?g.
GRAPH_UNION = f"{GRAPH}union"
GRAPH_UNION_ASSERTED = f"{GRAPH}union-asserted"
UNION_GRAPHS = (GRAPH_UNION, GRAPH_UNION_ASSERTED)
PASSAGE_GRAPH_PREFIX = f"{GRAPH}passage/"
# The dataset description (VoID and DCAT) and the dataset it describes.
VOID_DOCUMENT = f"{BASE}.well-known/void"
DATASET = f"{VOID_DOCUMENT}#dataset"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"

# Prefixes offered to users (query UI, Turtle output, documentation).
PREFIXES: dict[str, str] = {
    "fe": FE,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "bibo": "http://purl.org/ontology/bibo/",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "org": "http://www.w3.org/ns/org#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "oa": "http://www.w3.org/ns/oa#",
    "sh": "http://www.w3.org/ns/shacl#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "unit": "http://qudt.org/vocab/unit/",
    "wd": "http://www.wikidata.org/entity/",
    "void": VOID,
    "dcat": DCAT,
    "spdx": "http://spdx.org/rdf/terms#",
}

# The same prefixes as SPARQL declarations, for queries shown to users.
PREFIX_DECLARATIONS = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def shorten(iri: str) -> str:
    """id:harbin for https://w3id.org/fareast-kg/id/harbin; the IRI itself when no prefix fits."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri

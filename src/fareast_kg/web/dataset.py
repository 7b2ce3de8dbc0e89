"""/.well-known/void: the dataset description, in VoID and DCAT, in every RDF format.

The counts were made by the build (``build.describe``) and travel in its build.json, so
this works the same in front of a remote engine; only what depends on this server (the
endpoint's and the dumps' URLs) is added per request. The document for a host and a
format is kept in the result cache until the next build.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from flask import Response, request, url_for

from ..errors import NotFound, StoreUnavailable
from ..namespaces import (
    DATASET,
    DCAT,
    DCTERMS,
    GRAPH,
    GRAPH_INFERRED,
    GRAPH_UNION,
    GRAPH_UNION_ASSERTED,
    ID,
    ONTOLOGY_IRI,
    PREFIXES,
    RDF,
    VOID,
    VOID_DOCUMENT,
    XSD,
    shorten,
)
from ..sparql import negotiate, writer
from . import context, dumps, per_build, rdf

SPDX = PREFIXES["spdx"]
IANA = "https://www.iana.org/assignments/media-types/"
ASSERTED = f"{VOID_DOCUMENT}#asserted"
SERVICE = f"{VOID_DOCUMENT}#sparql"
# The whole dataset, its asserted part and its inferred part: the nodes the dumps belong to.
PARTS = {"full": DATASET, "asserted": ASSERTED, "inferred": GRAPH_INFERRED}
COUNTS = {"triples": "triples", "entities": "entities", "subjects": "distinctSubjects",
          "objects": "distinctObjects", "properties": "properties", "classes": "classes"}


class Statements(list[ox.Triple]):
    def add(self, s: str, p: str, o: str | ox.Literal) -> None:
        self.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o if isinstance(o, ox.Literal) else ox.NamedNode(o)))


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _key(node: str) -> str:
    """A readable fragment for the partitions of a subset: dataset, asserted, graph/passage/p076."""
    return {DATASET: "dataset", ASSERTED: "asserted"}.get(node, "graph/" + node.removeprefix(GRAPH))


def _subset(out: Statements, node: str, stats: dict[str, Any]) -> None:
    """A void:Dataset with the counts, partitions and examples of one graph."""
    out.add(node, RDF + "type", VOID + "Dataset")
    for key, prop in COUNTS.items():
        out.add(node, VOID + prop, _int(stats[key]))
    for cls, n in stats["class_partitions"].items():
        part = f"{VOID_DOCUMENT}#{_key(node)}/class/{quote(shorten(cls), safe=':')}"
        out.add(node, VOID + "classPartition", part)
        out.add(part, VOID + "class", cls)
        out.add(part, VOID + "entities", _int(n))
    for prop, counts in stats["property_partitions"].items():
        part = f"{VOID_DOCUMENT}#{_key(node)}/property/{quote(shorten(prop), safe=':')}"
        out.add(node, VOID + "propertyPartition", part)
        out.add(part, VOID + "property", prop)
        for key in ("triples", "subjects", "objects"):
            out.add(part, VOID + COUNTS[key], _int(counts[key]))
    for example in stats["examples"]:
        out.add(node, VOID + "exampleResource", example)


def _dumps(out: Statements, info: dict[str, Any]) -> None:
    """Each dump as a DCAT distribution of its part, and as a void:dataDump."""
    built = ox.Literal(str(info["built_at"]), datatype=ox.NamedNode(XSD + "dateTime"))
    for entry in dumps.available(info):
        url = url_for("dump_file", name=entry["name"], _external=True)
        node, checksum = f"{VOID_DOCUMENT}#dump/{entry['name']}", f"{VOID_DOCUMENT}#dump/{entry['name']}/sha256"
        part = PARTS[entry["part"]]
        out.add(part, VOID + "dataDump", url)
        out.add(part, DCAT + "distribution", node)
        out.add(node, RDF + "type", DCAT + "Distribution")
        out.add(node, DCTERMS + "title", _en(f"{entry['description']} ({entry['format']}, gzipped)"))
        out.add(node, DCAT + "downloadURL", url)
        out.add(node, DCAT + "accessURL", url_for("dumps", _external=True))
        out.add(node, DCAT + "mediaType", IANA + entry["media_type"])
        out.add(node, DCAT + "compressFormat", IANA + "application/gzip")
        size = ox.Literal(str(entry["bytes"]), datatype=ox.NamedNode(XSD + "nonNegativeInteger"))
        out.add(node, DCAT + "byteSize", size)
        out.add(node, DCTERMS + "issued", built)
        out.add(node, VOID + "triples", _int(entry["statements"]))
        out.add(node, SPDX + "checksum", checksum)
        out.add(checksum, RDF + "type", SPDX + "Checksum")
        out.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        out.add(checksum, SPDX + "checksumValue", ox.Literal(entry["sha256"], datatype=ox.NamedNode(XSD + "hexBinary")))


def description(info: dict[str, Any]) -> Statements:
    """The whole description, from build.json's statistics and this server's URLs."""
    void, graphs = info["void"], info["void"]["graphs"]
    endpoint = url_for("sparql", _external=True)
    out = Statements()
    out.add(VOID_DOCUMENT, RDF + "type", VOID + "DatasetDescription")
    out.add(VOID_DOCUMENT, DCTERMS + "title", _en("A description of the Far East KG dataset"))
    out.add(VOID_DOCUMENT, PREFIXES["foaf"] + "primaryTopic", DATASET)
    out.add(DATASET, RDF + "type", DCAT + "Dataset")
    out.add(DATASET, DCTERMS + "title", _en("Far East KG"))
    out.add(DATASET, DCTERMS + "description", _en("A knowledge graph of one paper: every asserted fact in the "
                                                   "named graph of the passage that states it, the OWL 2 RL "
                                                   "inferences in their own graph."))
    if void["licence"]:  # as the ontology's header states them; a project without one says nothing
        out.add(DATASET, DCTERMS + "license", void["licence"])
    if void["source"]:
        out.add(DATASET, DCTERMS + "source", void["source"])
        out.add(DATASET, PREFIXES["prov"] + "wasDerivedFrom", void["source"])
        if void["source_title"]:
            out.add(void["source"], DCTERMS + "title", _en(void["source_title"]))
        for creator in void["source_creators"]:
            out.add(void["source"], DCTERMS + "creator", creator)
    out.add(DATASET, DCTERMS + "modified", ox.Literal(str(info["built_at"]), datatype=ox.NamedNode(XSD + "dateTime")))
    out.add(DATASET, VOID + "uriSpace", ox.Literal(ID))
    out.add(DATASET, VOID + "vocabulary", ONTOLOGY_IRI)
    out.add(DATASET, VOID + "sparqlEndpoint", endpoint)
    out.add(DATASET, DCAT + "accessService", SERVICE)
    out.add(SERVICE, RDF + "type", DCAT + "DataService")
    out.add(SERVICE, DCAT + "endpointURL", endpoint)
    out.add(SERVICE, DCAT + "endpointDescription", endpoint)
    out.add(SERVICE, DCAT + "servesDataset", DATASET)
    _subset(out, DATASET, graphs[GRAPH_UNION])
    _subset(out, ASSERTED, graphs[GRAPH_UNION_ASSERTED])
    out.add(ASSERTED, DCTERMS + "title", _en("The asserted data: every graph except graph/inferred"))
    out.add(DATASET, VOID + "subset", ASSERTED)
    out.add(DATASET, VOID + "subset", GRAPH_INFERRED)
    for graph, stats in graphs.items():
        if graph in (GRAPH_UNION, GRAPH_UNION_ASSERTED):
            continue
        _subset(out, graph, stats)
        if graph != GRAPH_INFERRED:
            out.add(ASSERTED, VOID + "subset", graph)
    _dumps(out, info)
    return out


def void(ext: str | None = None) -> Response:
    ctx = context()
    build = ctx.backend.build()
    offered = negotiate.GRAPHS
    _, suffix = rdf.split(f"void.{ext}", offered) if ext else ("", None)
    if ext and suffix is None:
        raise NotFound(f"there is nothing at {request.path}")
    fmt, others = rdf.choose(offered, suffix), rdf.alternates("/.well-known/void", offered)
    if "void" not in build.info:
        raise StoreUnavailable("the build served has no dataset statistics; rebuild it with `fareast-kg build --force`")
    data = per_build(("void", request.host_url, fmt.name), lambda: writer.write(description(dict(build.info)), fmt),
                     len)
    return rdf.body(data, fmt, others, described=False)

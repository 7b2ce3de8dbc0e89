"""Stage 2: validate the data against ontology/shapes.ttl with pySHACL.

pySHACL gets the ontology and data as one graph so that sh:targetClass follows
rdfs:subClassOf; ``inference`` stays off because reasoning is the next stage's job.
"""

from __future__ import annotations

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from ..errors import ShapesViolation
from ..namespaces import shorten
from .sources import Sources

SH = Namespace("http://www.w3.org/ns/shacl#")


def union_graph(sources: Sources) -> Graph:
    graph = Graph()
    for triple in sources.ontology:
        graph.add(triple)
    for s, p, o, _ in sources.data.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def short(node: Node | None) -> str:
    if node is None:
        return "?"
    if isinstance(node, URIRef):
        short_form = shorten(str(node))
        return short_form if short_form != str(node) else f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    return "[path expression]"


def _where(focus: Node, sources: Sources) -> str:
    """The data files that describe the focus node, or else refer to it."""
    def files_with(pattern: tuple) -> set[str]:  # type: ignore[type-arg]
        return {f for g, files in sources.origin.items() for f in files if pattern in sources.data.graph(g)}

    files = sorted(files_with((focus, None, None)) or files_with((None, None, focus)))
    return f" (in {', '.join(files)})" if files else ""


def violations(sources: Sources, graph: Graph | None = None) -> list[str]:
    data = graph if graph is not None else union_graph(sources)
    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=sources.shapes,
        inference="none",
        advanced=False,
        abort_on_first=False,
        allow_warnings=True,
    )
    if conforms:
        return []
    found: list[str] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        where = f" path {short(path)}" if isinstance(path, URIRef) else ""
        text = str(message) if message is not None else "violates " + short(results.value(result, SH.sourceShape))
        if value is not None and value != focus and str(value) not in text:
            text += f" (value {short(value)})"
        found.append(f"{short(focus)}{where}: {text}{_where(focus, sources) if focus is not None else ''}")
    return sorted(set(found))


def validate(sources: Sources, graph: Graph | None = None) -> int:
    """Raise ShapesViolation listing every violation; return the number of triples checked."""
    data = graph if graph is not None else union_graph(sources)
    found = violations(sources, data)
    if found:
        raise ShapesViolation(found)
    return len(data)

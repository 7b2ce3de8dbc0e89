"""Stage 1: read ontology/ and data/ into rdflib graphs, naming the file and line of any error.

Files are parsed with pyoxigraph's parser, which is several times faster than
rdflib's and reports line and column; validation and reasoning then work on the
rdflib graphs built here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import SourceError
from ..namespaces import GRAPH_ONTOLOGY, XSD

ONTOLOGY_FILES = ("fareast.ttl", "alignment.ttl")
SHAPES_FILE = "shapes.ttl"
_XSD_STRING = f"{XSD}string"


@dataclass
class Sources:
    ontology: Graph
    shapes: Graph
    data: Dataset  # named graphs only: passages, provenance, links
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256
    origin: dict[URIRef, set[str]] = field(default_factory=dict)  # graph name -> files

    @property
    def data_quads(self) -> int:
        """Quads, not distinct triples: a fact stated by two passages counts twice."""
        return sum(1 for _ in self.data.quads((None, None, None, None)))

    @property
    def digest(self) -> str:
        """One hash over every input file, used to name and reuse builds."""
        h = hashlib.sha256()
        for name, digest in sorted(self.files.items()):
            h.update(f"{name}\0{digest}\n".encode())
        return h.hexdigest()


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


class _Terms:
    """pyoxigraph terms to rdflib terms, with IRIs cached (they repeat a lot)."""

    def __init__(self) -> None:
        self._iris: dict[str, URIRef] = {}

    def __call__(self, term: object) -> Node:
        if isinstance(term, ox.NamedNode):
            iri = self._iris.get(term.value)
            if iri is None:
                iri = self._iris[term.value] = URIRef(term.value)
            return iri
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
        raise SourceError(f"RDF-star terms are not supported: {term}")


def _syntax_message(exc: SyntaxError) -> str:
    text = str(exc)
    reason = text.split(": ", 1)[1] if ": " in text else text
    reason = reason.rsplit(" (line ", 1)[0]
    return f"line {exc.lineno}, column {exc.offset}: {reason}"


def _parse(path: Path, fmt: ox.RdfFormat, shown: str) -> list[ox.Quad]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{shown}: cannot read ({exc.strerror})") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{shown}: not UTF-8 (invalid byte at position {exc.start})") from None
    try:
        return list(ox.parse(data, fmt))
    except SyntaxError as exc:
        raise SourceError(f"{shown}: {_syntax_message(exc)}") from None


def _graph(quads: list[ox.Quad], terms: _Terms) -> Graph:
    graph = Graph()
    for q in quads:
        graph.add((terms(q.subject), terms(q.predicate), terms(q.object)))
    return graph


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_sources(ontology_dir: Path, data_dir: Path, root: Path, queries_dir: Path | None = None) -> Sources:
    if not ontology_dir.is_dir():
        raise SourceError(f"the ontology folder {_display(ontology_dir, root)}/ does not exist")
    if not data_dir.is_dir():
        raise SourceError(f"the data folder {_display(data_dir, root)}/ does not exist")

    files: dict[str, str] = {}
    terms = _Terms()
    ontology_quads: list[ox.Quad] = []
    for name in ONTOLOGY_FILES:
        path = ontology_dir / name
        shown = _display(path, root)
        if not path.is_file():
            raise SourceError(f"{shown} is missing")
        ontology_quads += _parse(path, ox.RdfFormat.TURTLE, shown)
        files[shown] = _sha256(path)
    ontology = _graph(ontology_quads, terms)

    shapes_path = ontology_dir / SHAPES_FILE
    shown = _display(shapes_path, root)
    if not shapes_path.is_file():
        raise SourceError(f"{shown} is missing")
    shapes = _graph(_parse(shapes_path, ox.RdfFormat.TURTLE, shown), terms)
    files[shown] = _sha256(shapes_path)

    data_files = sorted(data_dir.rglob("*.trig"))
    if not data_files:
        raise SourceError(f"the data folder {_display(data_dir, root)}/ holds no .trig files")
    data = Dataset()
    origin: dict[URIRef, set[str]] = {}
    for path in data_files:
        shown = _display(path, root)
        quads = _parse(path, ox.RdfFormat.TRIG, shown)
        stray = sum(1 for q in quads if isinstance(q.graph_name, ox.DefaultGraph))
        if stray:
            raise SourceError(
                f"{shown}: {stray} triples lie outside any named graph; "
                "every fact must sit in its passage graph (or graph/provenance, graph/links)"
            )
        for q in quads:
            name = terms(q.graph_name)
            if name == URIRef(GRAPH_ONTOLOGY):
                raise SourceError(f"{shown}: graph/ontology is reserved for ontology/ files")
            data.graph(name).add((terms(q.subject), terms(q.predicate), terms(q.object)))  # type: ignore[arg-type]
            origin.setdefault(name, set()).add(shown)  # type: ignore[arg-type]
        files[shown] = _sha256(path)
    # Canned queries are published in graph/queries, so they are inputs of the build too.
    for path in sorted(queries_dir.glob("*.rq")) if queries_dir and queries_dir.is_dir() else []:
        files[_display(path, root)] = _sha256(path)
    return Sources(ontology=ontology, shapes=shapes, data=data, files=files, origin=origin)

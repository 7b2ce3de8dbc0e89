"""The build as a straight line: sources -> validate -> reason -> load -> describe -> swap.

Each stage reports its count and time. Builds exclude each other, never servers:
nothing touches the current store until the final atomic swap, and running servers
move to the new generation by themselves.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Literal, URIRef

from .. import __version__
from ..backend.layout import build_lock, current_build, remove_stale, swap_in
from ..canned import Registry, publish
from ..namespaces import GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_PROVENANCE, GRAPH_QUERIES, GRAPH_SHAPES
from ..settings import Settings
from . import derive, dumps
from .cache import ClosureCache
from .describe import describe
from .load import Quad, nquads, write_store
from .reason import ENGINE, inferred
from .sources import ONTOLOGY_FILES, Sources, read_sources
from .validate import union_graph, validate

Log = Callable[[str], None]


@dataclass
class Report:
    stages: list[tuple[str, float, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    build_hash: str = ""
    path: Path | None = None
    skipped: bool = False

    @property
    def total_seconds(self) -> float:
        return sum(seconds for _, seconds, _ in self.stages)


@contextmanager
def _stage(report: Report, name: str, log: Log) -> Iterator[dict[str, str]]:
    detail: dict[str, str] = {"text": ""}
    start = time.perf_counter()
    yield detail
    seconds = time.perf_counter() - start
    report.stages.append((name, seconds, detail["text"]))
    log(f"  {name:<9} {seconds * 1000:8.0f} ms  {detail['text']}")


def _code_digest() -> str:
    """Changes to the build code change the build hash too."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def build_hash(sources: Sources) -> str:
    return hashlib.sha256(f"{sources.digest}:{_code_digest()}".encode()).hexdigest()


def closure_cache(sources: Sources, store: Path) -> ClosureCache:
    """Closures are reused only for the same ontology files, build code and reasoning engine."""
    ontology = sorted((name, digest) for name, digest in sources.files.items() if Path(name).name in ONTOLOGY_FILES)
    return ClosureCache(store, f"{ontology}:{_code_digest()}:{ENGINE}")


def facts(sources: Sources) -> list[tuple]:  # type: ignore[type-arg]
    """What reasoning sees: the passage graphs and the links, not graph/provenance.

    Provenance (passages, quotes, offsets) is annotation; reasoning over it would
    only restate it and costs a third of the closure time.
    """
    provenance = URIRef(GRAPH_PROVENANCE)
    return [(s, p, o) for s, p, o, g in sources.data.quads((None, None, None, None)) if g != provenance]


def query_quads(queries_dir: Path) -> list[Quad]:
    """The canned queries as RDF, in graph/queries, so that the endpoint can list them itself."""
    graph = URIRef(GRAPH_QUERIES)
    quads: list[Quad] = []
    for query in Registry(queries_dir):
        for s, p, o in publish.triples(query):
            obj = URIRef(o[1]) if isinstance(o, tuple) else Literal(o)
            quads.append((URIRef(s), URIRef(p), obj, graph))
    return quads


def _quads(sources: Sources, inferred_graph) -> list[Quad]:  # type: ignore[no-untyped-def]
    quads: list[Quad] = [(s, p, o, URIRef(GRAPH_ONTOLOGY)) for s, p, o in sources.ontology]
    quads += [(s, p, o, URIRef(GRAPH_SHAPES)) for s, p, o in sources.shapes]
    quads += [(s, p, o, g) for s, p, o, g in sources.data.quads((None, None, None, None))]  # type: ignore[misc]
    quads += [(s, p, o, URIRef(GRAPH_INFERRED)) for s, p, o in inferred_graph]
    return quads


def build(settings: Settings, *, force: bool = False, log: Log = print) -> Report:
    report = Report()
    log(f"building {settings.store}/ from {settings.ontology_dir}/ and {settings.data_dir}/")
    with build_lock(settings.store):
        with _stage(report, "parse", log) as d:
            sources = read_sources(settings.ontology_dir, settings.data_dir, settings.root, settings.queries_dir)
            report.build_hash = build_hash(sources)
            d["text"] = (f"{len(sources.files)} files, {len(sources.ontology)} ontology triples, "
                         f"{sources.data_quads} data quads")
        current = current_build(settings.store)
        if not force and current is not None and current.build_hash == report.build_hash:
            report.skipped, report.path = True, current.path
            log(f"store is up to date ({current.path.name}); use --force to rebuild")
            return report
        with _stage(report, "validate", log) as d:
            union = union_graph(sources)
            checked = validate(sources, union)
            d["text"] = f"{checked} triples conform to {len(sources.shapes)} shape triples"
        with _stage(report, "reason", log) as d:
            cache = closure_cache(sources, settings.store)
            new = inferred(sources.ontology, facts(sources), set(union), cache)
            # Ranks let the explainer justify each triple by strictly earlier ones, never in a circle.
            ranks = derive.derivations(union, new)
            d["text"] = (f"{len(new)} new triples, {len(ranks)} with a derivation"
                         + ("; the closure of an identical input reused" if cache.reused else ""))
        with _stage(report, "load", log) as d:
            quads = _quads(sources, new) + query_quads(settings.queries_dir)
            tmp = write_store(nquads(quads), settings.store)
            derive.write(tmp, ranks)
            d["text"] = f"{len(quads)} quads"
        with _stage(report, "describe", log) as d:
            # Read back from the new store: the description and dumps show exactly what is served.
            description, manifest = describe(tmp), dumps.write(tmp)
            d["text"] = (f"{len(description['graphs'])} graphs counted, {len(manifest)} dumps, "
                         f"{sum(m['bytes'] for m in manifest)} bytes")
        with _stage(report, "swap", log) as d:
            graphs = {g for *_, g in quads}
            report.counts = {
                "quads": len(quads),
                "graphs": len(graphs),
                "ontology": len(sources.ontology),
                "asserted": sources.data_quads,
                "inferred": len(new),
            }
            info = {
                "hash": report.build_hash,
                "version": __version__,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "counts": report.counts,
                "files": sources.files,
                "void": description,
                "dumps": manifest,
            }
            report.path = swap_in(tmp, settings.store, report.build_hash, info)
            removed = remove_stale(settings.store)
            d["text"] = f"current -> {report.path.name}" + (f"; removed {len(removed)} old" if removed else "")
    log(f"built {report.counts['quads']} quads in {report.counts['graphs']} graphs "
        f"in {report.total_seconds:.2f} s")
    return report


def validate_only(settings: Settings, *, log: Log = print) -> Sources:
    sources = read_sources(settings.ontology_dir, settings.data_dir, settings.root)
    checked = validate(sources)
    log(f"{len(sources.files)} files, {checked} triples: the data conforms to the shapes")
    return sources

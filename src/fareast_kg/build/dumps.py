"""Build stage: the downloadable dumps, written once per build beside the new store.

Three parts (the full dataset, the asserted data, the inferred data), each in N-Quads,
TriG and Turtle, gzipped. N-Quads and TriG keep the named graphs; Turtle is the merge
of the part's graphs into one (each distinct triple once), which is what the union
graphs of the store hold. Files are deterministic (sorted statements, no gzip time
stamp), so two builds of the same inputs give the same bytes and the same SHA-256.
The server only streams these files; nothing is counted or cut when they are sent.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..backend.layout import DUMPS
from ..namespaces import GRAPH_INFERRED, GRAPH_UNION, GRAPH_UNION_ASSERTED, UNION_GRAPHS
from ..sparql import writer
from ..sparql.negotiate import Format, named

FORMATS = ("nquads", "trig", "turtle")
PREFIX = "fareast-kg"


def _graphs(store: ox.Store, keep: Callable[[str], bool]) -> list[ox.NamedNode]:
    return sorted((g for g in store.named_graphs() if keep(g.value)), key=str)


# part -> (what it holds, the graphs N-Quads and TriG keep, the union graph that Turtle merges them into)
PARTS: dict[str, tuple[str, Callable[[str], bool], str]] = {
    "full": ("the whole dataset: the paper's facts, provenance, links, ontology, shapes, queries and inferences",
             lambda g: g not in UNION_GRAPHS, GRAPH_UNION),
    "asserted": ("the asserted data only: every graph except graph/inferred",
                 lambda g: g not in UNION_GRAPHS and g != GRAPH_INFERRED, GRAPH_UNION_ASSERTED),
    "inferred": ("the inferred data only: graph/inferred, the OWL 2 RL closure minus what is asserted",
                 lambda g: g == GRAPH_INFERRED, GRAPH_INFERRED),
}


def file_name(part: str, fmt: Format) -> str:
    return f"{PREFIX}-{part}.{fmt.extension}.gz"


def _statements(store: ox.Store, part: str, fmt: Format) -> list[ox.Quad] | list[ox.Triple]:
    _, keep, union = PARTS[part]
    if fmt.name == "turtle":
        return [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(union))]
    return [q for g in _graphs(store, keep) for q in store.quads_for_pattern(None, None, None, g)]


def write(generation: Path) -> list[dict[str, Any]]:
    """Write every dump of the store in ``generation`` into ``generation/dumps/``; return the
    manifest (one entry per file)."""
    store = ox.Store.read_only(str(generation))
    folder = generation / DUMPS
    folder.mkdir(exist_ok=True)
    manifest = []
    for part, (description, _, _) in PARTS.items():
        ready: dict[bool, list[ox.Quad] | list[ox.Triple]] = {}  # N-Quads and TriG share one sorted list
        for name in FORMATS:
            fmt = named(name)
            quads = fmt.name in writer.WITH_GRAPHS
            if quads not in ready:
                found = _statements(store, part, fmt)
                ready[quads] = writer.as_quads(found) if quads else writer.as_triples(found)
            statements = ready[quads]
            body = gzip.compress(writer.write(statements, fmt, ordered=True), compresslevel=9, mtime=0)
            path = folder / file_name(part, fmt)
            path.write_bytes(body)
            manifest.append({
                "name": path.name,
                "part": part,
                "description": description,
                "format": fmt.name,
                "media_type": fmt.media_type,
                "statements": len(statements),
                "bytes": len(body),
                "sha256": hashlib.sha256(body).hexdigest(),
            })
    return manifest

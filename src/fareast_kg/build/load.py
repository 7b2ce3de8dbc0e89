"""Stage 4: load into a new on-disk pyoxigraph store (``backend.layout`` swaps it in).

The only module that imports both rdflib and pyoxigraph: the data crosses once, as
N-Quads bytes. Blank nodes are replaced by IRIs derived from their content, so two
builds of the same inputs hold exactly the same quads.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
from rdflib import BNode, URIRef
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

from ..errors import StoreError
from ..namespaces import GRAPH_INFERRED, GRAPH_UNION, GRAPH_UNION_ASSERTED

GENID = "https://w3id.org/fareast-kg/.well-known/genid/"

Quad = tuple[Node, Node, Node, URIRef]


class Skolemizer:
    """Names each blank node after a hash of what it says, recursively (lists, restrictions)."""

    def __init__(self, quads: list[Quad]) -> None:
        self._out: dict[BNode, list[tuple[Node, Node]]] = {}
        for s, p, o, _ in quads:
            if isinstance(s, BNode):
                self._out.setdefault(s, []).append((p, o))
        self._names: dict[BNode, URIRef] = {}

    def __call__(self, node: Node) -> Node:
        if not isinstance(node, BNode):
            return node
        if node not in self._names:
            self._names[node] = URIRef(GENID + self._digest(node, frozenset()))
        return self._names[node]

    def _digest(self, node: BNode, seen: frozenset[BNode]) -> str:
        parts = []
        for p, o in self._out.get(node, []):
            nested = isinstance(o, BNode)
            value = o.n3() if not nested else "cycle" if o in seen else self._digest(o, seen | {node})
            parts.append(f"{p.n3()} {value}")
        return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:32]


def nquads(quads: Iterable[Quad]) -> bytes:
    """N-Quads for the quads, plus the two union graphs (see namespaces.GRAPH_UNION) as sets."""
    quads = list(quads)
    skolem = Skolemizer(quads)
    rows: dict[tuple[Node, Node, Node], str] = {}
    lines = []
    asserted: set[str] = set()
    inferred: set[str] = set()
    for s, p, o, g in quads:
        key = (s, p, o)
        row = rows.get(key)
        if row is None:
            row = rows[key] = _nt_row((skolem(s), p, skolem(o)))[:-3]  # without " .\n"
        lines.append(f"{row} <{g}> .\n")
        (inferred if str(g) == GRAPH_INFERRED else asserted).add(row)
    lines += [f"{row} <{GRAPH_UNION_ASSERTED}> .\n" for row in asserted]
    lines += [f"{row} <{GRAPH_UNION}> .\n" for row in asserted | inferred]
    lines.sort()
    return "".join(lines).encode("utf-8")


def write_store(data: bytes, store_dir: Path) -> Path:
    """Bulk-load N-Quads into a fresh store inside ``store_dir``; return its folder."""
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=store_dir))
    except PermissionError:
        raise StoreError(f"cannot write the store folder {store_dir}/: permission denied") from None
    except OSError as exc:
        raise StoreError(f"cannot write the store folder {store_dir}/: {exc.strerror}") from None
    try:
        store = pyoxigraph.Store(str(tmp))
        store.bulk_load(data, pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        del store
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, (OSError, SyntaxError)):
            raise StoreError(f"writing the new store failed ({exc}); the previous store is untouched") from None
        raise
    return tmp



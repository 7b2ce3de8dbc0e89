"""Publish a build to a remote SPARQL engine, so that readers see the old build or the new one.

Each graph of the build (ontology, passages, provenance, links, inferred, queries,
shapes and the two union graphs) is first loaded under a staging name,
``urn:fareast-kg:staging:<hash>:<graph>``, which no query sees. Then three update
requests (see ``backend.pointer``) mark the switch, drop the graphs the new build no
longer has and MOVE every staging graph to its real name while rewriting the build's
description, and settle it under a new serial. Publishing a build that is already
served does nothing; a publish that failed half-way leaves staging graphs, which the
next publish overwrites or drops, and perhaps a mark, which the next publish clears.

- Oxigraph runs each update request in one transaction and its queries read a
  snapshot: the middle request alone is atomic for readers.
- Virtuoso 7.2 (07.20.3229) is not: a reader polling during the switch saw the new
  hash with the old union graph, the old hash with the new one, and an empty
  description. There, readers check the serial after each request and answer again
  when it changed (``RemoteBackend.settled``), so a switch costs them a wait (about
  1.5 s on the real build) but never a mix. Loading uses the Graph Store Protocol at
  /sparql-graph-crud-auth (digest authentication).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import rules
from ..backend import connect
from ..backend.client import Endpoints
from ..backend.layout import INFO, current_build
from ..backend.pointer import BUILD_GRAPH, STAGING, mark, rewrite, settle
from ..backend.remote import RemoteBackend
from ..errors import StoreError
from ..namespaces import GRAPH
from ..sparql import terms

Log = Callable[[str], None]
BATCH = 5000  # triples per INSERT DATA when the engine offers no Graph Store Protocol


@dataclass(frozen=True)
class Published:
    build_hash: str
    skipped: bool
    graphs: int = 0
    quads: int = 0
    load_seconds: float = 0.0
    switch_seconds: float = 0.0


def from_store(store_dir: Path) -> tuple[bytes, dict[str, Any]]:
    """The current embedded build as N-Quads and its build.json, ready to publish."""
    built = current_build(store_dir)
    if built is None:
        raise StoreError(f"no built store in {store_dir}/; run `fareast-kg build` first")
    store = ox.Store.read_only(str(built.path))
    data = store.dump(format=ox.RdfFormat.N_QUADS)
    info = json.loads((built.path / INFO).read_text(encoding="utf-8"))
    # The explainer needs each inferred triple's rank and rule: they travel with the build description.
    info["derivations"] = [list(row) for row in rules.read(built.path)]
    return data, info


def publish(nquads: bytes, info: dict[str, Any], backend_endpoints: Endpoints, *,
            log: Log = print, timeout: float = 300.0) -> Published:
    """Load the build into the engine and switch to it atomically; a no-op when it is served already."""
    if not backend_endpoints.update:
        raise StoreError(f"publishing to {backend_endpoints.query} needs the engine's update URL")
    backend = connect(backend_endpoints)
    try:
        return _publish(backend, nquads, info, log, timeout)
    finally:
        backend.close()


def _publish(backend: RemoteBackend, nquads: bytes, info: dict[str, Any], log: Log, timeout: float) -> Published:
    build_hash = str(info["hash"])
    served = backend.probe()
    if served.build_hash == build_hash and served.serial and not served.switching:
        log(f"{backend.endpoints.query} already serves build {build_hash[:16]}")
        return Published(build_hash, skipped=True)
    graphs = _split(nquads)
    prefix = f"{STAGING}{build_hash[:16]}:"
    start = time.perf_counter()
    for graph, triples in graphs.items():
        _load(backend, prefix + graph, triples, timeout)
    loaded = time.perf_counter()
    token = f"{build_hash[:16]}:{uuid.uuid4().hex}"  # unique per publish, so a serial never comes back
    for update in (mark(token), switch(graphs, prefix, _existing(backend), info), settle(token)):
        backend.client.send("POST", str(backend.endpoints.update), timeout, data={"update": update})
    done = time.perf_counter()
    quads = sum(len(t) for t in graphs.values())
    log(f"published {quads} quads in {len(graphs)} graphs to {backend.endpoints.query}: "
        f"load {loaded - start:.2f} s, switch {done - loaded:.2f} s")
    return Published(build_hash, False, len(graphs), quads, loaded - start, done - loaded)


def _split(nquads: bytes) -> dict[str, list[ox.Triple]]:
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(nquads, ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise StoreError("a build holds only named graphs; found a triple in the default graph")
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return graphs


def _load(backend: RemoteBackend, graph: str, triples: list[ox.Triple], timeout: float) -> None:
    """Replace one staging graph: Graph Store PUT where there is one, else DROP and INSERT DATA."""
    endpoints = backend.endpoints
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    if endpoints.store:
        backend.client.send("PUT", endpoints.store, timeout, params={"graph": graph}, data=body,
                            headers={"Content-Type": backend.gsp_content_type})
        return
    lines = body.decode("utf-8").splitlines()
    drop = f"DROP SILENT GRAPH {terms.iri(graph)}"
    backend.client.send("POST", str(endpoints.update), timeout, data={"update": drop})
    for i in range(0, len(lines), BATCH):
        chunk = "\n".join(lines[i:i + BATCH])
        update = f"INSERT DATA {{ GRAPH {terms.iri(graph)} {{\n{chunk}\n}} }}"
        backend.client.send("POST", str(endpoints.update), timeout, data={"update": update})


def _existing(backend: RemoteBackend) -> set[str]:
    """Our graphs in the engine now: served ones and staging leftovers, not the engine's own."""
    rows = backend.select_graphs()
    return {g for g in rows if g.startswith((GRAPH, STAGING))}


def switch(graphs: dict[str, list[ox.Triple]], prefix: str, existing: Iterable[str], info: dict[str, Any]) -> str:
    """The update request that puts the staged build in place of the served one."""
    new = set(graphs)
    staged = {prefix + g for g in new}
    ops = [f"DROP SILENT GRAPH {terms.iri(g)}" for g in sorted(existing)
           if g not in new and g not in staged and g != BUILD_GRAPH]
    ops += [f"MOVE SILENT GRAPH {terms.iri(prefix + g)} TO GRAPH {terms.iri(g)}" for g in sorted(new)]
    return " ;\n".join(ops + rewrite(new, info))

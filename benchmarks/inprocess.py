"""`python benchmarks/inprocess.py STORE SECONDS [memory|disk] [RATE]`: the lookup in this process, as
the endpoint runs it: from a copy of the store in memory (as a worker does when it holds one), or
from the store on disk.

Each query carries a distinct comment (as the uncached HTTP runs do) and is serialized to SPARQL
JSON by pyoxigraph. Back to back by default; with RATE, at most RATE lookups a second, waiting
between them as a server at one connection waits for its client's next request (on a virtual
machine, a core that idles comes back slower). Prints one JSON object: req/s (of the look-ups' own
time, without the waits), p50 and p99 in ms, and this process's peak RSS in MB.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time

import pyoxigraph as ox

from fareast_kg.backend.opened import copy_of
from fareast_kg.namespaces import GRAPH_UNION

LOOKUP_TAIL = "SELECT ?p ?o WHERE { id:harbin ?p ?o }"


def main(store_path: str, seconds: float, text: str, where: str = "disk", rate: float = 0.0) -> dict[str, float]:
    store = ox.Store.read_only(store_path)
    if where == "memory":
        store = copy_of(store, len(store)) or store  # the workers' own copy
    # The endpoint's dataset for this query: the union graph, and no named graphs (it has no GRAPH).
    default = ox.NamedNode(GRAPH_UNION)
    times: list[float] = []
    n = 0
    deadline = time.perf_counter() + seconds
    interval = 1 / rate if rate else 0.0
    slot = time.perf_counter()
    while time.perf_counter() < deadline:
        n += 1
        if interval:  # the next lookup starts at its slot: the time left after this one is idle
            slot += interval
            time.sleep(max(0.0, slot - time.perf_counter()))
        start = time.perf_counter()
        out = store.query(f"{text}\n#{n}", default_graph=default)
        assert isinstance(out, ox.QuerySolutions)
        out.serialize(format=ox.QueryResultsFormat.JSON)  # pyoxigraph's own writer, as the endpoint's
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"rps": len(times) / sum(times) * 1000, "p50": statistics.median(times),
            "p99": times[int(len(times) * 0.99)], "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    where, rate = (sys.argv[3:4] or ["disk"])[0], float((sys.argv[4:5] or ["0"])[0])
    print(json.dumps(main(sys.argv[1], float(sys.argv[2]), sys.stdin.read(), where, rate)))

"""Endpoint benchmark: the same store and query mix, side by side, in one run.

Contenders:
  in-process   pyoxigraph query + serialization in this process (the limit)
  fareast-kg   this endpoint under gunicorn (2 workers)
  oxigraph     `oxigraph serve-read-only` from the oxigraph pip package, on the same store
  rdflib-ep    rdflib-endpoint (uvicorn) on an N-Quads dump of the same store

Load comes from wrk (Debian's package) on loopback: a round-robin mix of the canned queries with their
default parameters, and a one-resource lookup. Prints p50/p99 latency, requests per second and ratios.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import requests
from fareast_kg.store import current_build

from fareast_kg.canned import Registry, jobs
from fareast_kg.namespaces import GRAPH_UNION, PREFIX_DECLARATIONS, UNION_GRAPHS
from fareast_kg.settings import Settings
from fareast_kg.sparql import results

BIN = Path(sys.executable).parent
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
PREFIX_LINES = PREFIX_DECLARATIONS
LOOKUP = PREFIX_LINES + "SELECT ?p ?o WHERE { id:harbin ?p ?o }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=5)
            return
        except requests.ConnectionError:
            time.sleep(0.02)
    raise RuntimeError(f"{url} did not start")


def queries(settings: Settings) -> list[str]:
    return [PREFIX_LINES + jobs.example(q) for q in Registry(settings.queries_dir)]


def in_process(store_path: Path, texts: list[str]) -> tuple[float, dict[str, float]]:
    """Median time per query (ms), over the mix, as the endpoint would run it."""
    store = ox.Store.read_only(str(store_path))
    named = [g for g in store.named_graphs() if g.value not in UNION_GRAPHS]
    default = ox.NamedNode(GRAPH_UNION)
    per_query: dict[str, float] = {}
    for text in [*texts, LOOKUP]:
        times = []
        for _ in range(30):
            start = time.perf_counter()
            out = store.query(text, default_graph=default, named_graphs=named)
            if isinstance(out, ox.QuerySolutions):
                results.select(out, "json", 10000)
            times.append((time.perf_counter() - start) * 1000)
        per_query[text] = statistics.median(times)
    mix = statistics.median([per_query[t] for t in texts])
    return mix, per_query


LUA = """
paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
i = 0
n = 0
distinct = %s
request = function()
  i = i %% #paths + 1
  n = n + 1
  local path = paths[i]
  -- A comment that differs per request defeats every cache: the whole request path is timed.
  if distinct then path = path .. "%%0A%%23" .. n end
  return wrk.format("GET", path, {["Accept"] = "application/sparql-results+json"})
end
"""


def wrk(base: str, paths: list[str], connections: int, tmp: Path, distinct: bool = False) -> dict[str, float]:
    listing = tmp / f"paths-{abs(hash((base, connections)))}.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = tmp / "mix.lua"
    script.write_text(LUA % (listing, "true" if distinct else "false"))
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{DURATION}s", "--latency", "-s", str(script), base]
    out = subprocess.run(command, capture_output=True, text=True, timeout=DURATION + 60).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50": ms("50%"), "p99": ms("99%"),
            "errors": float(errors.group(1)) if errors else 0.0}


def check(contenders: dict[str, tuple[str, str]], texts: list[str]) -> dict[str, int]:
    """How many of the queries each contender cannot answer (non-2xx), before any timing."""
    failing = {}
    for name, (base, pattern) in contenders.items():
        failing[name] = 0
        for t in texts:
            try:
                r = requests.get(base + pattern.format(quote(t)), headers={"Accept": "application/sparql-results+json"},
                                 timeout=30, stream=True)
                failing[name] += not r.ok
                r.close()
            except requests.RequestException:
                failing[name] += 1
    return failing


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (Debian's package)")
    settings = Settings.from_env()
    built = current_build(settings.store)
    if built is None:
        sys.exit("no built store: run `make build` first")
    texts = queries(settings)
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        try:
            mix_ms, per_query = in_process(built.path, texts)

            port = free_port()
            started = time.monotonic()
            procs.append(subprocess.Popen([str(BIN / "fareast-kg"), "serve", "--port", str(port), "--workers", "2"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            ours = f"http://127.0.0.1:{port}/sparql"
            wait_for(ours)
            startup = time.monotonic() - started

            oport = free_port()
            procs.append(subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", str(built.path),
                                           "--bind", f"127.0.0.1:{oport}"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            oxi = f"http://127.0.0.1:{oport}/query"
            wait_for(oxi)

            dump = tmp / "kg.nq"
            store = ox.Store.read_only(str(built.path))
            quads = [q for q in store if q.graph_name.value not in UNION_GRAPHS]
            dump.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
            rport = free_port()
            procs.append(subprocess.Popen([str(BIN / "rdflib-endpoint"), "serve", str(dump), "--host", "127.0.0.1",
                                           "--port", str(rport)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_for(f"http://127.0.0.1:{rport}/", 120)

            contenders = {
                "fareast-kg": (f"http://127.0.0.1:{port}", "/sparql?query={}"),
                # The same default graph as ours: the materialized union (oxigraph's own union would also
                # take in our union graphs and repeat every triple).
                "oxigraph": (f"http://127.0.0.1:{oport}", f"/query?default-graph-uri={quote(GRAPH_UNION)}&query={{}}"),
                "rdflib-ep": (f"http://127.0.0.1:{rport}", "/?query={}"),
            }
            failing = check(contenders, [*texts, LOOKUP])
            table: dict[tuple[str, str], dict[str, float]] = {}
            workloads = (("canned mix", texts, False), ("lookup", [LOOKUP], False),
                         ("lookup, uncached", [LOOKUP], True))
            for workload, mix, distinct in workloads:
                for name, (base, pattern) in contenders.items():
                    paths = [pattern.format(quote(t)) for t in mix]
                    table[(workload, name)] = wrk(base, paths, 8, tmp, distinct)
                    table[(workload, name + " c1")] = wrk(base, paths, 1, tmp, distinct)
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()

    print(f"\nendpoint benchmark: wrk, 2 threads, {DURATION} s per run, loopback; store of "
          f"{built.info['counts']['quads']} quads")
    print(f"fareast-kg serve: first answer {startup:.2f} s after start (store already built)")
    print(f"in-process pyoxigraph: median {mix_ms:.3f} ms per canned query, "
          f"{per_query[LOOKUP]:.3f} ms per lookup")
    print("queries a contender could not answer: " + ", ".join(f"{k} {v}" for k, v in failing.items()))
    print(f"{'workload':<12} {'server':<12} {'req/s (c8)':>11} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'p50 c1 ms':>10} {'non-2xx':>8}")
    names = [w for w, _, _ in workloads]
    for workload in names:
        for name in ("fareast-kg", "oxigraph", "rdflib-ep"):
            r, c1 = table[(workload, name)], table[(workload, name + " c1")]
            print(f"{workload:<12} {name:<12} {r['rps']:>11.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} "
                  f"{c1['p50']:>10.2f} {r['errors']:>8.0f}")
    for workload in names:
        ours, oxi, rdf = (table[(workload, n)]["rps"] for n in ("fareast-kg", "oxigraph", "rdflib-ep"))
        inproc = mix_ms if workload == "canned mix" else per_query[LOOKUP]
        overhead = table[(workload, "fareast-kg c1")]["p50"] - inproc
        print(f"{workload}: fareast-kg / rdflib-endpoint = {ours / rdf if rdf else float('inf'):.1f}x, "
              f"fareast-kg / oxigraph = {ours / oxi if oxi else float('nan'):.2f}x, "
              f"p50 overhead over in-process = {overhead:.2f} ms")


if __name__ == "__main__":
    main()

"""Endpoint benchmark: one single-resource lookup, side by side on the same store, at 1, 8 and 32
connections (wrk on loopback).

Contenders:
  pyoxigraph        the lookup in a plain Python process (no HTTP), reading the store as the server's
                    workers do (from memory when they hold a copy, `--memory-quads`): the floor
  pyoxigraph, on disk  the same, from the store on disk
  bare flask        a Flask route returning a constant, same gunicorn settings: the stack's ceiling
  ours, warm        this server, the same request again (answered from the result cache)
  ours, uncached    this server, a distinct comment in every request (the whole path)
  oxigraph          `oxigraph serve-read-only` on the same store folder
  rdflib-endpoint   rdflib-endpoint (uvicorn) on an N-Quads dump of the same store
  ours on oxigraph  this server with `--store URL --engine oxigraph` (an `oxigraph serve` engine
                    holding the same build, published by `fareast-kg build --store URL`), uncached
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import requests
from loadgen import PeakRSS, wrk

from fareast_kg.backend.layout import current_build
from fareast_kg.backend.opened import fits
from fareast_kg.namespaces import GRAPH_UNION, PREFIX_DECLARATIONS, UNION_GRAPHS
from fareast_kg.settings import Settings

BIN = Path(sys.executable).parent
HERE = Path(__file__).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = (1, 8, 32)
WARMUP = 3
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
PAIR_SECONDS = 3
LOOKUP = PREFIX_DECLARATIONS + "SELECT ?p ?o WHERE { id:harbin ?p ?o }"
QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=5).status_code < 500:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not start")


def in_process(store: Path, where: str, seconds: int = SECONDS, rate: float = 0.0) -> dict[str, float]:
    """The lookup in a plain Python process: back to back, or at most ``rate`` a second."""
    out = subprocess.run([sys.executable, str(HERE / "inprocess.py"), str(store), str(seconds), where, str(rate)],
                         input=LOOKUP, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def served_from(store: Path) -> str:
    """Where the server's workers read a look-up: "memory" when they hold a copy of this store."""
    return "memory" if fits(ox.Store.read_only(str(store)), Settings.from_env().memory_quads) else "disk"


class Servers:
    """Every server process started here, stopped on exit whatever happens."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, command: list[str], url: str, cwd: Path | None = None) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(command, cwd=cwd, start_new_session=True, **QUIET)  # type: ignore[call-overload]
        self.procs.append(proc)
        wait_for(url)
        return proc

    def __enter__(self) -> Servers:
        return self

    def __exit__(self, *_: object) -> None:
        for proc in self.procs:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def start_all(servers: Servers, settings: Settings, store: Path, tmp: Path) -> dict[str, tuple]:
    """name -> (process, base URL, path, distinct comments)."""
    lookup = quote(LOOKUP)
    found: dict[str, tuple] = {}
    port = free_port()
    # The same worker class and settings as `fareast-kg serve` (serve.gunicorn_options).
    gunicorn = [str(BIN / "gunicorn"), "-k", "fareast_kg.worker.Worker", "-w", "2", "--threads", "32",
                "--reuse-port", "--bind", f"127.0.0.1:{port}", "bare_app:app"]
    found["bare flask"] = (servers.start(gunicorn, f"http://127.0.0.1:{port}/sparql", HERE),
                           f"http://127.0.0.1:{port}", f"/sparql?query={lookup}", True)
    port = free_port()
    ours = servers.start([str(BIN / "fareast-kg"), "serve", "--store", str(settings.store), "--port", str(port)],
                         f"http://127.0.0.1:{port}/sparql")
    found["ours, warm"] = (ours, f"http://127.0.0.1:{port}", f"/sparql?query={lookup}", False)
    found["ours, uncached"] = (ours, f"http://127.0.0.1:{port}", f"/sparql?query={lookup}", True)
    port = free_port()
    oxi = servers.start([str(BIN / "oxigraph"), "serve-read-only", "--location", str(store), "--bind",
                         f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}/query")
    # The same default graph as ours: the materialized union, each distinct triple once.
    found["oxigraph"] = (oxi, f"http://127.0.0.1:{port}",
                         f"/query?default-graph-uri={quote(GRAPH_UNION, safe='')}&query={lookup}", True)
    dump = tmp / "kg.nq"
    db = ox.Store.read_only(str(store))
    dump.write_bytes(ox.serialize([q for q in db if q.graph_name.value not in UNION_GRAPHS],
                                  format=ox.RdfFormat.N_QUADS) or b"")
    del db
    port = free_port()
    rdflib_ep = servers.start([str(BIN / "rdflib-endpoint"), "serve", str(dump), "--host", "127.0.0.1",
                               "--port", str(port)], f"http://127.0.0.1:{port}/")
    found["rdflib-endpoint"] = (rdflib_ep, f"http://127.0.0.1:{port}", f"/?query={lookup}", True)
    found.update(remote(servers, settings, tmp, lookup))
    return found


def remote(servers: Servers, settings: Settings, tmp: Path, lookup: str) -> dict[str, tuple]:
    """An `oxigraph serve` engine with this build published to it, and our server in front of it."""
    eport = free_port()
    engine = f"http://127.0.0.1:{eport}/query"
    servers.start([str(BIN / "oxigraph"), "serve", "--location", str(tmp / "engine"), "--bind",
                   f"127.0.0.1:{eport}"], engine)
    subprocess.run([str(BIN / "fareast-kg"), "build", "--store", engine, "--engine", "oxigraph"], check=True,
                   env={**os.environ, "FAREAST_STORE": str(settings.store)}, **QUIET)
    port = free_port()
    front = servers.start([str(BIN / "fareast-kg"), "serve", "--store", engine, "--engine", "oxigraph",
                           "--port", str(port)], f"http://127.0.0.1:{port}/sparql")
    return {"ours on oxigraph": (front, f"http://127.0.0.1:{port}", f"/sparql?query={lookup}", True)}


def main() -> dict[str, object]:
    settings = Settings.from_env()
    built = current_build(settings.store)
    if built is None:
        sys.exit("no built store: run `make build` first")
    table: dict[str, dict[str, dict[str, float]]] = {}
    where = served_from(built.path)
    print(f"[endpoint] in-process pyoxigraph, from {where} as the server reads it", flush=True)
    table["pyoxigraph"] = {"1": in_process(built.path, where)}
    if where == "memory":
        print("[endpoint] in-process pyoxigraph, from disk", flush=True)
        table["pyoxigraph, on disk"] = {"1": in_process(built.path, "disk")}
    with Servers() as servers, tempfile.TemporaryDirectory(prefix="fareast-bench-") as tmpdir:
        tmp = Path(tmpdir)
        print("[endpoint] starting the servers", flush=True)
        contenders = start_all(servers, settings, built.path, tmp)
        total = len(contenders) * len(CONNECTIONS)  # BENCH_CONTENDERS="ours, uncached;oxigraph" picks some
        step = 0
        only = [n for n in os.environ.get("BENCH_CONTENDERS", "").split(";") if n]
        for name, (proc, base, path, distinct) in contenders.items():
            if only and name not in only:
                continue
            table[name] = {}
            # A warm-up at full concurrency first: servers that start helpers on demand
            # (our query children, uvicorn's threads) are measured once they have them.
            print(f"[endpoint] {name}: warming up at {CONNECTIONS[-1]} connections, {WARMUP} s", flush=True)
            wrk(base, path, CONNECTIONS[-1], WARMUP, tmp, distinct=distinct)
            for c in CONNECTIONS:
                step += 1
                print(f"[endpoint {step}/{total}] {name}, {c} connection{'s' if c > 1 else ''}, {SECONDS} s",
                      flush=True)
                with PeakRSS(proc.pid) as rss:
                    row = wrk(base, path, c, SECONDS, tmp, distinct=distinct)
                row["peak_mb"] = rss.mb
                table[name][str(c)] = row
        pairs = paired(contenders, built.path, where, tmp) if not only else {}
    return {"store_quads": built.info["counts"]["quads"], "floor_reads": where,
            "seconds": SECONDS, "query": LOOKUP.splitlines()[-1],
            "table": table, "paired": pairs}


def paired(contenders: dict[str, tuple], store: Path, where: str, tmp: Path) -> dict[str, object]:
    """The targets' comparisons again, as alternating pairs of short runs: on a shared machine the
    speed drifts between the cells of the table, and a pair run back to back sees the same machine.
    Each round: in-process, then ours uncached at 1 connection (the overhead), then in-process again
    at the rate ours answered (the floor as paced as the server is, which explains the overhead);
    then bare Flask and ours uncached at each connection count, in alternating order (the
    throughput ratio)."""
    _, ours_base, ours_path, _ = contenders["ours, uncached"]
    _, bare_base, bare_path, _ = contenders["bare flask"]
    overhead: list[float] = []
    overhead_paced: list[float] = []
    floors: dict[str, list[float]] = {"back to back": [], "paced": []}
    ratios: dict[str, list[float]] = {str(c): [] for c in CONNECTIONS}
    for r in range(ROUNDS):
        print(f"[endpoint pairs {r + 1}/{ROUNDS}] in-process and ours at 1 connection, then bare Flask and ours "
              f"at {', '.join(map(str, CONNECTIONS))} connections, {PAIR_SECONDS} s each", flush=True)
        floor = in_process(store, where, PAIR_SECONDS)["p50"]
        one = wrk(ours_base, ours_path, 1, PAIR_SECONDS, tmp, distinct=True)
        paced = in_process(store, where, PAIR_SECONDS, rate=one["rps"])["p50"]
        overhead.append(one["p50"] - floor)
        overhead_paced.append(one["p50"] - paced)
        floors["back to back"].append(floor)
        floors["paced"].append(paced)
        sides = {"bare": (bare_base, bare_path), "ours": (ours_base, ours_path)}
        for c in CONNECTIONS:
            rps = {side: wrk(*sides[side], c, PAIR_SECONDS, tmp, distinct=True)["rps"]
                   for side in (("bare", "ours") if r % 2 == 0 else ("ours", "bare"))}
            ratios[str(c)].append(rps["ours"] / rps["bare"] if rps["bare"] else 0.0)
    return {"rounds": ROUNDS, "seconds": PAIR_SECONDS, "overhead_ms": overhead, "overhead_paced_ms": overhead_paced,
            "floor_ms": floors, "ratio": ratios}


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))

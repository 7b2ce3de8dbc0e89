"""`make soak`: the server under sustained load, with a worker killed and slow clients in the middle.

For each level of concurrency (8, 32 and 128 connections by default), wrk runs a round-robin
mix of the canned queries and resource look-ups for SOAK_SECONDS (60 by default) against a
server on a random loopback port. Halfway through, one gunicorn worker is killed with SIGKILL
and 16 slow clients (8 drip-feeding a body, 8 a header) connect for the rest of the run. The
report gives errors, p50 and p99 latency, and the server's memory (all its processes) at the
start and end of each level, and is written to benchmarks/SOAK.md. Loopback only; every loop is
bounded in time.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
LEVELS = [int(c) for c in os.environ.get("SOAK_CONNECTIONS", "8,32,128").split(",")]
LUA = """
paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Accept"] = "application/sparql-results+json"})
end
"""


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True).stdout.split()
    pairs = list(zip(map(int, out[0::2]), map(int, out[1::2]), strict=True))
    found, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in pairs if pp == parent]
        found += children
        frontier += children
    return found


def rss_mb(pid: int) -> float:
    total = 0
    for p in tree(pid):
        with contextlib.suppress(OSError):
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return total / 2**20


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:  # it ended meanwhile
        return ""


def workers(pid: int) -> list[int]:
    return [p for p in tree(pid)[1:] if "fareast-kg" in _cmdline(p)]


def paths(base: str) -> list[str]:
    names = [q["name"] for q in requests.get(f"{base}/api/queries", timeout=10).json()["queries"]]
    slugs = ["harbin", "vladivostok", "russia", "china", "yury-trutnev", "wang-yang", "paper"]
    return [f"/api/queries/{n}" for n in names] + [f"/id/{s}?format=ttl" for s in slugs]


def slow_clients(port: int, stop: threading.Event) -> None:
    socks = []
    for i in range(16):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nq" if i % 2 else b"GET /spar")
        socks.append(s)
    while not stop.wait(1.0):
        for s in socks:
            with contextlib.suppress(OSError):
                s.send(b"x")
    for s in socks:
        s.close()


def run_level(server: subprocess.Popen, base: str, port: int, connections: int, listing: Path) -> dict[str, str]:
    start_mb = rss_mb(server.pid)
    script = listing.with_suffix(".lua")
    script.write_text(LUA % listing)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{SECONDS}s", "--timeout", "5s", "--latency", "-s",
               str(script), base]
    load = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    time.sleep(SECONDS / 2)
    victim = workers(server.pid)[0]
    os.kill(victim, signal.SIGKILL)
    log(f"  {connections} connections: killed worker {victim}; 16 slow clients connect")
    stop = threading.Event()
    slow = threading.Thread(target=slow_clients, args=(port, stop), daemon=True)
    slow.start()
    out, _ = load.communicate(timeout=SECONDS + 60)
    stop.set()
    slow.join()
    end_mb = rss_mb(server.pid)

    def grab(pattern: str) -> str:
        m = re.search(pattern, out, re.MULTILINE)
        return m.group(1) if m else "0"

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "connections": str(connections), "requests": grab(r"(\d+) requests in"),
        "rps": grab(r"Requests/sec:\s+([\d.]+)"),
        "non2xx": grab(r"Non-2xx or 3xx responses: (\d+)"),
        "socket": "/".join(socket_errors.groups()) if socket_errors else "0/0/0/0",
        "p50": grab(r"^\s*50%\s+(\S+)"), "p99": grab(r"^\s*99%\s+(\S+)"),
        "mem": f"{start_mb:.0f} → {end_mb:.0f} MB",
    }


def main() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(Path(sys.executable).parent / "fareast-kg"), "--root", str(ROOT), "serve",
                               "--port", str(port)], stdout=subprocess.DEVNULL, start_new_session=True)
    rows = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as tmp:
            listing = Path(tmp) / "paths.txt"
            listing.write_text("\n".join(paths(base)) + "\n")
            for level in LEVELS:
                log(f"{level} connections for {SECONDS} s")
                rows.append(run_level(server, base, port, level, listing))
                log("  " + ", ".join(f"{k} {v}" for k, v in rows[-1].items()))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    lines = [
        "# Soak results", "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} cores; "
        f"wrk -t2 --timeout 5s, {SECONDS} s per level, canned queries and resource look-ups round-robin; "
        "halfway through each level one worker is killed (SIGKILL) and 16 slow clients connect.", "",
        "| connections | requests | req/s | non-2xx | socket errors (connect/read/write/timeout) | p50 | p99 "
        "| memory |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *(f"| {r['connections']} | {r['requests']} | {r['rps']} | {r['non2xx']} | {r['socket']} | {r['p50']} | "
          f"{r['p99']} | {r['mem']} |" for r in rows), "",
    ]
    (ROOT / "benchmarks" / "SOAK.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()

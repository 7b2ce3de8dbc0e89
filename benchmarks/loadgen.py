"""Load from wrk on loopback, and the peak memory of a server's whole process tree."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from pathlib import Path

LUA = """
path = "%s"
n = 0
distinct = %s
request = function()
  n = n + 1
  local p = path
  -- A comment that differs per request defeats every cache: the whole request path is timed.
  if distinct then p = p .. "%%0A%%23" .. n .. "-" .. math.random(1000000000) end
  return wrk.format("GET", p, {["Accept"] = "application/sparql-results+json"})
end
"""


def wrk(base: str, path: str, connections: int, seconds: int, tmp: Path, *, distinct: bool) -> dict[str, float]:
    script = tmp / "lookup.lua"
    script.write_text(LUA % (path.replace('"', '\\"'), "true" if distinct else "false"))
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), base]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)] if m else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(errors.group(1)) if errors else 0
    failed += sum(int(x) for x in socket_errors.groups()) if socket_errors else 0
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50": ms("50%"), "p99": ms("99%"), "errors": failed}


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                continue
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakRSS:
    """Samples the summed RSS of a process and all its descendants every 100 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in _tree(self.pid)))
            time.sleep(0.1)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return round(self.peak_kb / 1024, 1)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True

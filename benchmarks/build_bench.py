"""Build benchmark: stage times and peak memory at 1x, 3x, 10x and 30x the paper's graph.

Each build runs in its own child process (`fareast-kg build --data DIR --store DIR --force`), so
its peak resident memory is the child's own (``os.wait4``). The growth exponent of each stage is
the least-squares slope of log(time) over log(asserted quads).
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "1,3,10,30").split(","))
STAGES = ("parse", "validate", "reason", "load", "swap")
_STAGE_LINE = re.compile(r"^\s+(\w+)\s+(\d+) ms\s")
_QUADS = re.compile(r"(\d+) data quads")


def run_build(data: Path, store: Path, *, force: bool = True) -> dict[str, float]:
    """One build in a child; stage seconds, total wall seconds, peak RSS (MB) and asserted quads."""
    command = [sys.executable, "-m", "fareast_kg.cli", "build", "--data", str(data), "--store", str(store)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([*command, *(["--force"] if force else [])], stdout=out, stderr=err, text=True)
        # wait4 gives this child's own resource usage, so the peak is this build's alone.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    if proc.returncode:
        raise RuntimeError(f"build of {data} failed: {errors.strip()}")
    row: dict[str, float] = {"wall": wall, "peak_mb": round(usage.ru_maxrss / 1024, 1)}
    for line in text.splitlines():
        if m := _STAGE_LINE.match(line):
            row[m.group(1)] = int(m.group(2)) / 1000
        if m := _QUADS.search(line):
            row["quads"] = int(m.group(1))
    return row


def exponent(xs: list[float], ys: list[float]) -> float:
    """Slope of the least-squares line through (log x, log y)."""
    pairs = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(pairs) < 2:
        return float("nan")
    mx = sum(x for x, _ in pairs) / len(pairs)
    my = sum(y for _, y in pairs) / len(pairs)
    den = sum((x - mx) ** 2 for x, _ in pairs)
    return sum((x - mx) * (y - my) for x, y in pairs) / den if den else float("nan")


def incremental(data: Path, store: Path) -> dict[str, float]:
    """Change one passage graph of an already built corpus and build again (no --force)."""
    target = sorted(data.rglob("*.trig"))[-1]
    text = target.read_text(encoding="utf-8")
    target.write_text(text + "\n# touched by the benchmark\n", encoding="utf-8")
    try:
        return run_build(data, store, force=False)
    finally:
        target.write_text(text, encoding="utf-8")


def main() -> dict[str, object]:
    rows: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="fareast-bench-") as tmp:
        for i, n in enumerate(SIZES, 1):
            print(f"[build {i}/{len(SIZES)}] writing the {n}x corpus", flush=True)
            data = Path(tmp) / f"data-{n}"
            corpus.write_corpus(n, data)
            print(f"[build {i}/{len(SIZES)}] building the {n}x corpus", flush=True)
            rows[n] = run_build(data, Path(tmp) / f"store-{n}")
            r = rows[n]
            print(f"[build {i}/{len(SIZES)}] {n}x: {int(r['quads'])} quads, {r['wall']:.1f} s, "
                  f"peak {r['peak_mb']:.0f} MB", flush=True)
        mid = 10 if 10 in rows else SIZES[-1]
        print(f"[build] incremental rebuild of the {mid}x corpus after one file changed", flush=True)
        again = incremental(Path(tmp) / f"data-{mid}", Path(tmp) / f"store-{mid}")
    sizes = sorted(rows)
    quads = [rows[n]["quads"] for n in sizes]
    slopes = {stage: round(exponent(quads, [rows[n].get(stage, 0.0) for n in sizes]), 2)
              for stage in (*STAGES, "wall")}
    print_table(rows, slopes, again, mid)
    return {"sizes": {str(n): rows[n] for n in sizes}, "exponents": slopes,
            "incremental": {"size": mid, **again}}


def print_table(rows: dict[int, dict[str, float]], slopes: dict[str, float], again: dict[str, float],
                mid: int) -> None:
    print(f"\n{'size':>5} {'quads':>8} " + " ".join(f"{s:>9}" for s in STAGES) + f" {'wall s':>8} {'peak MB':>8}")
    for n, r in sorted(rows.items()):
        print(f"{n:>4}x {int(r['quads']):>8} " + " ".join(f"{r.get(s, 0.0):>9.2f}" for s in STAGES)
              + f" {r['wall']:>8.1f} {r['peak_mb']:>8.0f}")
    print(f"{'exp':>5} {'':>8} " + " ".join(f"{slopes[s]:>9.2f}" for s in STAGES) + f" {slopes['wall']:>8.2f}")
    print(f"incremental {mid}x (one file changed): {again['wall']:.1f} s against {rows[mid]['wall']:.1f} s full")


if __name__ == "__main__":
    main()

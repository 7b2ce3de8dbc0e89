"""The closing table: printed, and written to benchmarks/RESULTS.md and benchmarks/results.json."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
REFERENCE = "oxigraph"  # ratios are against `oxigraph serve-read-only`
STAGES = ("parse", "validate", "reason", "load", "swap")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))) // 1024 // 1024
    return f"{os.cpu_count()} cores ({cpu}), {mem} GB RAM, {platform.system()} {platform.release()}"


def _ratio(value: float, ref: float) -> str:
    return f"{value / ref:.2f}" if ref and value == value and ref == ref else "–"


def endpoint_lines(result: dict) -> list[str]:
    table = result["table"]
    lines = ["| server | conns | req/s | p50 ms | p99 ms | peak RSS MB | req/s ÷ oxigraph | p50 ÷ oxigraph "
             "| p99 ÷ oxigraph | RSS ÷ oxigraph | non-2xx or errors |", "|" + " --- |" * 11]
    for name, by_conns in table.items():
        for conns, r in by_conns.items():
            ref = table.get(REFERENCE, {}).get(conns, {})
            lines.append(f"| {name} | {conns} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['peak_mb']:.0f} "
                         f"| {_ratio(r['rps'], ref.get('rps', 0))} | {_ratio(r['p50'], ref.get('p50', 0))} "
                         f"| {_ratio(r['p99'], ref.get('p99', 0))} | {_ratio(r['peak_mb'], ref.get('peak_mb', 0))} "
                         f"| {int(r.get('errors', 0))} |")
    return lines


def targets(result: dict) -> list[str]:
    table = result["table"]
    if not {"pyoxigraph", "ours, uncached", "bare flask"} <= set(table):
        return ["- (the contenders the targets compare were not all run)"]
    floor = table["pyoxigraph"]["1"]["p50"]
    uncached, bare = table["ours, uncached"], table["bare flask"]
    pairs = result.get("paired") or {}
    lines = [f"- p50 overhead of an uncached lookup over in-process pyoxigraph (1 connection): "
             f"{uncached['1']['p50'] - floor:.2f} ms in the table{_spread(pairs.get('overhead_ms'), ' ms')} "
             "(target ≤ 0.5 ms)"]
    lines += _paced(pairs)
    for c in ("1", "8", "32"):
        lines.append(f"- uncached throughput ÷ bare Flask route at {c} connection(s): "
                     f"{uncached[c]['rps'] / bare[c]['rps']:.2f} in the table"
                     f"{_spread((pairs.get('ratio') or {}).get(c))} (target ≥ 0.5)")
    if pairs:
        lines += ["", f"The paired figures come from {pairs['rounds']} rounds of back-to-back runs of "
                  f"{pairs['seconds']} s (`BENCH_ROUNDS`): the median, then the lowest and highest round. "
                  "The table's cells run minutes apart, on a machine whose speed drifts."]
    return lines


def _paced(pairs: dict) -> list[str]:
    """The floor as the server's core sees its work: one lookup at a time, idle in between."""
    floors = pairs.get("floor_ms") or {}
    if not pairs.get("overhead_paced_ms") or not floors.get("paced"):
        return []
    hot, paced = statistics.median(floors["back to back"]), statistics.median(floors["paced"])
    return [f"  - the in-process lookup itself takes {hot:.3f} ms back to back, and {paced:.3f} ms at the rate "
            "this server answered at 1 connection (idle between lookups, as the server's core is between "
            "requests): on this machine an idle core comes back slower. Against that paced floor, the "
            f"overhead is {_median_range(pairs['overhead_paced_ms'], ' ms')} "
            "(not the target's measure; it shows how much of the overhead is the machine's idling)"]


def _spread(values: list[float] | None, unit: str = "") -> str:
    return f"; paired: {_median_range(values, unit)}" if values else ""


def _median_range(values: list[float], unit: str = "") -> str:
    ordered = sorted(values)
    return f"{statistics.median(ordered):.2f}{unit} (rounds {ordered[0]:.2f} to {ordered[-1]:.2f}{unit})"


def build_lines(result: dict) -> list[str]:
    lines = ["| size | asserted quads | " + " | ".join(f"{s} s" for s in STAGES) + " | wall s | peak RSS MB |",
             "|" + " --- |" * (len(STAGES) + 4)]
    for n, r in result["sizes"].items():
        lines.append(f"| {n}x | {int(r['quads'])} | " + " | ".join(f"{r.get(s, 0):.2f}" for s in STAGES)
                     + f" | {r['wall']:.1f} | {r['peak_mb']:.0f} |")
    exp = result["exponents"]
    lines.append("| growth exponent | | " + " | ".join(f"{exp[s]:.2f}" for s in STAGES) + f" | {exp['wall']:.2f} | |")
    inc = result["incremental"]
    full = result["sizes"][str(inc["size"])]["wall"]
    lines += ["", f"Incremental rebuild of the {inc['size']}x corpus after a comment was added to one data file "
              f"(the closure is reused): {inc['wall']:.1f} s, against {full:.1f} s for the full build."]
    return lines


def write(build: dict | None, endpoint: dict | None, commands: list[str]) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE).stdout
    parts = ["# Benchmark results", "",
             f"- date: {datetime.now(UTC).isoformat(timespec='seconds')}",
             f"- machine: {machine()}", f"- commit: {commit.strip()}",
             "- commands: " + "; ".join(f"`{c}`" for c in commands), ""]
    if build:
        parts += ["## Build at scale (`benchmarks/corpus.py N`, exact OWL RL closure)", "", *build_lines(build), ""]
    if endpoint:
        parts += [f"## One lookup, side by side ({endpoint['seconds']} s per cell, wrk on loopback)", "",
                  f"Query: `{endpoint['query']}` on a store of {endpoint['store_quads']} quads. "
                  "pyoxigraph is the same lookup in a Python loop without HTTP (1 connection only), reading "
                  f"the store from {endpoint.get('floor_reads', 'disk')}, as the server's workers do; "
                  "the overhead target is measured against it.", "",
                  *endpoint_lines(endpoint), "", "Targets:", "", *targets(endpoint), ""]
    text = "\n".join(parts)
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    (HERE / "results.json").write_text(json.dumps({"build": build, "endpoint": endpoint}, indent=1) + "\n",
                                       encoding="utf-8")
    return text

"""Build benchmark: per-stage times and triple counts for the full data, over several runs."""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from fareast_kg.build.pipeline import build
from fareast_kg.settings import Settings

RUNS = 3


def main() -> dict[str, float]:
    stages: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings.from_env(store=Path(tmp) / "store")
            report = build(settings, force=True, log=lambda _: None)
            for name, seconds, _ in report.stages:
                stages.setdefault(name, []).append(seconds)
            stages.setdefault("total", []).append(report.total_seconds)
            counts = report.counts
    print(f"build of the full data, median of {RUNS} runs")
    for name, values in stages.items():
        print(f"  {name:<9} {statistics.median(values) * 1000:8.0f} ms")
    print("  " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return {name: statistics.median(values) for name, values in stages.items()}


if __name__ == "__main__":
    main()

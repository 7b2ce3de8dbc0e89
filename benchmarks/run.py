"""`make bench`: the build at 1x-30x, then every server side by side; one table at the end.

BENCH_ONLY=build or BENCH_ONLY=endpoint runs one half; BENCH_SIZES=1,3,10 and BENCH_SECONDS=5
shorten a run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import build_bench
import endpoint_bench
import report

if __name__ == "__main__":
    only = os.environ.get("BENCH_ONLY", "")
    build = build_bench.main() if only in ("", "build") else None
    endpoint = endpoint_bench.main() if only in ("", "endpoint") else None
    print()
    print(report.write(build, endpoint, ["make bench", f"BENCH_SIZES={','.join(map(str, build_bench.SIZES))}",
                                         f"BENCH_SECONDS={endpoint_bench.SECONDS}"]))

"""`make bench`: every benchmark, side by side, in one run."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import build_bench
import endpoint_bench

if __name__ == "__main__":
    build_bench.main()
    endpoint_bench.main()

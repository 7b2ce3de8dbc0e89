"""server.py: `python server.py` serves, and `gunicorn server:app` finds the app."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests

from fareast_kg.settings import Settings

from .conftest import BIN, ROOT, free_port, stop_server


def _wait(url: str, proc: subprocess.Popen[bytes]) -> requests.Response:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited"
        try:
            return requests.get(url, params={"query": "ASK { id:harbin a fe:City }"}, timeout=2)
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError("no answer within 30 s")


@pytest.mark.parametrize("how", ["python server.py", "gunicorn server:app"])
def test_entry_points_serve(full: Settings, how: str) -> None:
    port = free_port()
    command = ([sys.executable, str(ROOT / "server.py"), "--port", str(port)] if how.startswith("python")
               else [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "server:app"])
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "FAREAST_STORE": str(full.store)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait(f"http://127.0.0.1:{port}/sparql", proc).json()["boolean"] is True
    finally:
        stop_server(proc)

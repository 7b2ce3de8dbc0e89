"""Real SPARQL engines for the tests, each in a temporary folder on random loopback ports.

An engine that cannot start fails the test with the reason when CI is set, and is
skipped with the reason elsewhere (a developer machine without Virtuoso).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from fareast_kg.backend.client import Endpoints

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def unavailable(reason: str) -> None:
    """Fail in CI, where every engine must run; skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"engine unavailable: {reason}")
    pytest.skip(f"engine unavailable: {reason}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Engine:
    """One engine process; ``stop`` and ``start`` keep its folder and ports (for restart tests)."""

    def __init__(self, kind: str, folder: Path, startup: float) -> None:
        self.kind = kind
        self.folder = folder
        self.startup = startup
        self.http_port = free_port()
        self.sql_port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.endpoints = Endpoints.oxigraph(self.base) if kind == "oxigraph" else Endpoints.virtuoso(self.base)
        self.started_in = 0.0

    def command(self) -> list[str]:
        if self.kind == "oxigraph":
            # The engine's own time limit stops queries our client gave up on.
            return [str(OXIGRAPH), "serve", "--location", str(self.folder / "data"),
                    "--bind", f"127.0.0.1:{self.http_port}", "--timeout-s", "5"]
        ini = self.folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=self.folder, sql_port=self.sql_port, http_port=self.http_port))
        return ["virtuoso-t", "+foreground", "+configfile", str(ini)]

    def start(self) -> None:
        command = self.command()
        if shutil.which(command[0]) is None:
            unavailable(f"{command[0]} is not installed")
        log = open(self.folder / "engine.out", "ab")  # noqa: SIM115 - the engine writes to it while running
        begin = time.monotonic()
        self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
                                     start_new_session=True)
        log.close()
        deadline = begin + self.startup
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = (self.folder / "engine.out").read_text(errors="replace")[-500:]
                self.proc = None
                unavailable(f"{self.kind} exited at start: {tail}")
            try:
                r = requests.get(self.endpoints.query, params={"query": "ASK {}"}, timeout=2)
                if r.status_code == 200:
                    self.started_in = time.monotonic() - begin
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        unavailable(f"{self.kind} did not answer on {self.endpoints.query} within {self.startup:.0f} s")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_engine(kind: str, folder: Path) -> Engine:
    folder.mkdir(parents=True, exist_ok=True)
    engine = Engine(kind, folder, startup=10 if kind == "oxigraph" else 60)
    engine.start()
    return engine

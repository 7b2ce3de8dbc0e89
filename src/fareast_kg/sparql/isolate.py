"""Queries in a child process that can be killed at the time limit.

pyoxigraph has no cancellation, so a runaway query would hold a worker forever.
Children keep the store open and wait for jobs on a pipe; the parent waits for the
answer with a deadline and kills the child when the deadline passes. The next
query starts a new child.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from ..errors import BadQuery, FarEastError, QueryTimeout
from . import results
from .execute import Job, run

_CTX = mp.get_context("spawn")


def _child(conn: Connection, store_path: str) -> None:
    store = ox.Store.read_only(store_path)
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            out = run(store, job)
            conn.send(("ok", out.body, out.rows, out.truncated))
        except BadQuery as exc:
            conn.send(("bad", str(exc)))
        except Exception as exc:  # reported as a short 500 message, never a traceback
            conn.send(("fail", f"{type(exc).__name__}"))


class _Worker:
    def __init__(self, store_path: str) -> None:
        parent, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_child, args=(child, store_path), daemon=True)
        self.process.start()
        child.close()
        self.conn = parent
        try:
            ready = parent.poll(30) and parent.recv() == ("ready",)
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise FarEastError("the query engine did not start")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class IsolatedExecutor:
    """Runs jobs in a pool of child processes, each with a hard deadline.

    A serving thread borrows an idle child (or starts one), and returns it when the
    query is done; a child that ran past the deadline is killed instead.
    """

    def __init__(self, store_path: str) -> None:
        self.store_path = store_path
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()

    def _borrow(self) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                worker = _Worker(self.store_path)
                with self._lock:
                    self._all.append(worker)
                return worker
            if worker.process.is_alive():
                return worker
            self._discard(worker)

    def warm(self) -> None:
        """Start one child now, so that the first query does not wait for it."""
        self._idle.put(self._borrow())

    def run(self, job: Job, timeout: float) -> results.Serialized:
        worker = self._borrow()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                self._discard(worker)
                raise QueryTimeout(
                    f"the query was stopped after the {timeout:g} s time limit; "
                    "add LIMIT, narrow the patterns, or ask for a shorter result"
                )
            reply: tuple[Any, ...] = worker.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            self._discard(worker)
            raise FarEastError("the query engine stopped unexpectedly; try again") from None
        self._idle.put(worker)
        if reply[0] == "ok":
            return results.Serialized(reply[1], reply[2], reply[3])
        if reply[0] == "bad":
            raise BadQuery(reply[1])
        raise FarEastError(f"the query engine failed ({reply[1]})")

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.kill()

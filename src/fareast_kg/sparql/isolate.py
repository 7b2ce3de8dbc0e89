"""Queries in child processes that can be killed: at the time limit, over the memory
limit, or when the server is too busy for another long query.

pyoxigraph has no cancellation, so a runaway query would hold a worker forever.
Children cut themselves off from the network (``sandbox``), open the store and wait
for jobs on a pipe. The parent waits for the answer in short slices, watching the
clock and the child's memory, and kills the child when a limit passes. Allow-listed
federation runs in a separate pool whose children keep the network.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import signal
import threading
import time
from multiprocessing import resource_tracker
from typing import Any

from ..errors import (
    BadQuery,
    FarEastError,
    MemoryLimit,
    QueryTimeout,
    ServerBusy,
    ServiceRefused,
    StoreUnavailable,
)
from . import results, sandbox
from .admission import SLOT_WAIT, Admission, Slot
from .child import Limits, serve_queries
from .execute import Job
from .federation import REFUSED

_CTX = mp.get_context("spawn")
_SLICE = 0.02


class _Worker:
    def __init__(self, store_path: str, network: bool, limits: Limits) -> None:
        parent, child = _CTX.Pipe()
        self.process = _CTX.Process(target=serve_queries, args=(child, store_path, network, limits), daemon=True)
        # The child is born with Ctrl-C blocked (the mask survives exec): the server stops it, quietly.
        # multiprocessing starts its resource tracker on the first spawn and then UNBLOCKS SIGINT
        # and SIGTERM in this thread; start it first, so that the mask below holds for the spawn.
        resource_tracker.ensure_running()
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        child.close()
        self.conn = parent
        self.baseline = 0
        reply: tuple[Any, ...] = ("",)
        try:
            if parent.poll(30):
                reply = parent.recv()
        except (EOFError, OSError):
            pass
        if reply[0] != "ready":
            self.kill()
            if reply[0] == "store":
                raise StoreUnavailable(f"the store cannot be opened ({reply[1]}); rebuild it with `fareast-kg build`")
            raise FarEastError("the query engine did not start")
        self.network_refusal: str | None = reply[1]
        self.baseline = sandbox.rss_bytes(self.process.pid or 0)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class IsolatedExecutor:
    """A pool of query children for one worker process, with admission shared machine-wide."""

    def __init__(self, store_path: str, admission: Admission, limits: Limits, *, network: bool = False) -> None:
        self.store_path = store_path
        self.admission = admission
        self.limits = limits
        self.network = network
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._children = threading.BoundedSemaphore(limits.idle_children)
        self.sandbox_refusal: str | None = None

    def _idle_child(self) -> _Worker | None:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return None
            if worker.process.is_alive():
                return worker
            self._discard(worker)

    def _borrow(self) -> _Worker:
        worker = self._idle_child()
        if worker is None:
            worker = _Worker(self.store_path, self.network, self.limits)
            self.sandbox_refusal = worker.network_refusal
            with self._lock:
                self._all.append(worker)
        return worker

    def _give_back(self, worker: _Worker) -> None:
        if self._idle.qsize() >= self.limits.idle_children:
            self._discard(worker)
        else:
            self._idle.put(worker)

    def warm(self) -> None:
        """Start one child now, so that the first query does not wait for it."""
        self._give_back(self._borrow())

    def run(self, job: Job, timeout: float) -> results.Serialized:
        # The child first, then the run slot: starting a child takes a while (a new interpreter
        # opens the store), and a slot held meanwhile would keep other queries waiting for nothing.
        # At most idle_children children per worker, busy or not, as when slots came first.
        if not self._children.acquire(timeout=SLOT_WAIT):
            raise ServerBusy("the server is running as many queries as it can; try again shortly",
                             self.admission.retry_after)
        try:
            worker = self._borrow()
        except BaseException:
            self._children.release()
            raise
        return self._run_on(worker, job, timeout)

    def run_idle(self, job: Job, timeout: float) -> results.Serialized | None:
        """The answer from a child that is idle now; None, and no child started, when none is."""
        if not self._children.acquire(blocking=False):
            return None
        try:
            worker = self._idle_child()
        except BaseException:
            self._children.release()
            raise
        if worker is None:
            self._children.release()
            return None
        return self._run_on(worker, job, timeout)

    def _run_on(self, worker: _Worker, job: Job, timeout: float) -> results.Serialized:
        """Run the job on a borrowed child, under a child slot the caller holds (released here)."""
        held: _Worker | None = worker  # until it is given back
        try:
            slots: list[Slot] = [self.admission.enter()]
        except BaseException:
            self._give_back(worker)
            self._children.release()
            raise
        try:
            worker.conn.send(job)
            reply = self._wait(worker, timeout, slots)
            self._give_back(worker)
            held = None
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            raise FarEastError("the query engine stopped unexpectedly; try again") from None
        finally:
            if held is not None:  # whatever went wrong, no child is left running
                self._discard(held)
            for slot in slots:
                slot.release()
            self._children.release()
        if reply[0] == "ok":
            return results.Serialized(reply[1], reply[2], reply[3])
        if reply[0] == "bad":
            raise ServiceRefused(REFUSED) if job.federated else BadQuery(reply[1])
        if reply[0] == "memory":
            raise self._memory_error()
        raise FarEastError(f"the query engine failed ({reply[1]})")

    def _wait(self, worker: _Worker, timeout: float, slots: list[Slot]) -> tuple[Any, ...]:
        started = time.monotonic()
        pid = worker.process.pid or 0
        while not worker.conn.poll(_SLICE):
            elapsed = time.monotonic() - started
            if len(slots) == 1 and elapsed > self.admission.cheap_after:
                slots.append(self.admission.go_long())
            if elapsed > timeout:
                raise QueryTimeout(
                    f"the query was stopped after the {timeout:g} s time limit; "
                    "add LIMIT, narrow the patterns, or ask for a shorter result"
                )
            if sandbox.rss_bytes(pid) - worker.baseline > self.limits.memory:
                raise self._memory_error()
            if not worker.process.is_alive() and not worker.conn.poll(0):
                raise self._memory_error() if worker.process.exitcode in (-6, -9) else EOFError()
        return worker.conn.recv()

    def _memory_error(self) -> MemoryLimit:
        return MemoryLimit(f"the query was stopped: it needed more than {self.limits.memory // 2**20} MB of memory; "
                           "add LIMIT or narrow the patterns")

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

"""The embedded backend: the on-disk pyoxigraph store that ``fareast-kg build`` writes.

Each worker opens the generation ``current`` points at, and notices a rebuild by one
readlink per request. A request is pinned to the generation it started on, so it never
sees a mix; the old generation is closed, and its folder removed, once its last request
is done. Queries from clients run in killable, network-less child processes (when
``settings`` is given); bounded queries and the look-ups behind pages run in this process,
from a memory copy of a small store (``opened``). A server opens a new generation beside
the one it serves, and switches once it is ready.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from ..errors import ServerBusy, ServiceRefused, StoreError, StoreUnavailable
from ..namespaces import GRAPH_UNION, PREFIXES
from ..rules import Ranks, ranks_of
from ..settings import Settings
from ..sparql.admission import SLOT_WAIT
from ..sparql.execute import Job, run
from ..sparql.federation import REFUSED
from ..sparql.isolate import IsolatedExecutor
from ..sparql.results import Serialized
from . import layout
from .base import Backend, BuildInfo, Row, Term
from .opened import OpenGeneration

_log = logging.getLogger(__name__)
INLINE_WAIT = 0.05  # seconds a bounded query waits to run in this process before it goes to a child


class EmbeddedBackend(Backend):
    name = "embedded"

    def __init__(self, store_dir: Path, *, settings: Settings | None = None, lenient: bool = False) -> None:
        self.store_dir = store_dir
        self._settings = settings
        self._lock = threading.Lock()
        self._inline_bytes = settings.inline_bytes if settings is not None else 0
        # One bounded query at a time in this process: threads wait here rather than hand the GIL
        # back and forth inside the engine, which halves what four threads get done together.
        self._inline = threading.Lock()
        self._pin = threading.local()
        self._open: OpenGeneration | None = None
        self._retired: list[OpenGeneration] = []
        self._next_try = 0.0  # after a failed switch, the next try waits a second
        self._switching = threading.Lock()  # held while a new generation is opened in the background
        try:
            self._switch()
        except StoreError:
            if not lenient:
                raise

    # ---- generations

    def _switch(self, warm: bool = False) -> bool:
        built = layout.current_build(self.store_dir)
        if built is None:
            raise StoreError(f"no built store in {self.store_dir}/; run `fareast-kg build` first")
        if self._open is not None and built.path.name == self._open.name:
            return False
        opened = OpenGeneration(built, self._settings)
        if warm and opened.executor is not None:
            # Started before the switch, as at boot, so the first query after a rebuild waits for no child.
            try:
                opened.executor.warm()
            except Exception as exc:  # the generation answers anyway, and its first query tries again
                _log.warning("query engine not started for the new build: %s", exc)
        with self._lock:
            old, self._open = self._open, opened
            if old is not None:
                self._retired.append(old)
        self._reap()
        return True

    def refresh(self) -> bool:
        """Follow ``current`` to a new build; after a failed try, the next comes a second later."""
        target = layout.current_target(self.store_dir)
        if (self._open is not None and target == self._open.name) or time.monotonic() < self._next_try:
            return False
        if self._open is not None and self._settings is not None:
            # Serving: the new generation is opened (and copied to memory) beside the old one, which
            # answers until then; so no request waits for it, and a generation answers from one place.
            if self._switching.acquire(blocking=False):
                try:
                    threading.Thread(target=self._switch_aside, name="switch", daemon=True).start()
                except RuntimeError:  # no thread to be had now: the next request tries again
                    self._switching.release()
            return False
        try:
            return self._switch()
        except StoreError:
            self._next_try = time.monotonic() + 1.0
            return False

    def _switch_aside(self) -> None:
        try:
            self._switch(warm=True)
        except Exception as exc:  # in no request: said in the log, and tried again a second later
            if not isinstance(exc, StoreError):
                _log.warning("could not open the new build: %s", exc)
            self._next_try = time.monotonic() + 1.0
        finally:
            self._switching.release()

    def _reap(self) -> None:
        with self._lock:
            idle = [g for g in self._retired if g.users == 0]
            self._retired = [g for g in self._retired if g.users > 0]
        for opened in idle:
            opened.close()
        if idle:
            layout.remove_stale(self.store_dir, builds=False)

    def begin(self) -> None:
        """Pin this thread's request to the generation served now."""
        self.refresh()
        with self._lock:
            opened = self._open
            if opened is not None:
                opened.users += 1
        self._pin.opened = opened

    def end(self) -> None:
        opened: OpenGeneration | None = getattr(self._pin, "opened", None)
        self._pin.opened = None
        if opened is not None:
            with self._lock:
                opened.users -= 1
            self._reap()

    def _current(self) -> OpenGeneration:
        opened: OpenGeneration | None = getattr(self._pin, "opened", None) or self._open
        if opened is None:
            raise StoreUnavailable(f"no usable store in {self.store_dir}/ (missing, deleted or unreadable); "
                                   "rebuild it with `fareast-kg build`")
        return opened

    # ---- the Backend protocol

    def build(self) -> BuildInfo:
        return self._current().build

    @property
    def path(self) -> Path:
        """The generation's folder, where the build left files beside the store (derivations)."""
        return self._current().generation.path

    def graphs(self) -> tuple[str, ...]:
        return self._current().graphs

    def files(self) -> Path | None:
        return self._current().generation.path

    def derivations(self) -> Ranks:
        return ranks_of(self._current().generation.path)

    def run(self, job: Job, timeout: float) -> Serialized:
        opened = self._current()
        executor = opened.federation if job.federated else opened.executor
        if job.federated and executor is None:
            raise ServiceRefused(REFUSED)
        if executor is None:  # the command line: in this process, Ctrl-C is the time limit
            return run(opened.store, job)
        # Deleted under the server: 503 from every worker, as a new child would say, even where
        # this process or an idle child still holds the deleted files open.
        if not os.path.isdir(opened.folder):
            raise StoreUnavailable(f"the store {opened.generation.path} was deleted; "
                                   "rebuild it with `fareast-kg build`")
        if self._runs_here(job):
            result = self._here(opened, executor, job, timeout)
            if result is not None:
                return result
        return executor.run(job, timeout)

    def _here(self, opened: OpenGeneration, executor: IsolatedExecutor, job: Job,
              timeout: float) -> Serialized | None:
        """A bounded query is one index walk, stopped by the caps: no child to start, feed or wait for.
        If another holds the turn for 50 ms (a long answer), a child idle on another core takes it;
        with none idle, it waits its turn (which comes sooner than a new child would start) up to the
        time limit or SLOT_WAIT, like any query waiting for a slot, then gets 503. None
        when the answer passes the inline budget: a child produces it again, so memory stays small."""
        if not self._inline.acquire(timeout=INLINE_WAIT):
            result = executor.run_idle(job, timeout)
            if result is not None:
                return result
            if not self._inline.acquire(timeout=min(timeout, SLOT_WAIT)):
                raise ServerBusy("the server is running as many queries as it can; try again shortly",
                                 executor.admission.retry_after)
        try:
            budget = min(self._inline_bytes, executor.limits.max_bytes)
            result = run(opened.reader, job, budget)
        finally:
            self._inline.release()
        return result if result.truncated != "max-bytes" or budget == executor.limits.max_bytes else None

    def _runs_here(self, job: Job) -> bool:
        return job.bounded and self._inline_bytes > 0 and job.default_graphs is not None \
            and len(job.default_graphs) == 1

    def select(self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float = 10.0) -> list[Row]:
        opened = self._current()
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        solutions = opened.reader.query(query, default_graph=ox.NamedNode(GRAPH_UNION), substitutions=subs,
                                       prefixes=PREFIXES)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [{n: t for n, t in zip(names, row, strict=True) if t is not None} for row in solutions]

    @property
    def sandbox_refusal(self) -> str | None:
        """Why query children could not be cut off from the network, if they could not."""
        opened = self._open
        return opened.executor.sandbox_refusal if opened is not None and opened.executor is not None else None

    def warm(self) -> None:
        opened = self._open
        if opened is not None and opened.executor is not None:
            opened.executor.warm()

    def close(self) -> None:
        with self._switching:  # a switch under way finishes first
            with self._lock:
                everything = [*self._retired, *([self._open] if self._open else [])]
                self._retired, self._open = [], None
            for opened in everything:
                opened.close()

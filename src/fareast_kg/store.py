"""The on-disk store: where builds live, how the current one is found and opened.

Layout of the store folder::

    store/
      .lock              flock: exclusive while building, shared while serving
      current -> gen-…   symlink, swapped atomically when a build succeeds
      gen-<hash>/        one pyoxigraph store per build, with build.json beside its files
      .tmp-…/            an unfinished build; removed by the next build
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph

from .errors import StoreError, StoreUnavailable
from .namespaces import GRAPH_INFERRED, GRAPH_UNION, GRAPH_UNION_ASSERTED, UNION_GRAPHS

if TYPE_CHECKING:
    from .settings import Settings
    from .sparql.execute import Job
    from .sparql.isolate import IsolatedExecutor
    from .sparql.results import Serialized

CURRENT = "current"
LOCK = ".lock"
INFO = "build.json"


@dataclass(frozen=True)
class BuiltStore:
    path: Path
    info: dict[str, Any]

    @property
    def build_hash(self) -> str:
        return str(self.info.get("hash", ""))


def current_build(store_dir: Path) -> BuiltStore | None:
    link = store_dir / CURRENT
    try:
        target = link.resolve(strict=True)
        info = json.loads((target / INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return BuiltStore(target, info)


def open_read_only(store_dir: Path) -> tuple[pyoxigraph.Store, BuiltStore]:
    built = current_build(store_dir)
    if built is None:
        raise StoreError(f"no built store in {store_dir}/; run `fareast-kg build` first")
    try:
        return pyoxigraph.Store.read_only(str(built.path)), built
    except OSError as exc:
        raise StoreError(f"cannot open the store {built.path}: {exc}") from None


@contextmanager
def locked(store_dir: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold the store folder's lock: builds take it exclusively, servers share it."""
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(store_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:
        raise StoreError(f"cannot write the store folder {store_dir}/: permission denied") from None
    except OSError as exc:
        raise StoreError(f"cannot use the store folder {store_dir}/: {exc.strerror}") from None
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            who = "a running server or another build" if exclusive else "a build in progress"
            raise StoreError(
                f"the store folder {store_dir}/ is locked by {who}; stop it first, "
                "or build into another folder with `fareast-kg build --store DIR`"
            ) from None
        yield
    finally:
        os.close(fd)


class LocalStore:
    """A built store as the web app sees it: graph names, build identity, and queries.

    Queries run in killable, network-less child processes when ``settings`` is given
    (serving), or in this process (the CLI, where Ctrl-C is the time limit). A server
    whose store is missing or unreadable keeps running and answers 503 until a build
    appears, instead of letting its workers crash in a loop.
    """

    def __init__(self, store_dir: Path, *, settings: Settings | None = None, lenient: bool = False) -> None:
        self.store_dir = store_dir
        self._settings = settings
        self._opened: tuple[pyoxigraph.Store, BuiltStore] | None = None
        self._failed_at = 0.0
        self._executor: IsolatedExecutor | None = None
        self._federation: IsolatedExecutor | None = None
        self.graphs: tuple[str, ...] = ()
        try:
            self._open()
        except StoreError:
            if not lenient:
                raise
            self._failed_at = time.monotonic()

    def _open(self) -> None:
        store, built = open_read_only(self.store_dir)
        # The graphs a user sees; the materialized unions serve only as default graphs.
        self.graphs = tuple(sorted(g.value for g in store.named_graphs() if g.value not in UNION_GRAPHS))
        self._opened = (store, built)
        settings = self._settings
        if settings is not None:
            from .sparql.admission import Admission
            from .sparql.isolate import IsolatedExecutor, Limits

            admission = Admission.for_store(self.store_dir, settings.long_queries, settings.spare_queries,
                                            settings.cheap_after)
            limits = Limits(memory=settings.query_memory * 2**20, max_bytes=settings.max_bytes)
            self._executor = IsolatedExecutor(str(built.path), admission, limits)
            if settings.service_allow:
                self._federation = IsolatedExecutor(str(built.path), admission, limits, network=True)

    def _ready(self) -> tuple[pyoxigraph.Store, BuiltStore]:
        if self._opened is None:
            if time.monotonic() - self._failed_at > 1.0:
                try:
                    self._open()
                except StoreError:
                    self._failed_at = time.monotonic()
            if self._opened is None:
                raise StoreUnavailable(
                    f"no usable store in {self.store_dir}/ (missing, deleted or unreadable); "
                    "rebuild it with `fareast-kg build`"
                )
        return self._opened

    @property
    def store(self) -> pyoxigraph.Store:
        return self._ready()[0]

    @property
    def built(self) -> BuiltStore:
        return self._ready()[1]

    @property
    def build_hash(self) -> str:
        return self.built.build_hash

    def dataset(
        self,
        *,
        infer: bool = True,
        query_has_dataset: bool = False,
        default: tuple[str, ...] | None = None,
        named: tuple[str, ...] | None = None,
    ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        """Default and named graphs: the protocol's if given, else the query's FROM, else the store's."""
        if default is not None or named is not None:
            return (default or (), named or ())
        if query_has_dataset:
            return (None, None)
        graphs = self._ready() and self.graphs
        if infer:
            return (GRAPH_UNION,), graphs
        return (GRAPH_UNION_ASSERTED,), tuple(g for g in graphs if g != GRAPH_INFERRED)

    def execute(self, job: Job, timeout: float) -> Serialized:
        store = self.store
        executor = self._federation if job.federated else self._executor
        if job.federated and executor is None:
            from .errors import ServiceRefused
            from .sparql.federation import REFUSED

            raise ServiceRefused(REFUSED)
        if executor is None:
            from .sparql.execute import run

            return run(store, job)
        return executor.run(job, timeout)

    @property
    def sandbox_refusal(self) -> str | None:
        """Why query children could not be cut off from the network, if they could not."""
        return self._executor.sandbox_refusal if self._executor is not None else None

    def warm(self) -> None:
        if self._executor is not None:
            self._executor.warm()

    def close(self) -> None:
        for executor in (self._executor, self._federation):
            if executor is not None:
                executor.close()

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph

from .errors import StoreError
from .namespaces import GRAPH_INFERRED, GRAPH_UNION, GRAPH_UNION_ASSERTED, UNION_GRAPHS

if TYPE_CHECKING:
    from .sparql.execute import Job
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
                "or build into another folder with --store DIR"
            ) from None
        yield
    finally:
        os.close(fd)


class LocalStore:
    """A built store as the web app sees it: graph names, build identity, and queries.

    Queries run in killable child processes when ``isolate`` is true (serving), or
    in this process (the CLI, where Ctrl-C is the time limit).
    """

    def __init__(self, store_dir: Path, *, isolate: bool = True) -> None:
        self.store, self.built = open_read_only(store_dir)
        # The graphs a user sees; the materialized unions serve only as default graphs.
        self.graphs: tuple[str, ...] = tuple(
            sorted(g.value for g in self.store.named_graphs() if g.value not in UNION_GRAPHS)
        )
        self._executor = None
        if isolate:
            from .sparql.isolate import IsolatedExecutor

            self._executor = IsolatedExecutor(str(self.built.path))

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
        if infer:
            return (GRAPH_UNION,), self.graphs
        return (GRAPH_UNION_ASSERTED,), tuple(g for g in self.graphs if g != GRAPH_INFERRED)

    def execute(self, job: Job, timeout: float) -> Serialized:
        if self._executor is None:
            from .sparql.execute import run

            return run(self.store, job)
        return self._executor.run(job, timeout)

    def warm(self) -> None:
        if self._executor is not None:
            self._executor.warm()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.close()

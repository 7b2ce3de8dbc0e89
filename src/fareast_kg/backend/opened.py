"""One generation of the store, open in a worker: the disk store, a copy of a small store in
memory, and the killable query children.

pyoxigraph answers a look-up from memory in about half the time it takes from the on-disk
store, where every term is decoded through another RocksDB table. So a worker copies a small
store to memory when it opens a generation, before that generation answers anything: one
generation's answers in a worker always come from the same place. A store of more quads than
``memory_quads`` is not copied, so memory stays bounded (about 600 bytes a quad). Query children
always read the disk store: rows of a query without ORDER BY may come in another order there
(SPARQL leaves that order open).
"""

from __future__ import annotations

from itertools import islice

import pyoxigraph as ox

from ..errors import StoreError
from ..namespaces import UNION_GRAPHS
from ..settings import Settings
from ..sparql.isolate import IsolatedExecutor
from . import layout
from .base import BuildInfo

CHUNK = 1000  # quads per insert: each takes a few milliseconds, then other threads may run


def fits(disk: ox.Store, max_quads: int) -> bool:
    """Whether a worker copies this store to memory."""
    return len(disk) <= max_quads


def copy_of(disk: ox.Store, max_quads: int) -> ox.Store | None:
    """Every quad of the disk store in a new in-memory store; None past max_quads."""
    if not fits(disk, max_quads):
        return None
    copy = ox.Store()
    quads = disk.quads_for_pattern(None, None, None, None)
    while chunk := list(islice(quads, CHUNK)):
        copy.extend(chunk)
    return copy


class OpenGeneration:
    """One generation, open in this process: its disk store, its memory copy and its query children."""

    def __init__(self, generation: layout.Generation, settings: Settings | None) -> None:
        try:
            self.store = ox.Store.read_only(str(generation.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store {generation.path}: {exc}") from None
        self.generation = generation
        self.build = BuildInfo(generation.build_hash, generation.info)  # asked for several times a request
        self.name = generation.path.name
        self.folder = str(generation.path)
        self.readers = layout.hold_readers(generation.path)
        # The graphs a user sees; the materialized unions serve only as default graphs.
        self.graphs = tuple(sorted(g.value for g in self.store.named_graphs() if g.value not in UNION_GRAPHS))
        self.users = 0
        self.executor: IsolatedExecutor | None = None
        self.federation: IsolatedExecutor | None = None
        self.memory: ox.Store | None = None
        if settings is not None:
            if settings.memory_quads > 0:
                try:
                    self.memory = copy_of(self.store, settings.memory_quads)
                except OSError as exc:
                    layout.release_readers(self.readers)  # the generation may go: nobody will read it here
                    raise StoreError(f"cannot read the store {generation.path}: {exc}") from None
            from ..sparql.admission import Admission
            from ..sparql.isolate import Limits

            admission = Admission.for_store(settings.store, settings.long_queries, settings.spare_queries,
                                            settings.cheap_after)
            # Keep as many idle children as queries may run at once: starting one costs far more than a query.
            limits = Limits(memory=settings.query_memory * 2**20, max_bytes=settings.max_bytes,
                            idle_children=settings.long_queries + settings.spare_queries)
            self.executor = IsolatedExecutor(str(generation.path), admission, limits)
            if settings.service_allow:
                self.federation = IsolatedExecutor(str(generation.path), admission, limits, network=True)

    @property
    def reader(self) -> ox.Store:
        """Where look-ups in this process read: the memory copy of a small store, else the disk store."""
        return self.memory if self.memory is not None else self.store

    def close(self) -> None:
        self.memory = None
        for executor in (self.executor, self.federation):
            if executor is not None:
                executor.close()
        layout.release_readers(self.readers)
        self.readers = None

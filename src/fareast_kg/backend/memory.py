"""A copy of a small store in this process's memory, for the look-ups a worker runs itself.

pyoxigraph answers a look-up from memory in about a third of the time it takes from the
on-disk store, where every term is decoded through another RocksDB table. Each worker loads
its copy in the background, in chunks so that its request threads keep getting the GIL, and
answers from the disk store until the copy is whole. A store of more quads than the limit is
not copied, so memory stays bounded (about 600 bytes a quad). Query children always read the
disk store: rows of a query without ORDER BY may come in another order there (SPARQL leaves
that order open).
"""

from __future__ import annotations

import threading
from itertools import islice

import pyoxigraph as ox

CHUNK = 1000  # quads per insert: each takes a few milliseconds, then other threads may run


class MemoryCopy:
    """The disk store's quads in an in-memory store; ``store`` is None until the copy is whole."""

    def __init__(self, disk: ox.Store, max_quads: int) -> None:
        self.store: ox.Store | None = None
        self.max_quads = max_quads
        self._stop = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._load, args=(disk,), name="memory copy", daemon=True)
        self._thread.start()

    def _load(self, disk: ox.Store) -> None:
        try:
            if len(disk) > self.max_quads:
                return
            copy = ox.Store()
            quads = disk.quads_for_pattern(None, None, None, None)
            while not self._stop.is_set() and (chunk := list(islice(quads, CHUNK))):
                copy.extend(chunk)
            if not self._stop.is_set():
                self.store = copy
        except OSError:
            return  # the folder went away under the loader: the disk store reports that to requests
        finally:
            self._done.set()

    def wait(self, timeout: float) -> bool:
        """Whether the loader has finished (with a copy, or having declined one) within timeout."""
        return self._done.wait(timeout)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)  # at most one chunk: a native insert must not run on into exit
        self.store = None

"""A bounded cache of serialized results: the data changes only with a new build."""

from __future__ import annotations

import threading
from collections import OrderedDict

from .results import Serialized


class ResultCache:
    def __init__(self, max_entries: int = 512, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._items: OrderedDict[str, Serialized] = OrderedDict()
        self._bytes = 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._lock = threading.Lock()

    def get(self, key: str) -> Serialized | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, value: Serialized) -> None:
        size = len(value.body)
        if size > self._max_bytes // 8:
            return  # one huge result would evict everything else
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self._bytes += size
            while len(self._items) > self._max_entries or self._bytes > self._max_bytes:
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old.body)

    def __len__(self) -> int:
        return len(self._items)

"""How many queries may run at once, shared by every worker process on this machine.

Slots are lock files held with ``flock``: the kernel releases a slot when its holder
dies, so a killed worker never leaks capacity. A query needs a run slot to start, and
a long slot to go on past ``cheap_after`` seconds. With every long slot taken by
runaway queries, the run slots left over still answer cheap queries at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import ServerBusy

SLOT_WAIT = 2.0  # seconds a query waits for a run slot, a child or its turn in the worker; then 503


class Slot:
    def __init__(self, slots: Slots, index: int) -> None:
        self._slots: Slots | None = slots
        self._index = index

    def release(self) -> None:
        if self._slots is not None:
            self._slots.give_back(self._index)
            self._slots = None


class Slots:
    """Lock files opened once per process: a thread lock keeps threads of this process apart
    (they share the descriptor), the flock keeps processes apart."""

    def __init__(self, folder: Path, name: str, count: int) -> None:
        self._fds = [os.open(folder / f"{name}-{i}.lock", os.O_RDWR | os.O_CREAT, 0o600) for i in range(count)]
        self._held = [threading.Lock() for _ in range(count)]

    def try_take(self) -> Slot | None:
        count = len(self._fds)
        start = random.randrange(count) if count else 0  # spread the processes over the slots
        for k in range(count):
            i = (start + k) % count
            if not self._held[i].acquire(blocking=False):
                continue
            try:
                fcntl.flock(self._fds[i], fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._held[i].release()
                continue
            return Slot(self, i)
        return None

    def give_back(self, index: int) -> None:
        fcntl.flock(self._fds[index], fcntl.LOCK_UN)
        self._held[index].release()


@dataclass(frozen=True)
class Admission:
    run: Slots
    long: Slots
    cheap_after: float
    retry_after: int

    @classmethod
    def for_store(cls, store: Path, long_slots: int, spare_slots: int, cheap_after: float) -> Admission:
        key = hashlib.sha256(str(store.resolve()).encode()).hexdigest()[:12]
        folder = Path(tempfile.gettempdir()) / f"fareast-kg-{os.getuid()}-{key}"
        folder.mkdir(mode=0o700, exist_ok=True)
        return cls(Slots(folder, "run", long_slots + spare_slots), Slots(folder, "long", long_slots), cheap_after,
                   retry_after=5)

    def enter(self, wait: float = SLOT_WAIT) -> Slot:
        """A run slot, waiting briefly for one; past capacity, a 503 that says when to retry."""
        give_up = time.monotonic() + wait
        while True:
            slot = self.run.try_take()
            if slot is not None:
                return slot
            if time.monotonic() >= give_up:
                raise ServerBusy("the server is running as many queries as it can; try again shortly",
                                 self.retry_after)
            time.sleep(0.003)

    def go_long(self) -> Slot:
        slot = self.long.try_take()
        if slot is None:
            raise ServerBusy("the query was stopped: the server is already running as many long queries as it "
                             "allows; try again shortly, or make the query cheaper", self.retry_after)
        return slot

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
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import ServerBusy


class Slot:
    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


class Slots:
    def __init__(self, folder: Path, name: str, count: int) -> None:
        self.paths = [folder / f"{name}-{i}.lock" for i in range(count)]
        for path in self.paths:
            path.touch(exist_ok=True)

    def try_take(self) -> Slot | None:
        for path in self.paths:
            fd = os.open(path, os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return Slot(fd)
        return None


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

    def enter(self, wait: float = 2.0) -> Slot:
        """A run slot, waiting briefly for one; past capacity, a 503 that says when to retry."""
        give_up = time.monotonic() + wait
        while True:
            slot = self.run.try_take()
            if slot is not None:
                return slot
            if time.monotonic() >= give_up:
                raise ServerBusy("the server is running as many queries as it can; try again shortly",
                                 self.retry_after)
            time.sleep(0.01)

    def go_long(self) -> Slot:
        slot = self.long.try_take()
        if slot is None:
            raise ServerBusy("the query was stopped: the server is already running as many long queries as it "
                             "allows; try again shortly, or make the query cheaper", self.retry_after)
        return slot

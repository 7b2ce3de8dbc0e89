"""The gunicorn worker `fareast-kg serve` runs: gunicorn's gthread worker, with two changes.

- **The thread stays with a busy connection.** In gthread, every request on a kept-alive
  connection goes through the worker's main loop: the answering thread hands the connection back,
  the loop wakes to put it on the poller, wakes again when the next request arrives, and hands it
  to a thread again. Here the thread that answered waits up to ``KEEP_WAITING`` for the client's
  next request and answers that too; only a quiet connection goes back to the loop. It waits only
  while no other connection is waiting for a thread, so busy clients cannot starve the rest.
- **Ctrl-C and SIGQUIT end the worker at once** (``quit_now``).
"""

from __future__ import annotations

import logging
import os
import select
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

# Long enough for a client's next request on loopback or a LAN; short enough that a thread held
# by a client that has gone quiet is back in the pool at once.
KEEP_WAITING = 0.002  # seconds


def quit_now(_worker: Any) -> None:
    """Ctrl-C or SIGQUIT: leave at once, whatever the worker was doing (loading the app, starting
    a query child, answering). Unwinding instead would tear the interpreter down under the store's
    native threads, a crash on a busy machine. The query children die with the worker
    (PR_SET_PDEATHSIG)."""
    logging.shutdown()
    os._exit(0)


class CountingPool(ThreadPoolExecutor):
    """A thread pool that knows how many tasks wait for a thread."""

    def __init__(self, threads: int) -> None:
        super().__init__(max_workers=threads)
        self._count = threading.Lock()
        self._waiting = 0

    @property
    def waiting(self) -> int:
        return self._waiting

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._count:
            self._waiting += 1
        return super().submit(self._started, fn, *args, **kwargs)

    def _started(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self._count:
            self._waiting -= 1
        return fn(*args, **kwargs)


class Worker(ThreadWorker):  # type: ignore[misc]
    tpool: CountingPool

    def get_thread_pool(self) -> CountingPool:
        return CountingPool(self.cfg.threads)

    def handle(self, conn: Any) -> Any:
        keep = super().handle(conn)
        while keep is True and self.alive and self._next_request(conn):
            keep = super().handle(conn)
        return keep

    def _next_request(self, conn: Any) -> bool:
        """Whether the client's next request is here, or arrives within ``KEEP_WAITING``."""
        if self.tpool.waiting:
            return False
        if conn.parser.unreader.buf.getvalue():  # already read (a pipelined request)
            return True
        poller = select.poll()
        poller.register(conn.sock, select.POLLIN)
        return bool(poller.poll(KEEP_WAITING * 1000))

    def handle_quit(self, sig: int, frame: Any) -> None:
        """gthread's own handler first shuts its thread pool down under a lock: a terminal's SIGINT
        and the arbiter's SIGQUIT arriving together re-enter it and deadlock, until the arbiter
        kills the worker."""
        quit_now(self)

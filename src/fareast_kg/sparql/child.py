"""The query child's side of the pipe. Imports here are stdlib only, so that a child
starting up is quick to reach the first line of ``serve_queries``, which ignores Ctrl-C.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .execute import Job


@dataclass(frozen=True)
class Limits:
    memory: int  # bytes a child may grow by while it answers
    max_bytes: int  # result size, signalled like the row limit
    idle_children: int = 2


def serve_queries(conn: Connection, store_path: str, network: bool, limits: Limits) -> None:
    """The child's whole life: leave Ctrl-C to the server, drop the network, open the store, answer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from . import sandbox

    sandbox.follow_parent()
    refused = None if network else sandbox.cut_network()
    import pyoxigraph as ox

    from ..errors import BadQuery
    from .execute import run
    from .federation import REFUSED

    try:
        store = ox.Store.read_only(store_path)
    except OSError as exc:
        _reply(conn, ("store", str(exc).splitlines()[0][:200]))
        return
    sandbox.cap_address_space(limits.memory * 2)
    if _reply(conn, ("ready", refused)):
        _answer(conn, store, limits, run, BadQuery, REFUSED)


def _reply(conn: Connection, message: tuple[object, ...]) -> bool:
    """False when the worker is gone (it was stopped while this child started): leave quietly."""
    try:
        conn.send(message)
    except OSError:
        return False
    return True


def _answer(conn: Connection, store: object, limits: Limits, run: Callable[..., Any], bad: type[Exception],
            refused: str) -> None:
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            out = run(store, job, limits.max_bytes)
            reply: tuple[object, ...] = ("ok", out.body, out.rows, out.truncated)
        except bad as exc:
            reply = ("bad", refused if job.federated else str(exc))
        except MemoryError:
            reply = ("memory", "")
        except Exception as exc:  # reported as a short 500 message, never a traceback
            reply = ("fail", type(exc).__name__)
        if not _reply(conn, reply):
            return

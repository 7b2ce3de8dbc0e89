"""The query child's side of the pipe. Imports here are stdlib only, so that a child
starting up is quick to reach the first line of ``serve_queries``, which ignores Ctrl-C.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

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
        conn.send(("store", str(exc).splitlines()[0][:200]))
        return
    sandbox.cap_address_space(limits.memory * 2)
    conn.send(("ready", refused))
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            out = run(store, job, limits.max_bytes)
            conn.send(("ok", out.body, out.rows, out.truncated))
        except BadQuery as exc:
            conn.send(("bad", REFUSED if job.federated else str(exc)))
        except MemoryError:
            conn.send(("memory", ""))
        except Exception as exc:  # reported as a short 500 message, never a traceback
            conn.send(("fail", type(exc).__name__))

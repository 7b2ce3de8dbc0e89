"""What a query child does to itself before it takes queries: no network, bounded memory.

A child cut off from the network cannot be used to reach internal services, whatever
the query says; the grammar check in ``guard`` only decides the message. Where the
kernel refuses a new network namespace, the child reports why, and the server logs it.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def cut_network() -> str | None:
    """Move this process into an empty network namespace; None on success, else the reason."""
    libc = _libc()
    if libc.unshare(CLONE_NEWNET) == 0:
        return None
    first = os.strerror(ctypes.get_errno())
    # Without root, a user namespace grants the right to make a network namespace.
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return None
    return f"unshare(CLONE_NEWNET) failed: {first}; with CLONE_NEWUSER: {os.strerror(ctypes.get_errno())}"


def follow_parent() -> None:
    """Die with the worker that started this child, and leave Ctrl-C to the server."""
    _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        os._exit(0)  # the worker died before the line above could tie this child to it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def cap_address_space(extra_bytes: int) -> None:
    """A hard backstop above the memory the child already maps: allocation past it fails."""
    current = vm_bytes(os.getpid())
    limit = current + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _statm(pid: int) -> list[int]:
    with open(f"/proc/{pid}/statm", encoding="ascii") as f:
        return [int(x) for x in f.read().split()]


def vm_bytes(pid: int) -> int:
    return _statm(pid)[0] * _PAGE


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, or 0 once it has gone."""
    try:
        return _statm(pid)[1] * _PAGE
    except (OSError, ValueError, IndexError):
        return 0

"""The store folder: generations, the ``current`` pointer, and the locks that let a build run
while servers read.

Layout::

    store/
      .lock              flock: held exclusively by a build, so two builds never overlap
      current -> gen-…   symlink, swapped atomically when a build succeeds
      gen-<hash>/        one pyoxigraph store per build, with build.json beside its files
        .readers         flock: shared by every process that has this generation open
        dumps/           the build's downloadable dumps (``build.dumps``), listed in build.json
      .tmp-…/            an unfinished build; removed by the next build
      .cache/            closures a later build may reuse (``build.cache``)

A server never blocks a build: it holds a shared lock on the ``.readers`` file of each
generation it has open. Old generations are removed, by the build or by the last server
to let go of them, only when nobody holds that lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import StoreError

CURRENT = "current"
LOCK = ".lock"
INFO = "build.json"
READERS = ".readers"
DUMPS = "dumps"


@dataclass(frozen=True)
class Generation:
    path: Path
    info: dict[str, Any]

    @property
    def build_hash(self) -> str:
        return str(self.info.get("hash", ""))


def current_target(store_dir: Path) -> str | None:
    """The name ``current`` points at: one readlink, cheap enough to check on every request."""
    try:
        return os.readlink(os.path.join(store_dir, CURRENT))  # not pathlib: a third of the cost
    except OSError:
        return None


def current_build(store_dir: Path) -> Generation | None:
    link = store_dir / CURRENT
    try:
        target = link.resolve(strict=True)
        info = json.loads((target / INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Generation(target, info)


@contextmanager
def build_lock(store_dir: Path) -> Iterator[None]:
    """Held by a build from start to swap: a second build waits for nobody and is refused."""
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(store_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:
        raise StoreError(f"cannot write the store folder {store_dir}/: permission denied") from None
    except OSError as exc:
        raise StoreError(f"cannot use the store folder {store_dir}/: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"the store folder {store_dir}/ is locked by another build; wait for it, "
                "or build into another folder with `fareast-kg build --store DIR`"
            ) from None
        yield
    finally:
        os.close(fd)


def hold_readers(generation: Path) -> int | None:
    """Mark a generation as in use by this process; the descriptor is the mark."""
    try:
        fd = os.open(generation / READERS, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None  # a read-only store folder: it cannot be cleaned up under us either
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def release_readers(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _unused(generation: Path) -> bool:
    try:
        fd = os.open(generation / READERS, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def swap_in(tmp: Path, store_dir: Path, build_hash: str, info: dict[str, Any]) -> Path:
    """Give the finished store its final name and point ``current`` at it atomically."""
    (tmp / INFO).write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    _fsync_dir(tmp)
    final = store_dir / f"gen-{build_hash[:16]}"
    n = 1
    while final.exists():  # a forced rebuild of the same data: the old copy may still be read
        final = store_dir / f"gen-{build_hash[:16]}.{n}"
        n += 1
    os.rename(tmp, final)
    link_tmp = store_dir / f".{CURRENT}.tmp"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(final.name, link_tmp)
    os.replace(link_tmp, store_dir / CURRENT)
    _fsync_dir(store_dir)
    return final


def remove_stale(store_dir: Path, *, builds: bool = True) -> list[str]:
    """Delete generations other than the current one that nobody reads, and, when a build
    holds the lock (``builds``), unfinished builds."""
    target = current_target(store_dir)
    removed = []
    for child in sorted(store_dir.iterdir()) if store_dir.is_dir() else []:
        stale_tmp = builds and child.name.startswith(".tmp-")
        old_gen = child.name.startswith("gen-") and child.name != target and _unused(child)
        if child.is_dir() and (stale_tmp or old_gen):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""The web layer: views, each reaching the data through ``context()``."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from ..context import KEY, Context

T = TypeVar("T")


def context() -> Context:
    """The app's one Context (see ``app.create_app``)."""
    ctx: Context = current_app.extensions[KEY]
    return ctx


def per_build(name: Hashable, make: Callable[[], T], size: Callable[[T], int]) -> T:
    """A value computed once per build and kept in the one result cache, under a key that starts
    with the build's key (``BuildInfo.key``): a rebuild makes the old value unreachable."""
    ctx = context()
    key = (ctx.backend.build().key, name)
    found: T | None = ctx.cache.get(key)
    if found is None:
        found = make()
        ctx.cache.put(key, found, size(found))
    return found

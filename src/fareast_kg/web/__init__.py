"""The web layer: Flask blueprints' views, each reaching the data through ``context()``."""

from __future__ import annotations

from flask import current_app

from ..context import KEY, Context


def context() -> Context:
    """The app's one Context (see ``app.create_app``)."""
    ctx: Context = current_app.extensions[KEY]
    return ctx

"""WSGI entry point: ``gunicorn server:app``, or ``python server.py`` to serve directly."""

from __future__ import annotations

import sys

from fareast_kg.cli import main
from fareast_kg.serve import make_app
from fareast_kg.settings import Settings


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    # Build the app only when a WSGI server asks for it, so importing stays cheap.
    if name == "app":
        return make_app(Settings.from_env())
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))

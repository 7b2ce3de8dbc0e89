"""What every handler works with, in one frozen, typed place.

``create_app`` builds the Context once; handlers reach it through ``web.context()`` and
take what they need from it explicitly: settings, the backend, the canned queries and the
one result cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from .backend.base import Backend
from .canned import Registry
from .settings import Settings
from .sparql.cache import ResultCache

KEY = "fareast-kg"


@dataclass(frozen=True)
class Context:
    settings: Settings
    backend: Backend
    queries: Registry
    cache: ResultCache
    version: str

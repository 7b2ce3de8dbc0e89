"""The one way to the data: ``open_backend`` picks the embedded store or a remote engine."""

from __future__ import annotations

from ..settings import Settings
from ..sparql import results
from .base import Backend
from .client import Endpoints
from .oxigraph import OxigraphBackend
from .remote import RemoteBackend
from .virtuoso import VirtuosoBackend


def endpoints(settings: Settings) -> Endpoints:
    """The remote engine's URLs: the engine's usual layout, or exactly what the settings name."""
    url = settings.store_url
    if settings.engine == "oxigraph":
        found = Endpoints.oxigraph(url.removesuffix("/query"))
    elif settings.engine == "virtuoso":
        found = Endpoints.virtuoso(url.removesuffix("/sparql"), settings.store_user or "dba",
                                   settings.store_password or "dba")
    else:
        found = Endpoints(url, user=settings.store_user or None, password=settings.store_password or None)
    return Endpoints(found.query, settings.update_url or found.update, settings.gsp_url or found.store,
                     found.user, found.password, found.digest, found.engine)


def open_backend(settings: Settings, *, serving: bool = False, lenient: bool = False) -> Backend:
    """The backend the settings name. Serving: client queries run in killable, network-less children
    (embedded) and every limit applies (both); lenient: a missing store answers 503 instead of failing."""
    if settings.store_url:
        return connect(endpoints(settings), max_bytes=settings.max_bytes)
    from .embedded import EmbeddedBackend

    return EmbeddedBackend(settings.store, settings=settings if serving else None, lenient=lenient)


def connect(endpoints: Endpoints, *, max_bytes: int = results.UNLIMITED) -> RemoteBackend:
    """The backend class that knows the engine's quirks."""
    if endpoints.engine == "virtuoso":
        return VirtuosoBackend(endpoints, max_bytes=max_bytes)
    if endpoints.engine == "oxigraph":
        return OxigraphBackend(endpoints, max_bytes=max_bytes)
    return RemoteBackend(endpoints, max_bytes=max_bytes)

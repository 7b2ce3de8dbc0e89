"""HTTP to a SPARQL engine with one deadline, and engine failures as our errors.

The engine's body is streamed: pyoxigraph's parsers read it as it comes, so the row
and byte caps stop reading (and drop the connection) instead of buffering a huge
answer, and every read is bounded by what is left of the query's time.
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from ..errors import BadQuery, EngineUnavailable, QueryTimeout


@dataclass(frozen=True)
class Endpoints:
    """Where an engine answers: queries, updates (publishing only) and the Graph Store Protocol."""

    query: str
    update: str | None = None
    store: str | None = None  # Graph Store Protocol, e.g. http://host/store?graph=...
    user: str | None = None
    password: str | None = None
    digest: bool = False  # Virtuoso's /sparql-auth and /sparql-graph-crud-auth want digest
    engine: str = "sparql"  # "oxigraph", "virtuoso", or "sparql" for any SPARQL 1.1 server

    @classmethod
    def oxigraph(cls, base: str) -> Endpoints:
        base = base.rstrip("/")
        return cls(f"{base}/query", f"{base}/update", f"{base}/store", engine="oxigraph")

    @classmethod
    def virtuoso(cls, base: str, user: str = "dba", password: str = "dba") -> Endpoints:
        base = base.rstrip("/")
        return cls(f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
                   user, password, digest=True, engine="virtuoso")

    def auth(self) -> AuthBase | None:
        if self.user is None:
            return None
        cls = HTTPDigestAuth if self.digest else HTTPBasicAuth
        return cls(self.user, self.password or "")


class Body(io.RawIOBase):
    """The response body as a file, each read bounded by the deadline."""

    def __init__(self, response: requests.Response, deadline: float) -> None:
        self.response = response
        self.deadline = deadline
        self.expired = False
        self.broken = False
        self.tail = b""  # the last bytes read: some engines report a timeout inside a 200 body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError("query time is up")
        _socket_timeout(self.response, left)
        try:
            data = self.response.raw.read1(len(buffer))
        except Exception:
            if time.monotonic() >= self.deadline - 0.05:
                self.expired = True
            else:
                self.broken = True
            raise
        buffer[: len(data)] = data
        self.tail = (self.tail + data)[-300:]
        return len(data)


def _socket_timeout(response: requests.Response, seconds: float) -> None:
    # requests applies one read timeout per socket read; shrink it to what is left of the deadline.
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.01))


class Client:
    """One session per backend: pooled connections, credentials, no sticky failure state."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints
        self.session = requests.Session()
        self.session.auth = endpoints.auth()
        # Compressed bodies cannot be read incrementally through raw; loopback needs no gzip.
        self.session.headers["Accept-Encoding"] = "identity"

    def post(self, url: str, data: Mapping[str, Any], accept: str, timeout: float) -> tuple[requests.Response, Body]:
        """POST a form; the streamed response and its deadline-bounded body."""
        deadline = time.monotonic() + timeout
        try:
            response = self.session.post(url, data=data, headers={"Accept": accept}, stream=True,
                                         timeout=(min(timeout, 5.0), timeout))
        except requests.exceptions.ConnectTimeout:
            raise unavailable(url, "did not accept a connection") from None
        except requests.exceptions.ReadTimeout:
            raise QueryTimeout(f"the query ran past its time limit of {timeout:g} s") from None
        except requests.exceptions.RequestException:
            raise unavailable(url, "cannot be reached") from None
        check_status(response, url)
        return response, Body(response, deadline)

    def send(self, method: str, url: str, timeout: float, **kwargs: Any) -> requests.Response:
        """A whole request for publishing (updates, Graph Store writes)."""
        try:
            response = self.session.request(method, url, timeout=(5.0, timeout), **kwargs)
        except requests.exceptions.ReadTimeout:
            raise QueryTimeout(f"the engine at {url} did not finish within {timeout:g} s") from None
        except requests.exceptions.RequestException:
            raise unavailable(url, "cannot be reached") from None
        check_status(response, url)
        return response

    def close(self) -> None:
        self.session.close()


def unavailable(url: str, what: str) -> EngineUnavailable:
    return EngineUnavailable(f"the SPARQL engine at {url} {what}; try again when it is back")


def check_status(response: requests.Response, url: str) -> None:
    """Map the engine's status to our errors; the body is never echoed (it may quote anything)."""
    status = response.status_code
    if status < 400:
        return
    response.close()
    if status >= 500:
        raise unavailable(url, f"answered HTTP {status}")
    if status in (401, 403):
        raise unavailable(url, f"refused our credentials (HTTP {status})")
    raise BadQuery(f"the SPARQL engine at {url} refused the query (HTTP {status})")


def results_format(response: requests.Response) -> ox.QueryResultsFormat:
    media = response.headers.get("Content-Type", "application/sparql-results+json").split(";")[0].strip()
    return ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON


def rdf_format(response: requests.Response) -> ox.RdfFormat:
    media = response.headers.get("Content-Type", "application/n-triples").split(";")[0].strip()
    return ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES

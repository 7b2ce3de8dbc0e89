"""HTTP to a SPARQL engine with one deadline, and engine failures as our errors.

The engine's body is streamed: pyoxigraph's parsers read it as it comes, so the row
and byte caps stop reading (and drop the connection) instead of buffering a huge
answer, and every read is bounded by what is left of the query's time.

Queries, which every request makes, go through a urllib3 pool of kept-alive
connections: requests' session would cost as much again per query (proxy and
.netrc look-ups, hooks), and the engine's address is explicit, so no environment
proxy applies. Publishing, rare and behind digest authentication on Virtuoso, goes
through a requests session.
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
import requests
import urllib3
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ReadTimeoutError

from ..errors import BadQuery, EngineUnavailable, FarEastError, QueryTimeout


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


Response = urllib3.BaseHTTPResponse
POOL_SIZE = 64  # kept-alive connections to the engine: as many as the threads that may query it at once


class Body(io.RawIOBase):
    """The response body as a file, each read bounded by the deadline."""

    def __init__(self, response: Response, deadline: float) -> None:
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
            data = self.response.read1(len(buffer))
        except Exception:
            if time.monotonic() >= self.deadline - 0.05:
                self.expired = True
            else:
                self.broken = True
            raise
        buffer[: len(data)] = data
        self.tail = (self.tail + data)[-300:]
        return len(data)


def _socket_timeout(response: Response, seconds: float) -> None:
    # urllib3 applies one read timeout per socket read; shrink it to what is left of the deadline.
    sock = getattr(response.connection, "sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.01))


class Client:
    """One pool and one session per backend: kept-alive connections, credentials, no sticky failure state."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints
        # Compressed bodies cannot be read incrementally; loopback needs no gzip.
        headers = {"Accept-Encoding": "identity"}
        if endpoints.user is not None and not endpoints.digest:  # basic: sent with each request, as requests does
            headers.update(urllib3.make_headers(basic_auth=f"{endpoints.user}:{endpoints.password or ''}"))
        self.pool = urllib3.PoolManager(maxsize=POOL_SIZE, headers=headers, retries=False)
        self.session = requests.Session()
        self.session.trust_env = False  # as for queries: no environment proxy or .netrc for a given address
        self.session.auth = endpoints.auth()
        self.session.headers["Accept-Encoding"] = "identity"

    def post(self, url: str, query: str, params: Mapping[str, Any], accept: str, timeout: float, *,
             direct: bool = True) -> tuple[Response, Body]:
        """POST a query; the streamed response and its deadline-bounded body. Direct: the query is the
        body (``application/sparql-query``), the other protocol parameters go in the URL, and nothing
        long is percent-encoded. Else one URL-encoded form, for engines that take only that."""
        deadline = time.monotonic() + timeout
        encoded = _encoded(tuple(params.items()))
        if direct:
            target = url + (("&" if "?" in url else "?") + encoded if encoded else "")
            body, kind = query.encode(), "application/sparql-query; charset=utf-8"
        else:
            target, kind = url, "application/x-www-form-urlencoded"
            body = "&".join(filter(None, (urlencode({"query": query}), encoded))).encode("ascii")
        headers = {"Accept": accept, "Content-Type": kind}
        try:
            response = self.pool.request("POST", target, body=body, headers={**self.pool.headers, **headers},
                                         preload_content=False,
                                         timeout=urllib3.Timeout(connect=min(timeout, 5.0), read=timeout))
            if response.status == 401 and self.endpoints.digest:  # a digest challenge: requests answers it
                finish(response)
                response = self.session.post(target, data=body, headers=headers, stream=True,
                                             timeout=(min(timeout, 5.0), timeout)).raw
        except NewConnectionError:  # before ConnectTimeoutError: urllib3 makes it a subclass of that
            raise unavailable(url, "cannot be reached") from None
        except (ConnectTimeoutError, requests.exceptions.ConnectTimeout):
            raise unavailable(url, "did not accept a connection") from None
        except (ReadTimeoutError, requests.exceptions.ReadTimeout):
            raise QueryTimeout(f"the query ran past its time limit of {timeout:g} s") from None
        except (HTTPError, requests.exceptions.RequestException):
            raise unavailable(url, "cannot be reached") from None
        error = refusal(response.status, url)
        if error is not None:
            finish(response)
            raise error
        return response, Body(response, deadline)

    def send(self, method: str, url: str, timeout: float, **kwargs: Any) -> requests.Response:
        """A whole request for publishing (updates, Graph Store writes)."""
        try:
            response = self.session.request(method, url, timeout=(5.0, timeout), **kwargs)
        except requests.exceptions.ReadTimeout:
            raise QueryTimeout(f"the engine at {url} did not finish within {timeout:g} s") from None
        except requests.exceptions.RequestException:
            raise unavailable(url, "cannot be reached") from None
        error = refusal(response.status_code, url)
        if error is not None:
            response.close()
            raise error
        return response

    def close(self) -> None:
        self.pool.clear()
        self.session.close()


def finish(response: Response) -> None:
    """Done with a response. A body read to the end has left its connection to the next query; one
    cut short (a cap, an error) closes it, and its place in the pool is given back."""
    response.close()
    response.release_conn()


def unavailable(url: str, what: str) -> EngineUnavailable:
    return EngineUnavailable(f"the SPARQL engine at {url} {what}; try again when it is back")


def refusal(status: int, url: str) -> FarEastError | None:
    """The engine's status as our error, or None when it answered; the body is never echoed (it may
    quote anything)."""
    if status < 400:
        return None
    if status >= 500:
        return unavailable(url, f"answered HTTP {status}")
    if status in (401, 403):
        return unavailable(url, f"refused our credentials (HTTP {status})")
    return BadQuery(f"the SPARQL engine at {url} refused the query (HTTP {status})")


@lru_cache(maxsize=64)  # the same few datasets (a hundred graph IRIs each) come with every query
def _encoded(params: tuple[tuple[str, str | tuple[str, ...]], ...]) -> str:
    return urlencode(params, doseq=True)


def results_format(response: Response) -> ox.QueryResultsFormat:
    media = response.headers.get("Content-Type", "application/sparql-results+json").split(";")[0].strip()
    return ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON


def rdf_format(response: Response) -> ox.RdfFormat:
    media = response.headers.get("Content-Type", "application/n-triples").split(";")[0].strip()
    return ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES

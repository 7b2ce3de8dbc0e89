"""A WSGI layer that answers repeated GET reads from memory, before Flask is involved.

Answers depend only on the build, the path, the query string, the Host (which names the
endpoint) and the Accept header, so a successful GET can be replayed byte for byte. The
entries live in the app's one result cache under keys that start with the build's key,
so a rebuild while serving is followed at once. This removes Flask's per-request cost
for the common case of many clients asking the same questions. A look-up nobody asked
before skips Flask too when ``direct`` can answer it (``web.sparql.direct``: a bounded
query); on a remote engine that answer stands only once ``backend.settled`` says no switch
overlapped it, as in ``web.onebuild``. Everything else goes through the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from ..backend.base import Backend
from ..errors import FarEastError
from ..sparql.cache import ResultCache

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]
CACHED_PATHS = ("/sparql", "/sparql/", "/api/queries/")


Direct = Callable[[Environ], "tuple[bytes, list[tuple[str, str]]] | None"]
Answer = tuple[str, list[tuple[str, str]], bytes, bool]  # status, headers, body, and whether to keep it


class FastPath:
    def __init__(self, app: WSGIApp, cache: ResultCache, backend: Backend, max_body: int = 256 * 1024, *,
                 direct: Direct | None = None, fixed: Iterable[tuple[str, str]] = ()) -> None:
        self.app = app
        self.cache = cache
        self.backend = backend
        self.max_body = max_body
        self.direct = direct
        self.fixed = list(fixed)  # the headers every response carries (the app adds them to its own)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "GET" or not path.startswith(CACHED_PATHS) or \
                not environ.get("QUERY_STRING"):
            return self.app(environ, start_response)
        started = time.perf_counter()
        # One build for the key, the answer and the header that names it: pinned, then released
        # before the app runs, which pins its own.
        self.backend.begin()
        try:
            key, answered = self._from_memory(environ, path, started)
        except FarEastError:  # no store: Flask answers with the error
            key, answered = None, None
        finally:
            self.backend.end()
        if answered is not None and self._settled():
            status, headers, body, new = answered
            if new:
                self.cache.put(key, (status, headers, body, _etag(headers)), len(body) + 512)
            start_response(status, headers)
            return [body]
        return self.app(environ, start_response) if key is None else self._record(environ, start_response, key)

    def _settled(self) -> bool:
        """On a remote engine, whether a switch overlapped the answer (``backend.settled``): if one
        did, or the check fails, the app answers, with its own check and its own message."""
        try:
            return self.backend.settled()
        except FarEastError:
            return False

    def _from_memory(self, environ: Environ, path: str, started: float) -> tuple[tuple[str, ...], Answer | None]:
        """A replay, or a direct answer (True: to be kept once it is settled); else None, with the key
        the app's answer is kept under."""
        build = self.backend.build()
        key = ("replay", build.key, path, environ.get("QUERY_STRING", ""), environ.get("HTTP_HOST", ""),
               environ.get("HTTP_ACCEPT", ""), environ.get("wsgi.url_scheme", ""))
        hit = self.cache.get(key)
        if hit is not None:
            status, headers, body, etag = hit
            elapsed = (time.perf_counter() - started) * 1000
            timing = ("Server-Timing", f'cache;desc="replayed", total;dur={elapsed:.2f}')
            if etag and etag in environ.get("HTTP_IF_NONE_MATCH", ""):
                kept = [(k, v) for k, v in headers if k.lower() not in ("content-length", "content-type",
                                                                        "server-timing")]
                return key, ("304 NOT MODIFIED", [*kept, timing], b"", False)
            return key, (status, [*[(k, v) for k, v in headers if k.lower() != "server-timing"], timing], body, False)
        found = self.direct(environ) if self.direct is not None and path in ("/sparql", "/sparql/") else None
        if found is None:
            return key, None
        body, headers = found
        total = (time.perf_counter() - started) * 1000
        headers = [*[(k, f"{v}, total;dur={total:.2f}" if k == "Server-Timing" else v) for k, v in headers],
                   *self.fixed, ("Fareast-Build", build.build_hash[:16])]
        return key, ("200 OK", headers, body, True)

    def _record(self, environ: Environ, start_response: StartResponse, key: tuple[str, ...]) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        inner = self.app(environ, capture)
        try:
            body = b"".join(inner)
        finally:
            close = getattr(inner, "close", None)
            if close is not None:
                close()  # WSGI requires it: Flask's teardown (and the generation pin) runs here
        status = captured.get("status", "")
        if status.startswith("200") and len(body) <= self.max_body:
            headers = captured["headers"]
            self.cache.put(key, (status, headers, body, _etag(headers)), len(body) + 512)
        return [body]


def _etag(headers: list[tuple[str, str]]) -> str:
    return next((v for k, v in headers if k.lower() == "etag"), "")

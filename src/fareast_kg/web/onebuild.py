"""Every answer from one build, on engines that show readers a switch half-done.

Flask runs a request between the backend's ``begin`` and ``end``; then ``settled()``
says whether the build it read stayed in place throughout. If a switch overlapped
the request, its answer may mix two builds: it is thrown away and the request runs
again, with the body it came with, on the build served now. Installed only for
backends whose ``verify_reads`` is set (see ``backend.pointer``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..backend.base import Backend
from ..errors import FarEastError

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]
ATTEMPTS = 3  # after a failed check the backend has waited for the switch to end, so the next try is clean


class OneBuild:
    def __init__(self, app: WSGIApp, backend: Backend, max_body: int, headers: Mapping[str, str]) -> None:
        self.app = app
        self.backend = backend
        self.max_body = max_body
        self.headers = list(headers.items())

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        body = self._body(environ)
        for _ in range(ATTEMPTS):
            status, headers, chunks = self._run(environ, body)
            try:
                settled = self.backend.settled()
            except FarEastError as exc:
                return self._fail(start_response, exc.status, str(exc))
            if settled:
                start_response(status, headers)
                return chunks
        return self._fail(start_response, 503, f"the data was switched to another build {ATTEMPTS} times "
                                               "while this request ran; try again", retry=True)

    def _body(self, environ: Environ) -> bytes:
        """The request body, kept for another run (Flask refuses one over the limit with 413)."""
        length = environ.get("CONTENT_LENGTH") or ""
        if length.isdigit() and int(length) > self.max_body:
            return b""
        if not length.isdigit() and not environ.get("wsgi.input_terminated"):
            return b""
        data: bytes = environ["wsgi.input"].read(min(int(length), self.max_body + 1) if length.isdigit()
                                                 else self.max_body + 1)
        return data

    def _run(self, environ: Environ, body: bytes) -> tuple[str, list[tuple[str, str]], list[bytes]]:
        env = dict(environ)
        length = env.get("CONTENT_LENGTH") or ""
        if not (length.isdigit() and int(length) > self.max_body):
            env["wsgi.input"] = io.BytesIO(body)
            env["CONTENT_LENGTH"] = str(len(body))
            env.pop("wsgi.input_terminated", None)
        captured: dict[str, Any] = {}
        chunks: list[bytes] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], Any]:
            captured["status"], captured["headers"] = status, headers
            return chunks.append

        inner = self.app(env, capture)
        try:
            chunks.extend(inner)
        finally:
            close = getattr(inner, "close", None)
            if close is not None:
                close()  # Flask's teardown: the backend's ``end``
        return captured["status"], captured["headers"], chunks

    def _fail(self, start_response: StartResponse, status: int, message: str, *, retry: bool = False) -> list[bytes]:
        reason = {502: "BAD GATEWAY", 503: "SERVICE UNAVAILABLE"}.get(status, "ERROR")
        headers = [*self.headers, ("Content-Type", "text/plain; charset=utf-8")]
        if retry:
            headers.append(("Retry-After", "1"))
        start_response(f"{status} {reason}", headers)
        return [message.encode("utf-8") + b"\n"]

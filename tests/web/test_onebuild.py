"""A request whose build was switched under it runs again, with its body, and only one answer leaves."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from fareast_kg.backend.base import Backend
from fareast_kg.errors import EngineUnavailable
from fareast_kg.web.onebuild import ATTEMPTS, OneBuild


class Switching(Backend):
    """Reports a switch for the first ``switches`` requests, as an engine mid-publish would."""

    name = "test"
    verify_reads = True

    def __init__(self, switches: int, down: bool = False) -> None:
        self.switches = switches
        self.down = down
        self.checked = 0

    def settled(self) -> bool:
        self.checked += 1
        if self.down:
            raise EngineUnavailable("the SPARQL engine at http://127.0.0.1:9/ is down")
        return self.checked > self.switches


def echo(runs: list[bytes]) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        runs.append(body)
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-Run", str(len(runs)))])
        return [b"run ", str(len(runs)).encode(), b": ", body]
    return app


def call(app: OneBuild, body: bytes, **environ: Any) -> tuple[str, dict[str, str], bytes]:
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        started["status"], started["headers"] = status, dict(headers)

    env = {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    env.update(environ)
    out = b"".join(app(env, start_response))
    return started["status"], started["headers"], out


def test_a_switched_request_runs_again_with_its_body() -> None:
    runs: list[bytes] = []
    app = OneBuild(echo(runs), Switching(switches=1), 1024, {"X-Frame-Options": "DENY"})
    status, headers, body = call(app, b"query=ASK%7B%7D")
    assert (status, headers["X-Run"], body) == ("200 OK", "2", b"run 2: query=ASK%7B%7D")
    assert runs == [b"query=ASK%7B%7D", b"query=ASK%7B%7D"]


def test_a_settled_request_runs_once() -> None:
    runs: list[bytes] = []
    status, _, body = call(OneBuild(echo(runs), Switching(switches=0), 1024, {}), b"x=1")
    assert (status, body, len(runs)) == ("200 OK", b"run 1: x=1", 1)


def test_too_many_switches_give_503_with_retry_after() -> None:
    runs: list[bytes] = []
    status, headers, body = call(OneBuild(echo(runs), Switching(switches=ATTEMPTS), 1024,
                                          {"X-Frame-Options": "DENY"}), b"x=1")
    assert status == "503 SERVICE UNAVAILABLE"
    assert (headers["Retry-After"], headers["X-Frame-Options"]) == ("1", "DENY")
    assert body == b"the data was switched to another build 3 times while this request ran; try again\n"
    assert len(runs) == ATTEMPTS


def test_an_engine_down_at_the_check_gives_502() -> None:
    status, _, body = call(OneBuild(echo([]), Switching(0, down=True), 1024, {}), b"")
    assert (status, body) == ("502 BAD GATEWAY", b"the SPARQL engine at http://127.0.0.1:9/ is down\n")


def test_a_chunked_body_over_the_limit_stays_over_it() -> None:
    """Without a length the body is read up to one byte past the limit, so the app still refuses it."""
    runs: list[bytes] = []
    app = OneBuild(echo(runs), Switching(0), 8, {})
    call(app, b"", CONTENT_LENGTH="", **{"wsgi.input": io.BytesIO(b"x" * 100), "wsgi.input_terminated": True})
    assert runs == [b"x" * 9]

"""One probe answers for every request that ended before it began, and for no other."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from fareast_kg.backend.pointer import Probe
from fareast_kg.backend.probes import SharedProbe
from fareast_kg.errors import EngineUnavailable


class Engine:
    """A probe that holds until released, and numbers what it finds."""

    def __init__(self) -> None:
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self.fail = False

    def probe(self) -> Probe:
        self.calls += 1
        number = self.calls
        self.started.set()
        assert self.release.wait(10)
        if self.fail:
            raise EngineUnavailable(f"probe {number} failed")
        return Probe("hash", f"serial-{number}", False)


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = Engine()
    yield engine
    engine.release.set()


def _during_a_probe(shared: SharedProbe, engine: Engine, first: float,
                    later: list[float | None]) -> dict[int, object]:
    """One request probes with the moment ``first``; while its probe runs, requests with the moments
    ``later`` ask (None: now, after that probe began); then the probe returns. What each got (a Probe,
    or the error's message), in that order."""
    out: dict[int, object] = {}

    def ask(moment: float, key: int) -> threading.Thread:
        def run() -> None:
            try:
                out[key] = shared.after(moment)
            except EngineUnavailable as exc:
                out[key] = str(exc)
        thread = threading.Thread(target=run)
        thread.start()
        return thread

    threads = [ask(first, 0)]
    assert engine.started.wait(10)
    threads += [ask(time.monotonic() if moment is None else moment, i) for i, moment in enumerate(later, 1)]
    deadline = time.monotonic() + 10
    while len(shared._changed._waiters) < len(later):  # type: ignore[attr-defined]
        assert time.monotonic() < deadline
        time.sleep(0.001)
    engine.release.set()
    for thread in threads:
        thread.join(10)
    return out


def test_a_lone_request_probes_at_once(engine: Engine) -> None:
    engine.release.set()
    shared = SharedProbe(engine.probe)
    assert shared.after(time.monotonic()) == Probe("hash", "serial-1", False)
    assert shared.after(time.monotonic()) == Probe("hash", "serial-2", False)
    assert engine.calls == 2


def test_requests_that_end_during_a_probe_share_the_next_one(engine: Engine) -> None:
    shared = SharedProbe(engine.probe)
    out = _during_a_probe(shared, engine, time.monotonic(), [None] * 5)
    assert out[0] == Probe("hash", "serial-1", False)
    assert {out[i] for i in range(1, 6)} == {Probe("hash", "serial-2", False)}
    assert engine.calls == 2


def test_a_request_that_ended_before_a_running_probe_began_takes_its_answer(engine: Engine) -> None:
    shared = SharedProbe(engine.probe)
    ended = time.monotonic()
    out = _during_a_probe(shared, engine, time.monotonic(), [ended])
    assert out == {0: Probe("hash", "serial-1", False), 1: Probe("hash", "serial-1", False)}
    assert engine.calls == 1


def test_a_failed_probe_fails_those_it_answers_for_and_the_next_request_probes_again(engine: Engine) -> None:
    engine.fail = True
    shared = SharedProbe(engine.probe)
    ended = time.monotonic()
    assert _during_a_probe(shared, engine, ended, [ended]) == {0: "probe 1 failed", 1: "probe 1 failed"}
    engine.fail = False
    assert shared.after(time.monotonic()) == Probe("hash", "serial-2", False)
    assert engine.calls == 2

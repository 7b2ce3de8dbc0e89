"""One probe of the served build for all the requests that end while another is under way.

After a request, ``RemoteBackend.settled`` asks the engine whether the build the request
read is still served. The answer counts for that request only if the probe began after the
request's last read (``pointer``: an unchanged serial then means that no switch came in
between). Requests that end together need not ask once each. While a probe is under way,
the requests that end wait for the next one, which one of them starts when it returns, and
its answer counts for them all, as in a group commit. Under load the engine gets one probe
per round trip instead of one per request; a lone request probes at once, as before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .pointer import Probe


class SharedProbe:
    def __init__(self, probe: Callable[[], Probe]) -> None:
        self._probe = probe
        self._changed = threading.Condition()
        self._running = False
        # When the last probe began, and what it found or the error it raised.
        self._last: tuple[float, Probe | Exception] = (float("-inf"), Exception())

    def after(self, moment: float) -> Probe:
        """What a probe that began after ``moment`` (``time.monotonic()``) found."""
        with self._changed:
            while True:
                began, outcome = self._last
                if began > moment:
                    return _result(outcome)
                if not self._running:
                    break
                self._changed.wait()
            self._running = True
            began = time.monotonic()
        outcome: Probe | Exception = RuntimeError("the probe of the served build was interrupted")
        try:
            outcome = self._probe()
        except Exception as exc:  # the waiters that this probe answers for get the same error
            outcome = exc
        finally:
            with self._changed:
                self._running = False
                self._last = (began, outcome)
                self._changed.notify_all()
        return _result(outcome)


def _result(outcome: Probe | Exception) -> Probe:
    if isinstance(outcome, Exception):
        raise outcome
    return outcome

"""``oxigraph serve``: the dataset goes as protocol parameters, and updates are one transaction.

Each query reads one snapshot, so a single query never sees a switch half-done; the
build a request names still comes from a separate read, so its answer is checked
after it as on any engine (``RemoteBackend.settled``). Queries go as the request body
(``application/sparql-query``), the dataset as URL parameters.
"""

from __future__ import annotations

from ..errors import QueryTimeout
from .client import Body
from .remote import RemoteBackend


class OxigraphBackend(RemoteBackend):
    name = "oxigraph"
    direct_post = True  # the query as the body: a long query is not percent-encoded on each request

    def failure(self, body: Body, exc: Exception, timeout: float) -> Exception:
        # Past its --timeout-s, the server writes this sentence into the 200 body it has begun.
        if b"has been cancelled" in body.tail:
            return QueryTimeout(f"the engine stopped the query at its own time limit (ours: {timeout:g} s)")
        return super().failure(body, exc, timeout)

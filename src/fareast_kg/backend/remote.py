"""A backend over any SPARQL 1.1 server (Oxigraph here; Virtuoso in ``virtuoso``).

Queries leave as plain text (see ``text``) and come back as SPARQL JSON or N-Triples,
parsed by pyoxigraph and written again by ``sparql.results``: formats, row caps and
byte caps are the embedded store's own. The build being served is read from a small
graph beside the data (see ``pointer``), which ``build.publish`` rewrites as it switches
the data. A request is pinned to the build read when it began, and its answer stands
only if ``settled()`` finds that build still served when it ends: otherwise a switch
overlapped it, and the web layer runs it again.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from ..errors import BadQuery, EngineUnavailable, FarEastError, QueryTimeout, StoreUnavailable
from ..namespaces import UNION_GRAPHS
from ..rules import Ranks
from ..sparql import results
from ..sparql.execute import PREDECLARED, Job
from ..sparql.results import Serialized
from . import pointer, text
from .base import Backend, BuildInfo, Row, Term
from .client import Body, Client, Endpoints, Response, finish, rdf_format, results_format
from .pointer import Pointer, Probe
from .probes import SharedProbe

JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


class RemoteBackend(Backend):
    name = "sparql"
    dataset_in_text = False  # True: FROM / FROM NAMED in the query instead of protocol parameters
    direct_post = False  # False: queries go as URL-encoded forms, which every engine takes; True: as the body
    timeout_param: str | None = None  # the engine's own per-query timeout parameter, if any
    timeout_unit = 1.0  # seconds per unit of that parameter
    gsp_content_type = NTRIPLES  # what Graph Store PUTs send when publishing
    verify_reads = True  # an answer stands only if the build it read was still served at the end (``pointer``)
    switch_wait = 60.0  # seconds to wait for a running switch to finish before giving up

    def __init__(self, endpoints: Endpoints, *, max_bytes: int = results.UNLIMITED) -> None:
        self.endpoints = endpoints
        self.max_bytes = max_bytes
        self.client = Client(endpoints)
        self._lock = threading.Lock()
        self._pointer: Pointer | None = None
        self._pin = threading.local()
        self._checked_at = 0.0
        self._ranks: tuple[str, Ranks] = ("", {})
        self._probes = SharedProbe(self.probe)

    # ---- build identity

    def probe(self) -> Probe:
        """Which build the engine serves this moment, and whether a switch is running."""
        return pointer.probe(self._select_raw(pointer.PROBE, None, None, 10.0))

    def _read_pointer(self) -> Pointer | None:
        """The served build's description, read so that it is one build's (waiting out a switch)."""
        deadline = time.monotonic() + self.switch_wait
        while True:
            first = self.probe()
            if first.build_hash is None and not first.switching:
                return None
            if first.stable:
                found = pointer.describe(self._select_raw(pointer.DESCRIPTION, None, None, 10.0), first.serial)
                if found and found.build.build_hash == first.build_hash and self.probe() == first:
                    return found
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"the engine at {self.endpoints.query} has been switching builds for "
                                       f"{self.switch_wait:g} s; if a publish stopped half-way, publish again")
            time.sleep(0.05)

    def _ready(self) -> Pointer:
        found = getattr(self._pin, "pointer", None) or self._pointer
        if found is None:
            found = self._read_pointer()
            if found is None:
                raise StoreUnavailable(f"no build is published at {self.endpoints.query}; "
                                       "publish one with `fareast-kg build --store URL`")
            with self._lock:
                self._pointer = found
        return found

    def build(self) -> BuildInfo:
        return self._ready().build

    def graphs(self) -> tuple[str, ...]:
        return self._ready().graphs

    def files(self) -> Path | None:
        return None  # the dumps stay beside the store that was built; the engine holds only the graphs

    def refresh(self) -> bool:
        """Cheap enough for every request: the engine is asked at most once a second."""
        if time.monotonic() - self._checked_at <= 1.0:
            return False
        self._checked_at = time.monotonic()
        try:
            now, held = self.probe(), self._pointer
            if held is not None and now.stable and now.serial == held.serial:
                return False
            return self.reload()
        except FarEastError:  # an engine that is down: the request itself will say so
            return False

    def reload(self) -> bool:
        """Re-read the build description now; True when another build is served."""
        before = self._pointer
        found = self._read_pointer()
        with self._lock:
            self._pointer = found
        return (before.build.build_hash if before else None) != (found.build.build_hash if found else None)

    def begin(self) -> None:
        """Pin this request to the build served now."""
        self.refresh()
        self._pin.pointer = self._pointer
        self._pin.touched = False

    def end(self) -> None:
        self._pin.used = (self._pin.pointer, getattr(self._pin, "touched", False), time.monotonic())
        self._pin.pointer = None

    def settled(self) -> bool:
        """After ``end``: True when the request's answer is one build's. False when a switch
        overlapped it; the served build has then been re-read, for the request to run again."""
        used, touched, ended = getattr(self._pin, "used", (None, False, 0.0))
        if not touched or used is None:
            return True
        now = self._probes.after(ended)  # shared with the requests that ended at about the same time
        if now.stable and now.serial == used.serial:
            return True
        self.reload()
        return False

    def derivations(self) -> Ranks:
        build = self.build()
        if self._ranks[0] != build.key:  # per publish: a read that a switch overlapped is not kept
            self._pin.touched = True
            rows = self._select_raw(pointer.DERIVATIONS, None, None, 30.0)
            data = json.loads(rows[0]["d"].value) if rows else []
            self._ranks = (build.key, {(s, p, o): (rank, rule) for s, p, o, rank, rule in data})
        return self._ranks[1]

    def select_graphs(self) -> list[str]:
        """Every named graph the engine holds, its own included (publishing)."""
        rows = self._select_raw("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", None, None, 60.0)
        return [row["g"].value for row in rows]

    # ---- queries

    def prepare(self, job: Job) -> tuple[str, dict[str, object]]:
        """The query text for the engine and the protocol parameters that go with it."""
        query = text.inline(job.query, dict(job.substitutions))
        params: dict[str, object] = {}
        if job.default_graphs is not None or job.named_graphs is not None:
            default, named = job.default_graphs or (), job.named_graphs or ()
            if self.dataset_in_text:
                query = text.with_dataset(query, default, named)
            else:
                params = {"default-graph-uri": tuple(default), "named-graph-uri": tuple(named)}
        # Only the prefixes the query uses, when the endpoint worked them out: less to send and parse.
        prefixes = job.prefixes if job.engine_prefixes is None else job.engine_prefixes
        return text.prologue(prefixes, job.base_iri) + query, params

    def _post(self, job: Job, accept: str, timeout: float) -> tuple[Response, Body]:
        query, params = self.prepare(job)
        if self.timeout_param:
            params[self.timeout_param] = str(max(1, int(timeout / self.timeout_unit)))
        response, body = self.client.post(self.endpoints.query, query, params, accept, timeout,
                                          direct=self.direct_post)
        self.check_response(response, timeout)
        return response, body

    def check_response(self, response: Response, timeout: float) -> None:
        """Engine-specific signs of an incomplete answer in the headers."""

    def run(self, job: Job, timeout: float) -> Serialized:
        graph = job.form in ("CONSTRUCT", "DESCRIBE")
        self._pin.touched = True
        response, body = self._post(job, NTRIPLES if graph else JSON, timeout)
        try:
            with io.BufferedReader(body, 65536) as stream:
                if graph:
                    triples = (quad.triple for quad in ox.parse(stream, rdf_format(response)))
                    return results.graph(triples, job.fmt, job.limit, dict(job.prefixes), self.max_bytes)
                outcome = self.parse_results(stream, response, job.form)
                if isinstance(outcome, ox.QueryBoolean):
                    return results.ask(outcome, job.fmt)
                return results.select(outcome, job.fmt, job.limit, self.max_bytes)
        except (OSError, SyntaxError, ValueError) as exc:
            raise self.failure(body, exc, timeout) from None
        finally:
            finish(response)

    def parse_results(self, stream: io.BufferedReader, response: Response,
                      form: str) -> ox.QuerySolutions | ox.QueryBoolean:
        return ox.parse_query_results(stream, results_format(response))

    def failure(self, body: Body, exc: Exception, timeout: float) -> Exception:
        """What a broken read means: our deadline, the engine going away, or a body we cannot read."""
        if body.expired:
            return QueryTimeout(f"the query ran past its time limit of {timeout:g} s")
        if body.broken:
            return EngineUnavailable(f"the SPARQL engine at {self.endpoints.query} dropped the connection")
        if isinstance(exc, SyntaxError):
            return EngineUnavailable(f"the SPARQL engine at {self.endpoints.query} sent a result that does not parse")
        return BadQuery(f"the query failed: {type(exc).__name__}")

    def select(self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float = 10.0) -> list[Row]:
        # As in the embedded store: the union as default graph, every graph (the unions too) for GRAPH.
        default, named = self.dataset()
        self._pin.touched = True
        return self._select_raw(query, bindings, (default, (*(named or ()), *UNION_GRAPHS)), timeout, PREDECLARED)

    def _select_raw(self, query: str, bindings: Mapping[str, Term] | None,
                    dataset: tuple[tuple[str, ...] | None, tuple[str, ...] | None] | None,
                    timeout: float, prefixes: tuple[tuple[str, str], ...] = ()) -> list[Row]:
        """A SELECT with the given predeclared prefixes (none: the build's own queries use full IRIs)."""
        subs = tuple((name, text.as_term(term)) for name, term in (bindings or {}).items())
        default, named = dataset or (None, None)
        job = Job(query, "SELECT", "json", default, named, results.UNLIMITED, subs, prefixes)
        response, body = self._post(job, JSON, timeout)
        try:
            with io.BufferedReader(body, 65536) as stream:
                solutions = self.parse_results(stream, response, "SELECT")
                assert isinstance(solutions, ox.QuerySolutions)
                names = [v.value for v in solutions.variables]
                return [{n: t for n, t in zip(names, s, strict=True) if t is not None} for s in solutions]
        except (OSError, SyntaxError, ValueError) as exc:
            raise self.failure(body, exc, timeout) from None
        finally:
            finish(response)

    def close(self) -> None:
        self.client.close()

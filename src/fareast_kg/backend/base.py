"""The one way to the data: what every backend (embedded store, remote SPARQL engine) offers.

Handlers never see a pyoxigraph ``Store`` or an HTTP client: they call ``run`` for a
SPARQL or canned-query job (already screened by ``sparql.guard``), and ``select`` for
the parameterised look-ups behind pages, explanations, statistics and search.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from ..namespaces import GRAPH_INFERRED, GRAPH_UNION, GRAPH_UNION_ASSERTED
from ..rules import Ranks
from ..sparql.execute import Job
from ..sparql.results import Serialized

Term = ox.NamedNode | ox.Literal | ox.BlankNode
Row = dict[str, Term]


@dataclass(frozen=True)
class BuildInfo:
    """What identifies the data being served: caches and ETags are keyed by ``key``."""

    build_hash: str
    info: Mapping[str, Any] = field(default_factory=dict)  # the build's build.json: date, counts, stages
    # Which publish of the build a remote engine serves (its serial, ``backend.pointer``). Values are
    # cached while a request runs, before the check that no switch overlapped it: one that did may
    # leave a mixed value behind, under a key no later read of that publish will ask for.
    publish: str = ""

    @property
    def key(self) -> str:
        """What caches and ETags are keyed by: the build, and on a remote engine its publish."""
        return f"{self.build_hash}/{self.publish}" if self.publish else self.build_hash


class Backend(Protocol):
    name: str  # "embedded", "oxigraph", "virtuoso", "sparql"
    verify_reads: bool = False  # True: an answer stands only if ``settled()`` says so after ``end``

    def build(self) -> BuildInfo:
        """The generation served now; raises StoreUnavailable when there is none."""

    def graphs(self) -> tuple[str, ...]:
        """The named graphs a user sees (not the materialized union graphs)."""

    def dataset(
        self,
        *,
        infer: bool = True,
        query_has_dataset: bool = False,
        default: tuple[str, ...] | None = None,
        named: tuple[str, ...] | None = None,
    ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        """Default and named graphs: the protocol's if given, else the query's FROM, else the store's.
        The one rule for every backend, which inherits it by naming this class as its base."""
        if default is not None or named is not None:
            return (default or (), named or ())
        if query_has_dataset:
            return (None, None)
        graphs = self.graphs()
        if infer:
            return (GRAPH_UNION,), graphs
        return (GRAPH_UNION_ASSERTED,), tuple(g for g in graphs if g != GRAPH_INFERRED)

    def run(self, job: Job, timeout: float) -> Serialized:
        """Run a screened job within the time, row, byte and memory limits; the result serialized."""

    def select(self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float = 10.0) -> list[Row]:
        """A SELECT over the default union graph, with variables bound by ``bindings``; rows as terms."""

    def files(self) -> Path | None:
        """The folder where the build left files to download (the dumps); None for a remote engine."""

    def derivations(self) -> Ranks:
        """The rank and rule of each inferred triple, as the build recorded them (for explanations)."""

    def refresh(self) -> bool:
        """Notice a new generation (a rebuild while serving); True when it switched."""

    def begin(self) -> None:
        """Pin this thread's request to the generation served now, so it never sees a mix."""

    def end(self) -> None:
        """Release the pin; a retired generation is closed once its last request is done."""

    def settled(self) -> bool:
        """After ``end``: True when the request read one build throughout (always, where
        generations are pinned); False when a switch overlapped it, so it must run again."""
        return True

    def close(self) -> None:
        """Stop query children or connections."""


_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def quads(backend: Backend, s: Term | None = None, p: Term | None = None, o: Term | None = None,
          g: Term | None = None) -> list[ox.Quad]:
    """Quads matching a pattern, through ``select``: the same on every backend."""
    bound = {k: v for k, v in (("s", s), ("p", p), ("o", o), ("g", g)) if v is not None}
    rows = backend.select(_QUADS, bound)
    return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]  # type: ignore[arg-type]

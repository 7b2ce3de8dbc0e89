"""``fareast-kg stats``: what the built store holds, and how much of the paper it covers."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from .backend import open_backend
from .backend.base import Backend
from .namespaces import (
    FE,
    GRAPH_INFERRED,
    GRAPH_PROVENANCE,
    GRAPH_UNION,
    GRAPH_UNION_ASSERTED,
    PASSAGE_GRAPH_PREFIX,
    shorten,
)
from .settings import Settings

_CLASS_COUNTS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }}
  FILTER (STRSTARTS(STR(?class), "{FE}"))
  FILTER (?g {{op}} <{GRAPH_INFERRED}> && ?g NOT IN (<{GRAPH_UNION}>, <{GRAPH_UNION_ASSERTED}>))
}} GROUP BY ?class ORDER BY ?class
"""

_PARAGRAPHS = f"""
PREFIX fe: <{FE}>
SELECT ?kind ?graph (COUNT(?s) AS ?facts) WHERE {{
  GRAPH <{GRAPH_PROVENANCE}> {{ ?passage fe:passageKind ?kind ; fe:factGraph ?graph }}
  OPTIONAL {{ GRAPH ?graph {{ ?s ?p ?o }} }}
}} GROUP BY ?kind ?graph
"""


@dataclass
class Stats:
    quads: int
    graphs: int
    passage_graphs: int
    classes: dict[str, dict[str, int]]
    statistics: int
    passages: int
    passages_with_facts: int
    paragraphs: int
    paragraphs_with_facts: int
    # What reasoning adds: graph/inferred by predicate, and by the rule the explainer names.
    inferred_by_predicate: dict[str, int] = field(default_factory=dict)
    inferred_by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def paragraph_coverage(self) -> float:
        return self.paragraphs_with_facts / self.paragraphs if self.paragraphs else 0.0


def _classes(backend: Backend, op: str) -> dict[str, int]:
    rows = backend.select(_CLASS_COUNTS.replace("{op}", op))
    return {row["class"].value[len(FE):]: int(row["n"].value) for row in rows}


def _ranked(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _inferred(backend: Backend) -> tuple[dict[str, int], dict[str, int]]:
    ranks = backend.derivations()
    predicates = Counter(shorten(p[1:-1]) for _, p, _ in ranks)
    rules = Counter(rule for _, rule in ranks.values())
    return _ranked(predicates), _ranked(rules)


def collect(backend: Backend) -> Stats:
    db = backend
    asserted = _classes(db, "!=")
    inferred = _classes(db, "=")
    names = sorted(set(asserted) | set(inferred))
    classes = {n: {"asserted": asserted.get(n, 0), "inferred": inferred.get(n, 0)} for n in names}
    rows = [(r["kind"].value, int(r["facts"].value)) for r in db.select(_PARAGRAPHS)]
    paragraphs = [facts for kind, facts in rows if kind == "paragraph"]
    by_predicate, by_rule = _inferred(backend)
    statistic_count = db.select(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{FE}Statistic> }} }}"
    )
    graphs = backend.graphs()
    return Stats(
        quads=int(backend.build().info["counts"]["quads"]),
        graphs=len(graphs),
        passage_graphs=sum(1 for g in graphs if g.startswith(PASSAGE_GRAPH_PREFIX)),
        classes=classes,
        statistics=int(statistic_count[0]["n"].value),
        passages=len(rows),
        passages_with_facts=sum(1 for _, facts in rows if facts),
        paragraphs=len(paragraphs),
        paragraphs_with_facts=sum(1 for facts in paragraphs if facts),
        inferred_by_predicate=by_predicate,
        inferred_by_rule=by_rule,
    )


def render_stats(settings: Settings, *, as_json: bool = False) -> str:
    stats = collect(open_backend(settings))
    if as_json:
        data = asdict(stats) | {"paragraph_coverage": round(stats.paragraph_coverage, 4)}
        return json.dumps(data, indent=2, sort_keys=True) + "\n"
    width = max((len(n) for n in stats.classes), default=5)
    lines = [
        f"quads                 {stats.quads}",
        f"named graphs          {stats.graphs} ({stats.passage_graphs} passage graphs)",
        f"statistics            {stats.statistics}",
        f"passages with facts   {stats.passages_with_facts} of {stats.passages}",
        f"paragraphs with facts {stats.paragraphs_with_facts} of {stats.paragraphs} "
        f"({stats.paragraph_coverage:.1%})",
        "",
        f"{'class':<{width}}  asserted  inferred",
    ]
    lines += [f"{n:<{width}}  {c['asserted']:>8}  {c['inferred']:>8}" for n, c in stats.classes.items()]
    for title, counts in (("inferred by predicate", stats.inferred_by_predicate),
                          ("inferred by rule", stats.inferred_by_rule)):
        width = max((len(n) for n in [title, *counts]), default=5)
        lines += ["", f"{title:<{width}}  {'triples':>8}"]
        lines += [f"{n:<{width}}  {c:>8}" for n, c in counts.items()]
    return "\n".join(lines) + "\n"

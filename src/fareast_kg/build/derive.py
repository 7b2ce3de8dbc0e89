"""A well-founded derivation for each inferred triple: its rank and the rule that gives it.

owlrl says only what follows, not why. Replaying the rules the explainer knows, in rounds,
gives each inferred triple the first round in which its premises (and the axioms used) all
hold. Asserted triples and axioms have rank 0; a triple of rank k has a derivation from
premises of rank below k, so following explanations always ends in asserted triples.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rdflib import OWL, RDF, RDFS
from rdflib.term import Node

from ..rules import (
    CHAIN,
    DOMAIN,
    FILE,
    INVERSE,
    RANGE,
    SUBCLASS,
    SUBCLASS_CHAIN,
    SUBPROPERTY,
    SUBPROPERTY_CHAIN,
    SYMMETRIC,
    TRANSITIVE,
)

Triple = tuple[Node, Node, Node]


class _Index:
    """The triples known so far, with the rank of each, indexed for the rule bodies."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.rank: dict[Triple, int] = {}
        self.objects: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        self.subjects: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        self.out: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        self.into: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        for s, p, o in triples:
            self.objects[(s, p)].append(o)
            self.subjects[(p, o)].append(s)
            self.out[s].append((p, o))
            self.into[o].append((s, p))

    def below(self, triple: Triple, k: int) -> bool:
        rank = self.rank.get(triple)
        return rank is not None and rank < k


def _chains(ontology: set[Triple]) -> dict[Node, list[tuple[Node, Node]]]:
    chains: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    graph = {(s, p): o for s, p, o in ontology if p in (RDF.first, RDF.rest)}
    for p, _, head in (t for t in ontology if t[1] == OWL.propertyChainAxiom):
        items, node = [], head
        while node != RDF.nil and (node, RDF.first) in graph:
            items.append(graph[(node, RDF.first)])
            node = graph[(node, RDF.rest)]
        if len(items) == 2:  # the explainer follows two-step chains, the only ones the ontology has
            chains[p].append((items[0], items[1]))
    return chains


def _rule(ix: _Index, t: Triple, k: int, chains: dict[Node, list[tuple[Node, Node]]]) -> str | None:
    """The first rule that derives t from triples of rank below k, or None."""
    s, p, o = t
    if ix.below((p, RDF.type, OWL.TransitiveProperty), k) and any(
            ix.below((s, p, m), k) and ix.below((m, p, o), k) for m in ix.objects[(s, p)]):
        return TRANSITIVE
    for a, b in chains.get(p, ()):
        if any(ix.below((s, a, m), k) and ix.below((m, b, o), k) for m in ix.objects[(s, a)]):
            return CHAIN
    for q in [*ix.objects[(p, OWL.inverseOf)], *ix.subjects[(OWL.inverseOf, p)]]:
        if ix.below((o, q, s), k) and (ix.below((p, OWL.inverseOf, q), k) or ix.below((q, OWL.inverseOf, p), k)):
            return INVERSE
    if any(q != p and ix.below((q, RDFS.subPropertyOf, p), k) and ix.below((s, q, o), k)
           for q in ix.subjects[(RDFS.subPropertyOf, p)]):
        return SUBPROPERTY
    if ix.below((p, RDF.type, OWL.SymmetricProperty), k) and ix.below((o, p, s), k):
        return SYMMETRIC
    if p == RDF.type:
        if any(d != o and ix.below((s, p, d), k) and ix.below((d, RDFS.subClassOf, o), k)
               for d in ix.objects[(s, p)]):
            return SUBCLASS
        if any(ix.below((q, RDFS.domain, o), k) and ix.below((s, q, x), k) for q, x in ix.out[s]):
            return DOMAIN
        if any(ix.below((q, RDFS.range, o), k) and ix.below((x, q, s), k) for x, q in ix.into[s]):
            return RANGE
    for schema, name in ((RDFS.subClassOf, SUBCLASS_CHAIN), (RDFS.subPropertyOf, SUBPROPERTY_CHAIN)):
        if p == schema and any(m not in (s, o) and ix.below((s, p, m), k) and ix.below((m, p, o), k)
                               for m in ix.objects[(s, p)]):
            return name
    return None


def derivations(asserted: Iterable[Triple], inferred: Iterable[Triple]) -> dict[Triple, tuple[int, str]]:
    """Rank and rule of every inferred triple that the explainer's rules reach.

    ``asserted`` holds the ontology and the data that reasoning saw. A triple left out
    of the result has no derivation the explainer could show; a test keeps that empty.
    """
    asserted = set(asserted)
    todo = [t for t in dict.fromkeys(inferred) if t not in asserted]
    ix = _Index([*asserted, *todo])
    ix.rank = dict.fromkeys(asserted, 0)
    chains = _chains(asserted)
    result: dict[Triple, tuple[int, str]] = {}
    k = 1
    while todo:
        found = {t: rule for t in todo if (rule := _rule(ix, t, k, chains)) is not None}
        if not found:
            break
        for t, rule in found.items():
            ix.rank[t] = k
            result[t] = (k, rule)
        todo = [t for t in todo if t not in found]
        k += 1
    return result


def write(path: Path, ranks: dict[Triple, tuple[int, str]]) -> None:
    """Keyed by N-Triples terms, which is how the explainer finds a triple again."""
    rows = sorted([s.n3(), p.n3(), o.n3(), rank, rule] for (s, p, o), (rank, rule) in ranks.items())
    (path / FILE).write_text(json.dumps({"derivations": rows}, ensure_ascii=False), encoding="utf-8")

"""Why is a triple in the graph? One step of justification for each triple of graph/inferred.

Each explanation names the OWL 2 RL rule that produced the triple, the ontology axiom it
used, and the premises, each with the graphs (passages) that hold it. The build gives every
inferred triple a rank (see build/derive.py); an explanation uses only premises and axioms
of lower rank, so following premises always ends in asserted triples, never in a circle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from . import rules as derive
from .backend.base import Backend, quads
from .errors import BadRequest, NotFound
from .namespaces import GRAPH_INFERRED, GRAPH_UNION, PREFIXES, UNION_GRAPHS

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]

Ranks = derive.Ranks
Object = str | ox.Literal  # an IRI, or a literal for the few literal-valued inferences
Step = tuple[str, list[tuple[str, str, str]], list["Premise"]]


def _node(o: Object) -> ox.NamedNode | ox.Literal:
    return o if isinstance(o, ox.Literal) else ox.NamedNode(o)


@dataclass
class Premise:
    s: str
    p: str
    o: str
    graphs: list[str]
    rank: int = 0


@dataclass
class Explanation:
    triple: tuple[str, str, str]
    status: str  # asserted | inferred
    graphs: list[str]
    rule: str = ""
    axioms: list[tuple[str, str, str]] = field(default_factory=list)
    premises: list[Premise] = field(default_factory=list)
    rank: int = 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Explainer:
    def __init__(self, backend: Backend, ranks: Ranks) -> None:
        self.db = backend
        self.ranks = ranks

    def _graphs(self, s: str, p: str, o: Object) -> list[str]:
        found = quads(self.db, ox.NamedNode(s), ox.NamedNode(p), _node(o))
        return sorted(q.graph_name.value for q in found if q.graph_name.value not in UNION_GRAPHS)

    def _rank(self, s: str, p: str, o: Object, graphs: list[str] | None = None) -> int | None:
        """0 for an asserted triple, the build's rank for an inferred one, None if absent."""
        graphs = self._graphs(s, p, o) if graphs is None else graphs
        if any(g != GRAPH_INFERRED for g in graphs):
            return 0
        found = self.ranks.get((f"<{s}>", f"<{p}>", str(_node(o))))
        return found[0] if found and graphs else None

    def _premise(self, s: str, p: str, o: Object) -> Premise:
        graphs = self._graphs(s, p, o)
        rank = self._rank(s, p, o, graphs)
        return Premise(s, p, o if isinstance(o, str) else str(o), graphs, -1 if rank is None else rank)

    def _rows(self, query: str, **bind: str) -> list[dict[str, str]]:
        rows = self.db.select(query, {k: ox.NamedNode(v) for k, v in bind.items()})
        # Sorted, so that every backend (whatever order its engine returns) gives the same explanation.
        return sorted(({k: t.value for k, t in row.items()} for row in rows), key=lambda r: sorted(r.items()))

    def _earlier(self, step: Step, below: int) -> bool:
        _, axioms, premises = step
        axiom_ranks = [self._rank(*a) for a in axioms if not a[2].startswith("(")]
        return all(0 <= p.rank < below for p in premises) and all(
            r is not None and r < below for r in axiom_ranks)

    def explain(self, s: str, p: str, o: Object) -> Explanation:
        for iri in (s, p, o):
            if isinstance(iri, str) and not iri.startswith(("http://", "https://")):
                raise BadRequest(f"{iri!r} is not an IRI; explanations take the subject, predicate and object IRIs")
        graphs = self._graphs(s, p, o)
        if not graphs:
            raise NotFound(f"the graph holds no triple <{s}> <{p}> {_node(o)}")
        shown = (s, p, o if isinstance(o, str) else str(o))
        rank = self._rank(s, p, o, graphs)
        if rank == 0:
            return Explanation(shown, "asserted", graphs)
        if rank is None:
            return Explanation(shown, "inferred", graphs, "no derivation recorded by the build", rank=-1)
        for attempt in (self._transitive, self._chain, self._inverse, self._subproperty, self._symmetric,
                        self._subclass, self._domain_range, self._schema):
            for step in attempt(s, p, o, rank):
                if self._earlier(step, rank):
                    rule, axioms, premises = step
                    return Explanation(shown, "inferred", graphs, rule, axioms, premises, rank)
        return Explanation(shown, "inferred", graphs, "no justification from earlier triples found", rank=rank)

    # Each rule yields candidate steps (rule name, axioms, premises); explain keeps the first earlier one.

    def _subclass(self, s: str, p: str, o: Object, rank: int) -> Iterator[Step]:
        if p != RDF_TYPE or not isinstance(o, str):
            return
        for row in self._rows("SELECT * WHERE { ?s a ?d . ?d rdfs:subClassOf ?o FILTER (?d != ?o) }", s=s, o=o):
            yield derive.SUBCLASS, [(row["d"], RDFS + "subClassOf", o)], [self._premise(s, RDF_TYPE, row["d"])]

    def _domain_range(self, s: str, p: str, o: Object, rank: int) -> Iterator[Step]:
        if p != RDF_TYPE or not isinstance(o, str):
            return
        for row in self._rows("SELECT * WHERE { ?p rdfs:domain ?o . ?s ?p ?x FILTER isIRI(?x) }", s=s, o=o):
            yield derive.DOMAIN, [(row["p"], RDFS + "domain", o)], [self._premise(s, row["p"], row["x"])]
        for row in self._rows("SELECT * WHERE { ?p rdfs:range ?o . ?x ?p ?s }", s=s, o=o):
            yield derive.RANGE, [(row["p"], RDFS + "range", o)], [self._premise(row["x"], row["p"], s)]

    def _inverse(self, s: str, p: str, o: Object, rank: int) -> Iterator[Step]:
        if not isinstance(o, str):
            return
        query = "SELECT * WHERE { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } ?o ?q ?s }"
        for row in self._rows(query, s=s, p=p, o=o):
            axiom = (p, OWL + "inverseOf", row["q"])
            if self._rank(*axiom) is None:
                axiom = (row["q"], OWL + "inverseOf", p)
            yield derive.INVERSE, [axiom], [self._premise(o, row["q"], s)]

    def _subproperty(self, s: str, p: str, o: Object, rank: int) -> Iterator[Step]:
        for row in self._rows("SELECT * WHERE { ?q rdfs:subPropertyOf ?p FILTER (?q != ?p) }", p=p):
            if self._graphs(s, row["q"], o):
                yield derive.SUBPROPERTY, [(row["q"], RDFS + "subPropertyOf", p)], [self._premise(s, row["q"], o)]

    def _symmetric(self, s: str, p: str, o: Object, rank: int) -> Iterator[Step]:
        if isinstance(o, str) and self._rows("SELECT * WHERE { ?p a owl:SymmetricProperty . ?o ?p ?s }",
                                             s=s, p=p, o=o):
            yield derive.SYMMETRIC, [(p, RDF_TYPE, OWL + "SymmetricProperty")], [self._premise(o, p, s)]

    def _transitive(self, s: str, p: str, o: Object, rank: int) -> Iterator[Step]:
        if not isinstance(o, str) or not self._rows("SELECT * WHERE { ?p a owl:TransitiveProperty }", p=p):
            return
        axiom = [(p, RDF_TYPE, OWL + "TransitiveProperty")]
        # The direct sub-property (locatedInDirect for locatedIn) gives the asserted steps.
        for row in self._rows("SELECT * WHERE { ?d rdfs:subPropertyOf ?p FILTER (?d != ?p) }", p=p):
            path = self._path(s, o, row["d"], rank)
            if path and len(path) > 1:
                yield derive.TRANSITIVE, axiom, [self._premise(a, row["d"], b) for a, b in path]
        middle = "SELECT * WHERE { ?s ?p ?m . ?m ?p ?o FILTER (?m != ?s && ?m != ?o) }"
        for row in self._rows(middle, s=s, p=p, o=o):
            yield derive.TRANSITIVE, axiom, [self._premise(s, p, row["m"]), self._premise(row["m"], p, o)]

    def _path(self, s: str, o: str, step: str, below: int) -> list[tuple[str, str]] | None:
        """The shortest chain of `step` edges of rank below `below` from s to o (breadth first)."""
        frontier: list[tuple[str, list[tuple[str, str]]]] = [(s, [])]
        seen = {s}
        union = ox.NamedNode(GRAPH_UNION)
        while frontier:
            nxt = []
            for node, path in frontier:
                for q in sorted(quads(self.db, ox.NamedNode(node), ox.NamedNode(step), None, union), key=str):
                    target = q.object.value
                    edge_rank = self._rank(node, step, target)
                    if edge_rank is None or edge_rank >= below:
                        continue
                    if target == o:
                        return [*path, (node, target)]
                    if target not in seen:
                        seen.add(target)
                        nxt.append((target, [*path, (node, target)]))
            frontier = nxt
        return None

    def _chain(self, s: str, p: str, o: Object, rank: int) -> Iterator[Step]:
        if not isinstance(o, str):
            return
        chains = self._rows(
            "SELECT * WHERE { ?p owl:propertyChainAxiom ?l . ?l rdf:first ?a ; rdf:rest/rdf:first ?b }", p=p
        )
        for chain in chains:
            for row in self._rows("SELECT * WHERE { ?s ?a ?m . ?m ?b ?o }", s=s, a=chain["a"], b=chain["b"], o=o):
                premises = [self._premise(s, chain["a"], row["m"]), self._premise(row["m"], chain["b"], o)]
                axiom = (p, OWL + "propertyChainAxiom", f"({chain['a']} {chain['b']})")
                yield derive.CHAIN, [axiom], premises

    def _schema(self, s: str, p: str, o: Object, rank: int) -> Iterator[Step]:
        """A subclass of a subclass, or a sub-property of a sub-property."""
        names = {RDFS + "subClassOf": derive.SUBCLASS_CHAIN, RDFS + "subPropertyOf": derive.SUBPROPERTY_CHAIN}
        if p not in names or not isinstance(o, str):
            return
        for row in self._rows("SELECT * WHERE { ?s ?p ?m . ?m ?p ?o FILTER (?m != ?s && ?m != ?o) }", s=s, p=p, o=o):
            yield names[p], [], [self._premise(s, p, row["m"]), self._premise(row["m"], p, o)]

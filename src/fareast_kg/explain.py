"""Why is a triple in the graph? One step of justification for each triple of graph/inferred.

Each explanation names the OWL 2 RL rule that produced the triple, the ontology axiom it
used, and the premises, each with the graphs (passages) that hold it. A premise that is
itself inferred can be explained in turn, down to the passages of the paper.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from .errors import BadRequest, NotFound
from .namespaces import GRAPH_INFERRED, GRAPH_UNION, PREFIXES, UNION_GRAPHS

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]


@dataclass
class Premise:
    s: str
    p: str
    o: str
    graphs: list[str]


@dataclass
class Explanation:
    triple: tuple[str, str, str]
    status: str  # asserted | inferred
    graphs: list[str]
    rule: str = ""
    axioms: list[tuple[str, str, str]] = field(default_factory=list)
    premises: list[Premise] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Explainer:
    def __init__(self, store: ox.Store) -> None:
        self.db = store

    def _graphs(self, s: str, p: str, o: ox.NamedNode | ox.Literal) -> list[str]:
        quads = self.db.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), o)
        return sorted(q.graph_name.value for q in quads if q.graph_name.value not in UNION_GRAPHS)

    def _premise(self, s: str, p: str, o: str) -> Premise:
        return Premise(s, p, o, self._graphs(s, p, ox.NamedNode(o)))

    def _rows(self, query: str, **bind: str) -> list[dict[str, str]]:
        subs = {ox.Variable(k): ox.NamedNode(v) for k, v in bind.items()}
        rows = self.db.query(query, default_graph=ox.NamedNode(GRAPH_UNION), substitutions=subs,
                             prefixes={"rdfs": RDFS, "owl": OWL, "rdf": PREFIXES["rdf"]})
        return [{v.value: row[v].value for v in rows.variables if row[v] is not None} for row in rows]

    def explain(self, s: str, p: str, o: str) -> Explanation:
        for iri in (s, p, o):
            if not iri.startswith(("http://", "https://")):
                raise BadRequest(f"{iri!r} is not an IRI; explanations take the subject, predicate and object IRIs")
        graphs = self._graphs(s, p, ox.NamedNode(o))
        if not graphs:
            raise NotFound(f"the graph holds no triple <{s}> <{p}> <{o}>")
        if GRAPH_INFERRED not in graphs:
            return Explanation((s, p, o), "asserted", graphs)
        for attempt in (self._transitive, self._chain, self._inverse, self._subproperty, self._symmetric,
                        self._subclass, self._domain_range):
            found = attempt(s, p, o)
            if found is not None:
                rule, axioms, premises = found
                return Explanation((s, p, o), "inferred", graphs, rule, axioms, premises)
        return Explanation((s, p, o), "inferred", graphs, "no single-step justification found")

    # Each rule returns (rule name, axioms, premises) or None.

    def _subclass(self, s: str, p: str, o: str):  # type: ignore[no-untyped-def]
        if p != RDF_TYPE:
            return None
        rows = self._rows("SELECT * WHERE { ?s a ?d . ?d rdfs:subClassOf ?o FILTER (?d != ?o) }", s=s, o=o)
        for row in rows:
            premise = self._premise(s, RDF_TYPE, row["d"])
            if GRAPH_INFERRED not in premise.graphs:
                return "cax-sco (subclass)", [(row["d"], RDFS + "subClassOf", o)], [premise]
        if rows:
            premise = self._premise(s, RDF_TYPE, rows[0]["d"])
            return "cax-sco (subclass)", [(rows[0]["d"], RDFS + "subClassOf", o)], [premise]
        return None

    def _domain_range(self, s: str, p: str, o: str):  # type: ignore[no-untyped-def]
        if p != RDF_TYPE:
            return None
        for row in self._rows("SELECT * WHERE { ?p rdfs:domain ?o . ?s ?p ?x }", s=s, o=o):
            return "prp-dom (domain)", [(row["p"], RDFS + "domain", o)], [self._premise(s, row["p"], row["x"])]
        for row in self._rows("SELECT * WHERE { ?p rdfs:range ?o . ?x ?p ?s }", s=s, o=o):
            return "prp-rng (range)", [(row["p"], RDFS + "range", o)], [self._premise(row["x"], row["p"], s)]
        return None

    def _inverse(self, s: str, p: str, o: str):  # type: ignore[no-untyped-def]
        for row in self._rows("SELECT * WHERE { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } ?o ?q ?s }",
                              s=s, p=p, o=o):
            return "prp-inv (inverse)", [(p, OWL + "inverseOf", row["q"])], [self._premise(o, row["q"], s)]
        return None

    def _subproperty(self, s: str, p: str, o: str):  # type: ignore[no-untyped-def]
        for row in self._rows("SELECT * WHERE { ?q rdfs:subPropertyOf ?p FILTER (?q != ?p) ?s ?q ?o }",
                              s=s, p=p, o=o):
            premise = self._premise(s, row["q"], o)
            return "prp-spo1 (sub-property)", [(row["q"], RDFS + "subPropertyOf", p)], [premise]
        return None

    def _symmetric(self, s: str, p: str, o: str):  # type: ignore[no-untyped-def]
        if self._rows("SELECT * WHERE { ?p a owl:SymmetricProperty . ?o ?p ?s }", s=s, p=p, o=o):
            return "prp-symp (symmetric)", [(p, RDF_TYPE, OWL + "SymmetricProperty")], [self._premise(o, p, s)]
        return None

    def _transitive(self, s: str, p: str, o: str):  # type: ignore[no-untyped-def]
        if not self._rows("SELECT * WHERE { ?p a owl:TransitiveProperty }", p=p):
            return None
        # The direct sub-property (locatedInDirect for locatedIn) gives the asserted steps.
        narrower = "SELECT * WHERE { ?d rdfs:subPropertyOf ?p FILTER (?d != ?p) }"
        direct = [r["d"] for r in self._rows(narrower, p=p)]
        for step in direct:
            path = self._path(s, o, step)
            if path and len(path) > 1:
                premises = [self._premise(a, step, b) for a, b in path]
                return "prp-trp (transitive)", [(p, RDF_TYPE, OWL + "TransitiveProperty")], premises
        middle = "SELECT * WHERE { ?s ?p ?m . ?m ?p ?o FILTER (?m != ?s && ?m != ?o) }"
        for row in self._rows(middle, s=s, p=p, o=o):
            premises = [self._premise(s, p, row["m"]), self._premise(row["m"], p, o)]
            return "prp-trp (transitive)", [(p, RDF_TYPE, OWL + "TransitiveProperty")], premises
        return None

    def _path(self, s: str, o: str, step: str) -> list[tuple[str, str]] | None:
        """The shortest chain of `step` edges from s to o (breadth first, in the union graph)."""
        frontier, seen = [(s, [])], {s}
        union = ox.NamedNode(GRAPH_UNION)
        while frontier:
            nxt = []
            for node, path in frontier:
                for q in self.db.quads_for_pattern(ox.NamedNode(node), ox.NamedNode(step), None, union):
                    target = q.object.value
                    if target == o:
                        return [*path, (node, target)]
                    if target not in seen:
                        seen.add(target)
                        nxt.append((target, [*path, (node, target)]))
            frontier = nxt
        return None

    def _chain(self, s: str, p: str, o: str):  # type: ignore[no-untyped-def]
        chains = self._rows(
            "SELECT * WHERE { ?p owl:propertyChainAxiom ?l . ?l rdf:first ?a ; rdf:rest/rdf:first ?b }", p=p
        )
        for chain in chains:
            for row in self._rows("SELECT * WHERE { ?s ?a ?m . ?m ?b ?o }", s=s, a=chain["a"], b=chain["b"], o=o):
                premises = [self._premise(s, chain["a"], row["m"]), self._premise(row["m"], chain["b"], o)]
                axiom = (p, OWL + "propertyChainAxiom", f"({chain['a']} {chain['b']})")
                return "prp-spo2 (property chain)", [axiom], premises
        return None


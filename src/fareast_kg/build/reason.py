"""Stage 3: the OWL 2 RL closure with owlrl, then cleaning. The only owlrl import.

owlrl re-runs every rule over every triple until nothing changes, so it gets only
what reasoning needs: the ontology's axioms and the data's IRI-valued triples.
Labels, definitions, text and other literals cannot produce useful inferences.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from itertools import chain
from typing import Any

import owlrl
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DefinedNamespace
from rdflib.term import Node

from ..errors import ReasoningError
from .cache import ClosureCache

_ERROR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"
_VOCABULARIES = (str(RDF), str(RDFS), str(OWL), str(XSD))
_NOISE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}

Triple = tuple[Node, Node, Node]
ENGINE = f"owlrl {owlrl.__version__}"  # part of the key of reused closures


class _CachedNamespace:
    """Caches attribute look-ups on an rdflib namespace.

    owlrl reads OWL.sameAs, RDF.type and friends millions of times per closure, and
    each read of a DefinedNamespace runs a metaclass __getattr__; caching halves
    the closure time and changes nothing in its output.
    """

    def __init__(self, namespace: type[DefinedNamespace]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._namespace, name)
        setattr(self, name, value)
        return value

    def __getitem__(self, key: str) -> URIRef:
        return self._namespace[key]

    def __contains__(self, item: object) -> bool:
        return item in self._namespace


def _cache_owlrl_namespaces() -> None:
    for name, module in list(sys.modules.items()):
        if name == "owlrl" or name.startswith("owlrl."):
            for attr, namespace in (("OWL", OWL), ("RDF", RDF), ("RDFS", RDFS)):
                if getattr(module, attr, None) is namespace:
                    setattr(module, attr, _CachedNamespace(namespace))


_cache_owlrl_namespaces()


def relevant(ontology: Graph, data_triples: Iterable[Triple]) -> list[Triple]:
    """The data triples that can take part in a rule.

    Literal-valued triples matter only under properties with axioms of their own
    (fe:date is a sub-property of dcterms:date); labels, definitions and text do not.
    """
    with_axioms = set(ontology.subjects(RDFS.subPropertyOf, None)) | set(ontology.objects(None, OWL.onProperty))
    return [(s, p, o) for s, p, o in data_triples if not isinstance(o, Literal) or p in with_axioms]


def reasoning_input(ontology: Graph, data_triples: Iterable[Triple]) -> Graph:
    """The ontology's axioms and the data triples that can take part in a rule."""
    # SimpleMemory keeps no per-triple context bookkeeping, which owlrl never needs.
    graph = Graph(store="SimpleMemory")
    for s, p, o in ontology:
        # RDF lists (property chains) and restrictions are blank nodes: keep them.
        if isinstance(o, Literal):
            continue
        graph.add((s, p, o))
    for triple in relevant(ontology, data_triples):
        graph.add(triple)
    return graph


class RLSemantics(owlrl.OWLRL_Semantics):  # type: ignore[misc]
    """owlrl's OWL 2 RL rules without eq-ref.

    eq-ref adds ``x owl:sameAs x`` for every term of every triple in every cycle, and
    the cleaning drops all of it; no other rule gains anything from a reflexive
    sameAs. The remaining equality rules still run for real sameAs triples.
    """

    def _equality(self, triple: Triple, cycle_num: int) -> None:
        _, p, o = triple
        if p == OWL.sameAs or (p == RDF.type and o == OWL.AllDifferent):
            super()._equality(triple, cycle_num)


def closure(graph: Graph, semantics: type = RLSemantics) -> Graph:
    """Expand ``graph`` in place with the OWL-RL closure (axiomatic and datatype axioms off)."""
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    errors = [str(o) for s in graph.subjects(RDF.type, URIRef(_ERROR_NS + "ErrorMessage"))
              for o in graph.objects(s, URIRef(_ERROR_NS + "error"))]
    if errors:
        details = "\n".join(f"  - {e.strip()}" for e in sorted(errors))
        raise ReasoningError(f"the OWL RL closure found {len(errors)} inconsistencies:\n{details}")
    return graph


def is_noise(s: Node, p: Node, o: Node) -> bool:
    if isinstance(s, Literal):
        return True
    if str(s).startswith(_VOCABULARIES):
        return True
    if p in (RDF.type, RDFS.subClassOf) and o in _NOISE_TYPES:
        return True
    if p in _REFLEXIVE and s == o:
        return True
    # Domains and ranges widened along the class hierarchy only restate the ontology.
    if p in (RDFS.domain, RDFS.range):
        return True
    # Typing of datatypes and of terms of the standard vocabularies says nothing new.
    return p == RDF.type and isinstance(o, URIRef) and str(o).startswith(_VOCABULARIES) and not isinstance(
        s, URIRef
    )


def inferred(ontology: Graph, data_triples: Iterable[Triple], asserted: set[Triple],
             cache: ClosureCache | None = None) -> Graph:
    """Run the closure (or reuse the one of an identical input) and return only new, clean triples."""
    data = relevant(ontology, data_triples)
    graph = reasoning_input(ontology, data)
    given = set(graph)
    key = cache.key(data) if cache is not None else None
    # owlrl only adds to its input, so the closure is the input plus what the rules derived;
    # only the derived part is kept, as the input's blank nodes are new at every parse.
    derived = cache.get(key) if cache is not None else None
    if derived is None:
        derived = {t for t in closure(graph) if t not in given and not is_noise(*t)}
        if cache is not None:
            cache.put(key, derived)
    result = Graph()
    for triple in chain(derived, given):
        if triple not in asserted and not is_noise(*triple):
            result.add(triple)
    return result

"""Explanations as pages: /explain?s=&p=&o= shows why a triple holds, for people.

The rule and the axiom, then each premise: an asserted one with the passage that states it and
the supporting quote highlighted in the passage's text; an inferred one expandable in turn
(its own derivation nested in a <details>, down to the asserted triples). /api/explain stays JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import render_template, request, url_for

from ..backend.base import Backend, quads
from ..explain import Explainer, Explanation
from ..namespaces import FE, GRAPH_PROVENANCE, ID, PASSAGE_GRAPH_PREFIX, PREFIXES
from . import context
from .api import _expand
from .labels import Value, label, language, value

DEPTH = 6  # nested derivations shown inline; deeper ones are a link away
OA_EXACT = ox.NamedNode(PREFIXES["oa"] + "exact")


@dataclass
class Passage:
    ident: str
    href: str
    section: str
    before: str
    quote: str
    after: str


@dataclass
class Step:
    triple: tuple[Value, Value, Value]
    status: str
    href: str  # this step's own page
    rule: str = ""
    axioms: list[tuple[Value, Value, Value]] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    other_graphs: list[str] = field(default_factory=list)
    premises: list[Step] = field(default_factory=list)
    more: bool = False  # inferred, with its derivation left to its own page


def _term(text: str) -> ox.NamedNode | ox.Literal:
    return ox.NamedNode(text) if text.startswith(("http://", "https://")) else ox.Literal(text)


def _show(triple: tuple[str, str, str], lang: str) -> tuple[Value, Value, Value]:
    s, p, o = triple
    return value(ox.NamedNode(s), lang), Value(label(p, lang)), value(_term(o), lang)


def _passage(db: Backend, graph: str, subject: str) -> Passage:
    """The passage behind a fact graph, with the subject's quote (if any) cut out for highlighting."""
    ident = graph[len(PASSAGE_GRAPH_PREFIX):]
    node = ox.NamedNode(f"{ID}passage/{ident}")
    prov = ox.NamedNode(GRAPH_PROVENANCE)
    fields = {q.predicate.value: q.object.value for q in quads(db, node, None, None, prov)}
    text = fields.get(FE + "text", "")
    quotes = sorted(e.object.value for q in quads(db, ox.NamedNode(subject), ox.NamedNode(FE + "evidence"), None,
                                                   ox.NamedNode(graph))
                    for e in quads(db, q.object, OA_EXACT, None, prov))
    quote = next((q for q in quotes if q in text), "")
    before, _, after = text.partition(quote) if quote else (text, "", "")
    return Passage(ident, url_for("resource", slug=f"passage/{ident}"), fields.get(FE + "section", ""),
                   before, quote, after)


def _href(triple: tuple[str, str, str]) -> str:
    s, p, o = triple
    return url_for("explain_page", s=s, p=p, o=o)


def _step(explainer: Explainer, found: Explanation, lang: str, depth: int) -> Step:
    db = explainer.db
    step = Step(_show(found.triple, lang), found.status, _href(found.triple), found.rule,
                [_show(a, lang) for a in found.axioms])
    for graph in found.graphs:
        if graph.startswith(PASSAGE_GRAPH_PREFIX):
            step.passages.append(_passage(db, graph, found.triple[0]))
        else:
            step.other_graphs.append(graph)
    for premise in found.premises:
        triple = (premise.s, premise.p, premise.o)
        if depth >= DEPTH:
            step.premises.append(Step(_show(triple, lang), "inferred" if premise.rank else "asserted",
                                      _href(triple), more=True))
            continue
        obj: str | ox.Literal = premise.o if premise.o.startswith(("http://", "https://")) else _literal(premise.o)
        step.premises.append(_step(explainer, explainer.explain(premise.s, premise.p, obj), lang, depth + 1))
    return step


def _literal(text: str) -> ox.Literal:
    """A premise's literal object comes back in N-Triples form; read it back as a term."""
    parsed = ox.parse(f"<x:s> <x:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES)
    term = next(iter(parsed)).object
    return term if isinstance(term, ox.Literal) else ox.Literal(text)


def explain_page() -> str:
    backend = context().backend
    s, p, o = (_expand(request.args.get(k), k) for k in ("s", "p", "o"))
    explainer = Explainer(backend, backend.derivations())
    step = _step(explainer, explainer.explain(s, p, o), language(), 0)
    return render_template("explain.html", step=step, api=url_for("api_explain", s=s, p=p, o=o))

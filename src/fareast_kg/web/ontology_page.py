"""The ontology as documentation people can navigate: a class tree, a table of contents, each term
with its links, instance counts and usage, the alignments to outside vocabularies, the metadata
and the downloads. The RDF of /ontology stays in resources.py."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import render_template

from ..backend.base import quads
from ..namespaces import FE, GRAPH_ONTOLOGY, ONTOLOGY_IRI, OWL, PREFIXES, RDF, RDFS, SKOS, shorten
from ..sparql import negotiate
from . import context
from .catalogue import counts
from .labels import Value, label, language, value

KINDS = {OWL + "Class": "class", OWL + "ObjectProperty": "object property",
         OWL + "DatatypeProperty": "datatype property"}
CHARACTERISTICS = {OWL + n + "Property": n.lower() for n in
                   ("Transitive", "Symmetric", "Functional", "InverseFunctional", "Asymmetric", "Reflexive",
                    "Irreflexive")}
VANN = "http://purl.org/vocab/vann/"
DCTERMS = PREFIXES["dcterms"]


@dataclass
class Term:
    name: str
    iri: str
    label: str
    definition: str
    kind: str
    parents: list[Value] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    domain: list[Value] = field(default_factory=list)
    range: list[Value] = field(default_factory=list)
    inverse: list[Value] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    alignments: list[Value] = field(default_factory=list)
    asserted: int = 0
    inferred: int = 0
    used: int = 0
    queries: list[tuple[str, str]] = field(default_factory=list)  # (name, title) of canned queries


def _link(iri: str, lang: str) -> Value:
    """An ontology term links to its entry on this page; other IRIs as values do."""
    if iri.startswith(FE):
        return Value(label(iri, lang), "#" + iri[len(FE):], note=shorten(iri))
    return Value(shorten(iri), iri, external=True)


def _uses(text: str, iri: str) -> bool:
    local = iri[len(FE):]
    return f"<{iri}>" in text or re.search(rf"\bfe:{re.escape(local)}\b", text) is not None


def terms(lang: str) -> tuple[list[Term], dict[str, list[str]]]:
    db = context().backend
    by_subject: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for q in quads(db, g=ox.NamedNode(GRAPH_ONTOLOGY)):
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(FE):
            by_subject[q.subject.value][q.predicate.value].append(q.object.value)
    found = counts()
    canned = list(context().queries)
    out: list[Term] = []
    for iri, props in sorted(by_subject.items()):
        types = props.get(RDF + "type", [])
        kind = next((KINDS[t] for t in types if t in KINDS), "")
        if not kind:
            continue
        parents = sorted(props.get(RDFS + "subClassOf", []) + props.get(RDFS + "subPropertyOf", []))
        definition = (props.get(SKOS + "definition") or props.get(RDFS + "comment") or [""])[0]
        out.append(Term(
            name=iri[len(FE):], iri=iri, label=label(iri, lang), definition=definition, kind=kind,
            parents=[_link(p, lang) for p in parents if p.startswith(FE)],
            alignments=[_link(p, lang) for p in parents if not p.startswith(FE)],
            domain=[_link(d, lang) for d in sorted(props.get(RDFS + "domain", []))],
            range=[_link(r, lang) for r in sorted(props.get(RDFS + "range", []))],
            inverse=[_link(i, lang) for i in sorted(props.get(OWL + "inverseOf", []))],
            characteristics=sorted(CHARACTERISTICS[t] for t in types if t in CHARACTERISTICS)
            + (["property chain"] if props.get(OWL + "propertyChainAxiom") else []),
            asserted=found.asserted.get(iri, 0), inferred=found.inferred.get(iri, 0), used=found.usage.get(iri, 0),
            queries=[(q.name, q.title) for q in canned if kind != "class" and _uses(q.text, iri)],
        ))
    children: dict[str, list[str]] = defaultdict(list)
    names = {t.iri for t in out if t.kind == "class"}
    for t in out:
        if t.kind == "class":
            for parent in by_subject[t.iri].get(RDFS + "subClassOf", []):
                if parent in names and parent != t.iri:
                    children[parent].append(t.iri)
    # Inverses are stated on one side only: show them on both.
    by_iri = {t.iri: t for t in out}
    for t in out:
        for inv in list(t.inverse):
            other = by_iri.get(FE + (inv.href or "#")[1:])
            if other and all(v.href != "#" + t.name for v in other.inverse):
                other.inverse.append(_link(t.iri, lang))
    return out, children


def _tree(classes: list[Term], children: dict[str, list[str]]) -> list[tuple[int, Term]]:
    """The class tree as (depth, term), depth first, siblings by label; roots have no fe: parent."""
    by_iri = {t.iri: t for t in classes}
    child_set = {c for kids in children.values() for c in kids}
    out: list[tuple[int, Term]] = []

    def walk(iri: str, depth: int, path: tuple[str, ...]) -> None:
        out.append((depth, by_iri[iri]))
        for kid in sorted(children.get(iri, []), key=lambda k: by_iri[k].label.casefold()):
            if kid not in path:
                walk(kid, depth + 1, (*path, kid))

    for root in sorted((t.iri for t in classes if t.iri not in child_set), key=lambda k: by_iri[k].label.casefold()):
        walk(root, 0, (root,))
    return out


def metadata(lang: str) -> list[tuple[str, list[Value]]]:
    db = context().backend
    wanted = [(OWL + "versionIRI", "Version IRI"), (OWL + "versionInfo", "Version"),
              (DCTERMS + "license", "Licence"), (DCTERMS + "creator", "Creators"),
              (DCTERMS + "issued", "Issued"), (DCTERMS + "source", "Source"),
              (VANN + "preferredNamespacePrefix", "Preferred prefix"),
              (VANN + "preferredNamespaceUri", "Namespace")]
    found: dict[str, list[Value]] = defaultdict(list)
    for q in quads(db, ox.NamedNode(ONTOLOGY_IRI), None, None, ox.NamedNode(GRAPH_ONTOLOGY)):
        found[q.predicate.value].append(value(q.object, lang))
    return [(name, sorted(found[p], key=lambda v: v.text)) for p, name in wanted if found.get(p)]


def render() -> str:
    lang = language()
    all_terms, children = terms(lang)
    classes = [t for t in all_terms if t.kind == "class"]
    description = next((q.object.value for q in quads(context().backend, ox.NamedNode(ONTOLOGY_IRI),
                                                       ox.NamedNode(DCTERMS + "description"), None,
                                                       ox.NamedNode(GRAPH_ONTOLOGY))), "")
    return render_template(
        "ontology.html", terms=all_terms, tree=_tree(classes, children), meta=metadata(lang),
        description=description, formats=negotiate.GRAPHS,
        alignments=[t for t in all_terms if t.alignments],
        sections=[("class", "Classes"), ("object property", "Object properties"),
                  ("datatype property", "Datatype properties")],
    )

"""The canned queries described in RDF for the build (graph/queries): SHACL executables
and schema.org, so that the queries themselves can be found with SPARQL."""

from __future__ import annotations

from ..namespaces import BASE, PREFIXES
from .header import CannedQuery


def triples(query: CannedQuery, base: str = BASE) -> list[tuple[str, str, object]]:
    """The query described in RDF (SHACL executables and schema.org), as (s, p, o) with o an IRI or str."""
    sh, schema, rdf = "http://www.w3.org/ns/shacl#", "https://schema.org/", PREFIXES["rdf"]
    me = f"{base}id/query/{query.name}"
    kind = {"SELECT": "SPARQLSelectExecutable", "CONSTRUCT": "SPARQLConstructExecutable",
            "ASK": "SPARQLAskExecutable", "DESCRIBE": "SPARQLExecutable"}[query.form]
    body = {"SELECT": "select", "CONSTRUCT": "construct", "ASK": "ask"}.get(query.form, "select")
    out: list[tuple[str, str, object]] = [
        (me, rdf + "type", ("iri", sh + kind)),
        (me, rdf + "type", ("iri", schema + "SoftwareSourceCode")),
        (me, PREFIXES["rdfs"] + "label", query.title),
        (me, schema + "name", query.name),
        (me, schema + "description", query.description),
        (me, schema + "programmingLanguage", "SPARQL"),
        (me, schema + "url", ("iri", f"{base}api/queries/{query.name}")),
        (me, f"{base}ontology#view", query.view),
        (me, sh + body, query.text),
    ]
    out += [(me, schema + "keywords", tag) for tag in query.tags]
    for param in query.params:
        node = f"{me}/param/{param.name}"
        out += [
            (me, sh + "parameter", ("iri", node)),
            (node, rdf + "type", ("iri", sh + "Parameter")),
            (node, sh + "path", ("iri", f"{me}/param/{param.name}")),
            (node, sh + "name", param.name),
            (node, sh + "description", param.description or param.name),
            (node, schema + "valueRequired", "false" if param.default is not None else "true"),
            (node, f"{base}ontology#parameterType", param.type + (" list" if param.many else "")),
        ]
        if param.default is not None:
            out.append((node, sh + "defaultValue", param.default))
    return out

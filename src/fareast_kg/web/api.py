"""/api: the canned queries as a documented HTTP API, and its OpenAPI description."""

from __future__ import annotations

import time

from flask import Response, jsonify, request, url_for

from ..canned import CannedQuery, Registry, jobs
from ..errors import BadRequest
from ..explain import Explainer
from ..namespaces import PREFIXES
from ..sparql import negotiate, protocol
from . import context
from .sparql import respond

SCHEMAS = {
    "iri": {"type": "string", "format": "iri", "description": "an IRI in https://w3id.org/fareast-kg/id/, or id:slug"},
    "date": {"type": "string", "format": "date"},
    "year": {"type": "string", "pattern": "^[0-9]{4}$"},
    "language": {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
}


def _registry() -> Registry:
    return context().queries


def _describe(query: CannedQuery) -> dict[str, object]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "tags": list(query.tags),
        "view": query.view,
        "form": query.form,
        "url": url_for("api_query", name=query.name, _external=True),
        "parameters": [
            {"name": p.name, "type": p.type, "list": p.many, "default": p.default, "description": p.description}
            for p in query.params
        ],
        "query": query.text,
    }


def list_queries() -> Response:
    return jsonify({"queries": [_describe(q) for q in _registry()]})


def run_query(name: str) -> Response:
    started = time.perf_counter()
    ctx = context()
    settings, backend = ctx.settings, ctx.backend
    query = _registry().get(name)
    given = {k: request.args.getlist(k) for k in request.args if k not in ("format", "infer", "timeout")}
    fmt = negotiate.choose(negotiate.offered(query.form), request.headers.get("Accept"), request.args.get("format"))
    infer = request.args.get("infer", "true").lower() not in ("false", "0", "no", "off")
    job = jobs.job(query, given, fmt.name, backend.dataset(infer=infer), settings.max_rows)
    return respond(job, fmt, settings.query_timeout, started)


def _expand(value: str | None, name: str) -> str:
    if not value:
        raise BadRequest(f"explain needs the parameter {name} (an IRI, or a prefixed name such as id:harbin)")
    prefix, _, local = value.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    return protocol.iri(value, f"explain's parameter {name}").value


def explain() -> Response:
    """Why a triple holds: the rule, the axiom and the premises with their passages."""
    backend = context().backend
    s, p, o = (_expand(request.args.get(k), k) for k in ("s", "p", "o"))
    return jsonify(Explainer(backend, backend.derivations()).explain(s, p, o).as_dict())


def prefixes() -> Response:
    """The prefixes every query may use undeclared, in the shape of prefix.cc's list."""
    response = jsonify(PREFIXES)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def openapi() -> Response:
    paths: dict[str, object] = {
        "/api/queries": {"get": {
            "summary": "List the canned queries",
            "operationId": "listQueries",
            "responses": {"200": {"description": "The queries with their parameters",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
        "/api/explain": {"get": {
            "summary": "Why a triple holds: the OWL 2 RL rule, the axiom, and the premises with their passages",
            "operationId": "explain",
            "parameters": [{"name": n, "in": "query", "required": True, "schema": {"type": "string"},
                            "description": "an IRI or a prefixed name (id:harbin, fe:locatedIn)"} for n in "spo"],
            "responses": {"200": {"description": "The explanation",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          "404": {"description": "The graph holds no such triple"}},
        }},
        "/sparql": {"get": {
            "summary": "SPARQL 1.1 Protocol query (read-only)",
            "operationId": "sparql",
            "parameters": [{"name": "query", "in": "query", "required": False, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Query results, or the service description without a query"},
                          "400": {"description": "A malformed query"}},
        }},
    }
    for q in _registry():
        formats = negotiate.offered(q.form)
        content = {f.media_type: {"schema": {"type": "string"}} for f in formats}
        params = []
        for p in q.params:
            schema = {"type": "array", "items": SCHEMAS[p.type]} if p.many else dict(SCHEMAS[p.type])
            if p.default is not None:
                schema["default"] = p.default.split(",") if p.many else p.default
            params.append({"name": p.name, "in": "query", "required": p.default is None, "description":
                           p.description, "schema": schema, **({"style": "form", "explode": False} if p.many else {})})
        params.append({"name": "format", "in": "query", "required": False,
                       "schema": {"type": "string", "enum": [f.name for f in formats]}})
        paths[f"/api/queries/{q.name}"] = {"get": {
            "summary": q.title,
            "description": q.description,
            "operationId": q.name.replace("-", "_"),
            "tags": list(q.tags),
            "parameters": params,
            "responses": {"200": {"description": "The answer", "content": content},
                          "400": {"description": "A parameter of the wrong type"},
                          "406": {"description": "No acceptable format"}},
        }}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Far East KG API", "version": context().version,
                 "description": "Canned queries over the Far East KG, generated from the headers of queries/*.rq."},
        "servers": [{"url": request.host_url.rstrip("/")}],
        "paths": paths,
    }
    return jsonify(doc)

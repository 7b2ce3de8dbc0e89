"""/sparql: the SPARQL 1.1 Protocol, read-only."""

from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from typing import Any

from flask import Response, redirect, request, url_for
from werkzeug.http import quote_etag
from werkzeug.wsgi import get_current_url

from ..context import Context
from ..errors import NotAcceptable, PayloadTooLarge
from ..sparql import guard, negotiate, protocol
from ..sparql.execute import Job, engine_text
from ..sparql.results import Serialized
from . import context, rdf
from .meta import service_description


def endpoint() -> Response:
    started = time.perf_counter()
    ctx = context()
    settings, backend = ctx.settings, ctx.backend
    req = protocol.parse(request.method, request.query_string, request.content_type, _body(settings.max_body))
    if req.query is None:
        if _wants_html() and not req.format:
            return redirect(url_for("index"))
        return service_description(settings, backend)
    job, fmt, timeout = plan(ctx, req, request.headers.get("Accept"), request.base_url)
    return respond(job, fmt, timeout, started)


def plan(ctx: Context, req: protocol.SparqlRequest, accept: str | None,
         base_url: str) -> tuple[Job, negotiate.Format, float]:
    """The screened job for a protocol request, its result format and its time limit."""
    settings, backend = ctx.settings, ctx.backend
    assert req.query is not None
    checked = guard.check(req.query, settings.service_allow, base_url)
    fmt = negotiate.choose(negotiate.offered(checked.form), accept, req.format)
    default, named = backend.dataset(
        infer=req.infer, query_has_dataset=checked.has_dataset, default=req.default_graphs, named=req.named_graphs
    )
    job = Job(
        query=req.query,
        form=checked.form,
        fmt=fmt.name,
        default_graphs=default,
        # Only GRAPH sees named graphs: without it, naming a hundred of them costs the engine for nothing.
        named_graphs=named if checked.uses_named or named is None else (),
        limit=min(req.max_rows or settings.max_rows, settings.max_rows),
        base_iri=base_url,
        federated=bool(checked.services),
        bounded=checked.bounded,
        **engine_text(req.query, checked),
    )
    return job, fmt, min(req.timeout or settings.query_timeout, settings.query_timeout)


def _body(max_body: int) -> bytes:
    """The request body, refused past max_body whether it has a Content-Length or is chunked."""
    if request.content_length is not None:
        return request.get_data()  # MAX_CONTENT_LENGTH already answered 413 for a long one
    if not request.environ.get("wsgi.input_terminated"):
        return b""
    data = request.environ["wsgi.input"].read(max_body + 1)
    if len(data) > max_body:
        raise PayloadTooLarge(f"the request body is larger than {max_body} bytes")
    return data


def _wants_html() -> bool:
    """A browser opening /sparql gets the query UI; everyone else the service description."""
    try:
        return negotiate.choose((*negotiate.GRAPHS, negotiate.HTML), request.headers.get("Accept")) is negotiate.HTML
    except NotAcceptable:
        return False


def tag(ctx: Context, job: Job) -> str:
    """The ETag, also the result cache's key: the build and the whole job (query, dataset, format,
    limits). Every text a client chose is length-prefixed or quoted, so no two jobs read alike;
    the query is not quoted, which would copy it once more."""
    text = (f"{ctx.backend.build().key}\0{len(job.query)}:{job.query}\0{job.form}\0{job.fmt}\0"
            f"{job.default_graphs!r}\0{job.named_graphs!r}\0{job.limit}\0{job.substitutions!r}\0"
            f"{job.base_iri!r}\0{job.federated}\0{job.bounded}")
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def validators(etag: str) -> list[tuple[str, str]]:
    return [("ETag", quote_etag(etag)), ("Cache-Control", "public, max-age=60"), ("Vary", "Accept")]


def answer(ctx: Context, job: Job, timeout: float, etag: str, started: float) -> tuple[bytes, list[tuple[str, str]]]:
    """The result, from the cache or the backend, and its headers (validators included)."""
    settings, backend, cache = ctx.settings, ctx.backend, ctx.cache
    parsed = time.perf_counter()
    result: Serialized | None = cache.get(("result", etag))
    if result is None:
        result = backend.run(job, timeout)
        cache.put(("result", etag), result, len(result.body))
    ran = time.perf_counter()
    headers = [("Fareast-Result-Rows", str(result.rows))]
    if result.truncated:
        cap = job.limit if result.truncated == "max-rows" else settings.max_bytes
        headers.append(("Fareast-Result-Truncated", f"true; {result.truncated}={cap}"))
    timing = f"parse;dur={(parsed - started) * 1000:.2f}, query;dur={(ran - parsed) * 1000:.2f}"
    headers.append(("Server-Timing", timing))
    return result.body, headers + validators(etag)


def respond(job: Job, fmt: negotiate.Format, timeout: float, started: float) -> Response:
    ctx = context()
    etag = tag(ctx, job)
    if etag in request.if_none_match:
        response = Response(status=304, headers=validators(etag))
    else:
        body, headers = answer(ctx, job, timeout, etag, started)
        response = Response(body, content_type=fmt.content_type, headers=headers)
    if fmt in negotiate.GRAPHS:  # a graph: where its data comes from
        response.headers["Link"] = rdf.links({}, fmt)
    return response


_URL_KEYS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME", "PATH_INFO")


def base_url(environ: dict[str, Any]) -> str:
    """werkzeug's URL of the request without its query string; the few endpoints a server
    answers as are worked out once."""
    return _base_url(tuple((k, environ[k]) for k in _URL_KEYS if k in environ))


@lru_cache(maxsize=64)
def _base_url(parts: tuple[tuple[str, str], ...]) -> str:
    return get_current_url(dict(parts), strip_querystring=True)


def direct(ctx: Context, environ: dict[str, Any]) -> tuple[bytes, list[tuple[str, str]]] | None:
    """A GET of a bounded query (``sparql.bounded``) answered without Flask: the same plan, ETag
    and answer as ``endpoint``, for the common case of a look-up nobody asked before. None for
    anything else (a conditional request, no query, a graph format, any error); the view then
    answers, and since the query is bounded, running its first steps twice costs little."""
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_IF_NONE_MATCH"):
        return None
    started = time.perf_counter()
    try:
        req = protocol.parse("GET", environ.get("QUERY_STRING", "").encode("latin-1"), None, b"")
        if req.query is None:
            return None
        job, fmt, timeout = plan(ctx, req, environ.get("HTTP_ACCEPT"), base_url(environ))
        if not job.bounded or fmt not in negotiate.SOLUTIONS:
            return None
        body, headers = answer(ctx, job, timeout, tag(ctx, job), started)
    except Exception:  # the view says what went wrong, in the client's format
        return None
    return body, [("Content-Type", fmt.content_type), ("Content-Length", str(len(body))), *headers]

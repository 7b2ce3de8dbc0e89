"""/sparql: the SPARQL 1.1 Protocol, read-only."""

from __future__ import annotations

import hashlib
import time

from flask import Response, redirect, request, url_for

from ..errors import NotAcceptable, PayloadTooLarge
from ..sparql import guard, negotiate, protocol
from ..sparql.execute import Job
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
    checked = guard.check(req.query, settings.service_allow, request.base_url)
    fmt = negotiate.choose(negotiate.offered(checked.form), request.headers.get("Accept"), req.format)
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
        base_iri=request.base_url,
        federated=bool(checked.services),
        bounded=checked.bounded,
    )
    timeout = min(req.timeout or settings.query_timeout, settings.query_timeout)
    return respond(job, fmt, timeout, started)


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


def respond(job: Job, fmt: negotiate.Format, timeout: float, started: float) -> Response:
    ctx = context()
    settings, backend, cache = ctx.settings, ctx.backend, ctx.cache
    etag = hashlib.sha256(f"{backend.build().build_hash}\0{job!r}".encode()).hexdigest()[:32]
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        parsed = time.perf_counter()
        result: Serialized | None = cache.get(("result", etag))
        if result is None:
            result = backend.run(job, timeout)
            cache.put(("result", etag), result, len(result.body))
        ran = time.perf_counter()
        response = Response(result.body, content_type=fmt.content_type)
        response.headers["Fareast-Result-Rows"] = str(result.rows)
        if result.truncated:
            cap = job.limit if result.truncated == "max-rows" else settings.max_bytes
            response.headers["Fareast-Result-Truncated"] = f"true; {result.truncated}={cap}"
        response.headers["Server-Timing"] = (
            f"parse;dur={(parsed - started) * 1000:.2f}, query;dur={(ran - parsed) * 1000:.2f}"
        )
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Vary"] = "Accept"
    if fmt in negotiate.GRAPHS:  # a graph: where its data comes from
        response.headers["Link"] = rdf.links({}, fmt)
    return response

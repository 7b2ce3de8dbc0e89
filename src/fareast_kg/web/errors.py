"""Every error a user can see, as one short message with the right status. No tracebacks."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from ..errors import FarEastError, NotAcceptable, ServerBusy
from ..sparql import negotiate

log = logging.getLogger("fareast_kg")


def _wants_json() -> bool:
    try:
        return negotiate.choose(negotiate.MESSAGES, request.headers.get("Accept")).name == "json"
    except NotAcceptable:
        return False  # whatever the client accepts, an error still needs a body


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if request and _wants_json():
        body = json.dumps({"error": {"status": status, "message": message}}, ensure_ascii=False)
        response = Response(body + "\n", status=status, mimetype="application/json")
    else:
        response = Response(message + "\n", status=status, mimetype="text/plain")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def register(app: Flask) -> None:
    @app.errorhandler(FarEastError)
    def known(exc: FarEastError) -> Response:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, ServerBusy) else None
        return error_response(exc.status, str(exc), headers)

    @app.errorhandler(HTTPException)
    def http(exc: HTTPException) -> Response:
        status = exc.code or 500
        messages = {
            404: f"there is nothing at {request.path}",
            405: f"method {request.method} is not allowed here",
            413: "the request body is too large",
        }
        headers = {"Allow": ", ".join(exc.valid_methods)} if getattr(exc, "valid_methods", None) else {}
        return error_response(status, messages.get(status, exc.description or exc.name), headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal error; the server log has the details")

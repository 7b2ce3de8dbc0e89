"""The stack's own ceiling: a Flask route that returns a constant, served by gunicorn with
the same settings as `fareast-kg serve` (its worker class `fareast_kg.worker.Worker`, 2 workers x 32
threads, a socket per worker, no access log)."""

from __future__ import annotations

from flask import Flask, Response

app = Flask(__name__)
BODY = '{"head":{"vars":["p","o"]},"results":{"bindings":[]}}'


@app.get("/sparql")
def constant() -> Response:
    return Response(BODY, mimetype="application/sparql-results+json")

"""Service description and other facts about the endpoint itself."""

from __future__ import annotations

from flask import Response, request

from ..settings import Settings
from ..store import LocalStore


def service_description(settings: Settings, store: LocalStore) -> Response:
    endpoint = request.base_url
    graphs = "\n".join(f"    sd:namedGraph [ sd:name <{g}> ] ;" for g in store.graphs)
    body = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:defaultDataset [
{graphs}
    sd:defaultGraph [ a sd:Graph ]
  ] .
"""
    return Response(body, content_type="text/turtle; charset=utf-8")

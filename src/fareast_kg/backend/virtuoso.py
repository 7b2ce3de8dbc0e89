"""Virtuoso Open Source 7: its dialect and protocol quirks, kept out of everything else.

Checked against Debian's virtuoso-opensource-7 (07.20.3229):

- With ``default-graph-uri`` given, ``GRAPH <g>`` and ``GRAPH ?g`` see no named
  graphs at all, so the dataset goes into the query text as FROM / FROM NAMED.
- SPARQL JSON writes typed literals as ``"type": "typed-literal"`` (the 2008 Note's
  form); pyoxigraph's parser reads it as a literal, and ``sparql.results`` writes the
  standard form again, so clients never see it.
- ASK comes back as a one-row SELECT of ``__ASK_RETVAL`` (1 or 0), in JSON and XML.
- The ``timeout`` parameter (milliseconds) makes an "anytime" query: past it, Virtuoso
  answers 200 with whatever it has and ``X-SQL-State: S1TAT``. A partial answer is
  not an answer: it becomes QueryTimeout.
- GROUP_CONCAT joins its items in Virtuoso's own order, and no query hint fixes
  it; compare such columns as sets.
- An xsd:decimal without a fractional part comes back as xsd:integer
  (``"80000000000"^^xsd:decimal`` -> ``80000000000``), since Virtuoso stores the value,
  not the lexical form.
- A query POSTed directly (``application/sparql-query``) gets no answer at all: the
  request hangs until the client gives up. Queries go as URL-encoded forms.
- SPARQL Update goes to /sparql-auth and the Graph Store Protocol to
  /sparql-graph-crud-auth, both behind digest authentication; /sparql is read-only.
- Readers can see an update request half-applied, even one row without its object;
  the switch protocol in ``pointer`` makes every answer one build's all the same.
- On freshly loaded data a property path such as ``rdfs:subClassOf*``, joined after
  other patterns, can return no rows (or, after a restart, fail with "SQ156: Internal
  Optimized compiler error"). The canned queries use the reasoner's closure instead.
"""

from __future__ import annotations

import io

import pyoxigraph as ox

from ..errors import BadQuery, QueryTimeout
from .client import Response, finish
from .remote import RemoteBackend

_TRUE = ox.parse_query_results('{"head":{},"boolean":true}', ox.QueryResultsFormat.JSON)
_FALSE = ox.parse_query_results('{"head":{},"boolean":false}', ox.QueryResultsFormat.JSON)


class VirtuosoBackend(RemoteBackend):
    name = "virtuoso"
    dataset_in_text = True
    direct_post = False
    timeout_param = "timeout"
    timeout_unit = 0.001  # milliseconds
    gsp_content_type = "text/turtle"  # N-Triples is Turtle; older builds know only the Turtle media type

    def check_response(self, response: Response, timeout: float) -> None:
        state = response.headers.get("X-SQL-State")
        if state is None:
            return
        finish(response)
        if state == "S1TAT":
            raise QueryTimeout(f"the query ran past its time limit of {timeout:g} s")
        raise BadQuery(f"the SPARQL engine at {self.endpoints.query} gave an incomplete answer (SQL state {state})")

    def parse_results(self, stream: io.BufferedReader, response: Response,
                      form: str) -> ox.QuerySolutions | ox.QueryBoolean:
        outcome = super().parse_results(stream, response, form)
        if form != "ASK" or not isinstance(outcome, ox.QuerySolutions):
            return outcome
        rows = list(outcome)
        value = rows[0][0] if rows else None
        return _TRUE if value is not None and value.value not in ("0", "false") else _FALSE

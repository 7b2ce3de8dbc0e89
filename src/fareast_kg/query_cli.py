"""``fareast-kg query``: run one query in-process and print it (a table by default)."""

from __future__ import annotations

import json

from .backend import open_backend
from .namespaces import shorten
from .settings import Settings
from .sparql import guard, negotiate
from .sparql.execute import Job


def run_query(settings: Settings, text: str, fmt: str, *, infer: bool = True) -> tuple[str, str]:
    """The result as text, and the limit that cut it ("" when whole)."""
    store = open_backend(settings)
    checked = guard.check(text, settings.service_allow)
    offered = negotiate.offered(checked.form)
    table = fmt == "table"
    chosen = negotiate.choose(offered, None, "json" if table and checked.form == "SELECT" else None if table else fmt)
    default, named = store.dataset(infer=infer, query_has_dataset=checked.has_dataset)
    job = Job(text, checked.form, chosen.name, default, named, settings.max_rows)
    result = store.run(job, settings.query_timeout)
    body = result.body.decode("utf-8")
    return (_table(body) if table and checked.form == "SELECT" else body), result.truncated


def _table(body: str) -> str:
    data = json.loads(body)
    variables = data["head"]["vars"]
    rows = [[shorten(b[v]["value"]) if v in b else "" for v in variables] for b in data["results"]["bindings"]]
    widths = [max([len(v), *(len(r[i]) for r in rows)]) for i, v in enumerate(variables)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(variables), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    return "\n".join(out) + f"\n({len(rows)} rows)\n"

"""Reading the full build for data tests."""

from __future__ import annotations

import re
import unicodedata

import pyoxigraph as ox

from fareast_kg.namespaces import PREFIXES

PREFIX_LINES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    rows = store.query(PREFIX_LINES + query, use_default_graph_as_union=True)
    return [{v.value: row[v].value for v in rows.variables if row[v] is not None} for row in rows]


def normalize(text: str) -> str:
    """Fold case, quotes, dashes and spaces so that names match however they are typeset."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[‘’'`]", "'", text)
    text = re.sub(r"[“”\"]", '"', text)
    text = re.sub(r"[‐-―−]", "-", text)
    return re.sub(r"\s+", " ", text.replace("\\", ""))

"""Reading the full build for data tests."""

from __future__ import annotations

import re
import unicodedata

import pyoxigraph as ox

from fareast_kg.namespaces import GRAPH_UNION, PREFIX_DECLARATIONS, UNION_GRAPHS

PREFIX_LINES = PREFIX_DECLARATIONS
# p076: the five numbered priority spheres of the 2015 joint declaration, in the paper's order.
PRIORITY_SPHERES = [
    ("1", "Expanding investment and trade cooperation"),
    ("2", "Promoting mutual investment facilitation and capacity cooperation"),
    ("3", "Implementing large-scale investment projects and jointly establishing industrial parks and "
          "trans-border economic cooperation zones"),
    ("4", "Strengthening mutual connectivity in logistics, transportation infrastructure and multimodal "
          "combined transport"),
    ("5", "Realizing joint development products in infrastructure"),
]


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Run a query over the store's own dataset, as the endpoint does."""
    named = [g for g in store.named_graphs() if g.value not in UNION_GRAPHS]
    rows = store.query(PREFIX_LINES + query, default_graph=ox.NamedNode(GRAPH_UNION), named_graphs=named)
    return [{v.value: row[v].value for v in rows.variables if row[v] is not None} for row in rows]


def normalize(text: str) -> str:
    """Fold case, quotes, dashes and spaces so that names match however they are typeset."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[‘’'`]", "'", text)
    text = re.sub(r"[“”\"]", '"', text)
    text = re.sub(r"[‐-―−]", "-", text)
    return re.sub(r"\s+", " ", text.replace("\\", ""))

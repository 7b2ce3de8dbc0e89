"""Search over labels and aliases (en, ru, zh): prefix matches, accents ignored, exact matches first.

The index is built from the label table (see labels.py), so it follows the build it was read from.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import asdict, dataclass

from flask import Response, jsonify, render_template, request

from ..errors import NotAcceptable
from ..namespaces import ID
from ..sparql import negotiate
from . import context, per_build
from .labels import label, labels, language, local_href

LIMIT = 50
WORD_START = re.compile(r"[\s\-–—(),.:;'\"/]+")  # what separates words, for matching at a word's start


def fold(text: str) -> str:
    """Lower case without accents: "Primorye" finds "Primor'ye" and "Ussuriysk" finds "Ussurijsk"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Hit:
    iri: str
    href: str
    label: str
    matched: str
    lang: str
    exact: bool


def _index() -> list[tuple[str, str, str, str]]:
    """(folded name, name, language, IRI) for every label and alias of one of our resources."""
    base = context().settings.base_iri
    return per_build(
        "search-index",
        lambda: sorted((fold(name), name, lang, iri) for iri, names in labels().names.items()
                       if iri.startswith(base) for name, lang in names),
        lambda found: sum(len(f[0]) + len(f[1]) + len(f[3]) + 64 for f in found),
    )


def find(query: str, limit: int = LIMIT) -> list[Hit]:
    """Resources whose label or alias starts with the query, or with it at a word's start."""
    wanted = fold(query.strip())
    if not wanted:
        return []
    lang = language()
    best: dict[str, tuple[int, Hit]] = {}
    for folded, name, name_lang, iri in _index():
        if folded == wanted:
            rank = 0
        elif folded.startswith(wanted):
            rank = 1
        elif WORD_START.sub(" ", " " + folded).find(" " + wanted) >= 0:
            rank = 2
        else:
            continue
        if iri not in best or rank < best[iri][0]:
            best[iri] = (rank, Hit(iri, local_href(iri) or iri, label(iri, lang), name, name_lang, rank == 0))
    ordered = sorted(best.values(), key=lambda item: (item[0], fold(item[1].label), item[1].iri))
    return [hit for _, hit in ordered[:limit]]


def suggest(slug: str, limit: int = 8) -> list[Hit]:
    """Near matches for an unknown /id/ slug: close slugs and close labels (difflib)."""
    lang = language()
    by_key: dict[str, set[str]] = {}
    for folded, _name, _lang, iri in _index():
        if iri.startswith(ID):
            by_key.setdefault(folded, set()).add(iri)
            by_key.setdefault(fold(iri[len(ID):]), set()).add(iri)
    wanted = fold(slug.replace("-", " ").strip("/"))
    keys = difflib.get_close_matches(wanted, list(by_key), n=limit * 2, cutoff=0.6)
    keys += difflib.get_close_matches(fold(slug), list(by_key), n=limit * 2, cutoff=0.6)
    seen: dict[str, Hit] = {}
    for key in keys:
        for iri in sorted(by_key[key]):
            if iri not in seen:
                seen[iri] = Hit(iri, local_href(iri) or iri, label(iri, lang), key, "", False)
    return list(seen.values())[:limit]


def _wants_json() -> bool:
    try:
        chosen = negotiate.choose(negotiate.LISTINGS, request.headers.get("Accept"), request.args.get("format"))
    except NotAcceptable:  # whatever the client accepts, it gets the page
        return False
    return chosen.name == "json"


def search() -> Response | str:
    query = request.args.get("q", "")
    hits = find(query)
    if _wants_json():
        return jsonify({"query": query, "results": [asdict(h) for h in hits]})
    return render_template("search.html", query=query, hits=hits)


def not_found_page(slug: str) -> Response:
    """The HTML 404 of an unknown resource, with the search box and near matches."""
    body = render_template("not_found.html", iri=ID + slug, slug=slug, hits=suggest(slug))
    return Response(body, status=404, mimetype="text/html")

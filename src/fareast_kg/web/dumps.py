"""/dump: the dumps the build wrote beside the store (``build.dumps``), listed and streamed.

The files are sent as they are, in chunks, with their SHA-256 as ETag (so If-None-Match
and Range work): nothing is counted, cut or held in memory. A server in front of a remote
engine has no dumps (they stay with the store folder that was built), and says so.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from flask import Response, render_template, request, send_file, url_for

from ..backend.layout import DUMPS
from ..errors import NotFound
from ..sparql import negotiate
from . import context, rdf

NO_FILES = ("this server answers from a remote SPARQL engine, which holds the graphs but not the dump files; "
            "a server over the store folder that `fareast-kg build` wrote serves them")


def _folder() -> Path | None:
    folder = context().backend.files()
    return folder / DUMPS if folder is not None else None


def available(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The dumps listed in build.json whose files are here."""
    folder = _folder()
    if folder is None:
        return []
    return [entry for entry in info.get("dumps", []) if (folder / entry["name"]).is_file()]


def _entries() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    info = dict(context().backend.build().info)
    if _folder() is None:
        raise NotFound(NO_FILES)
    entries = available(info)
    if not entries:
        raise NotFound("the build served has no dumps; rebuild it with `fareast-kg build --force`")
    return info, entries


def listing() -> Response:
    info, entries = _entries()
    fmt = negotiate.choose(negotiate.LISTINGS, request.headers.get("Accept"), tuple(request.args.getlist("format")))
    rows = [{**entry, "url": url_for("dump_file", name=entry["name"], _external=True)} for entry in entries]
    if fmt is negotiate.HTML:
        html = render_template("dumps.html", dumps=rows, built_at=info["built_at"], build=info["hash"])
        response = rdf.page(html, {})
    else:
        listed = {"built_at": info["built_at"], "build": info["hash"],
                  "description": url_for("void", _external=True), "dumps": rows}
        response = rdf.body((json.dumps(listed, indent=1, ensure_ascii=False) + "\n").encode(), fmt, {})
    return response


def dump_file(name: str) -> Response:
    _, entries = _entries()
    entry = next((e for e in entries if e["name"] == name), None)
    folder = _folder()
    if entry is None or folder is None:
        raise NotFound(f"there is no dump {name}; the dumps are listed at /dump")
    response = send_file(folder / name, mimetype="application/gzip", as_attachment=True, download_name=name,
                         etag=entry["sha256"], conditional=True, max_age=3600)
    # RFC 9530: the digest of the whole file, also valid for a range of it.
    response.headers["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(entry['sha256'])).decode()}:"
    return response

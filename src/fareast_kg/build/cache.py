"""Reuse of a previous closure when reasoning would see exactly the same input.

The closure is a function of its input: the ontology (named by its files' hashes), the data
triples that reasoning keeps (``reason.relevant``), and the build code. A build whose input
has the same key reads the cleaned closure of the earlier build instead of running owlrl, so
edits that reasoning cannot see (labels, notes, passage text, quotes, provenance) skip the
stage and still give the identical store. Any other change is a new key and a full closure.
Inputs with blank nodes are never cached: their labels differ from one parse to the next.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
FOLDER = ".cache"
KEEP = 4  # closures kept; older ones are removed


class ClosureCache:
    """Cleaned closures in ``store/.cache/closure-<key>.pickle``, written atomically."""

    def __init__(self, store_dir: Path, salt: str) -> None:
        self.folder = store_dir / FOLDER
        self.salt = salt  # the ontology files and the build code
        self.reused = False

    def key(self, data: Iterable[Triple]) -> str | None:
        lines = []
        for triple in data:
            if any(isinstance(term, BNode) for term in triple):
                return None
            lines.append(" ".join(term.n3() for term in triple))
        lines.sort()
        h = hashlib.sha256(self.salt.encode())
        for line in lines:
            h.update(line.encode("utf-8") + b"\n")
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / f"closure-{key[:32]}.pickle"

    def get(self, key: str | None) -> set[Triple] | None:
        if key is None:
            return None
        try:
            with self._path(key).open("rb") as f:
                stored_key, triples = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            return None
        if stored_key != key:
            return None
        self.reused = True
        return set(triples)

    def put(self, key: str | None, triples: set[Triple]) -> None:
        if key is None or any(isinstance(term, BNode) for t in triples for term in t):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".closure-", dir=self.folder)
            with os.fdopen(fd, "wb") as f:
                pickle.dump((key, sorted(triples)), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._path(key))
        except OSError:
            return  # a cache that cannot be written only costs time next build
        self._trim()

    def _trim(self) -> None:
        closures = sorted(self.folder.glob("closure-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in closures[KEEP:]:
            old.unlink(missing_ok=True)

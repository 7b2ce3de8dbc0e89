"""The OWL 2 RL rules the build records for each inferred triple, and where it records them.

Shared by the build (``build/derive.py`` writes) and the explainer (which reads), so the
explainer needs neither rdflib nor the build code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

FILE = "derivations.json"
Key = tuple[str, str, str]  # N-Triples forms of subject, predicate, object
Ranks = dict[Key, tuple[int, str]]

# In the order the explainer tries them; the first that applies names the triple's rule.
TRANSITIVE = "prp-trp (transitive)"
CHAIN = "prp-spo2 (property chain)"
INVERSE = "prp-inv (inverse)"
SUBPROPERTY = "prp-spo1 (sub-property)"
SYMMETRIC = "prp-symp (symmetric)"
SUBCLASS = "cax-sco (subclass)"
DOMAIN = "prp-dom (domain)"
RANGE = "prp-rng (range)"
SUBCLASS_CHAIN = "scm-sco (subclass of a subclass)"
SUBPROPERTY_CHAIN = "scm-spo (sub-property of a sub-property)"


def read(path: Path) -> Iterator[tuple[str, str, str, int, str]]:
    """(subject, predicate, object, rank, rule) for each inferred triple of the build at path."""
    try:
        rows = json.loads((path / FILE).read_text(encoding="utf-8"))["derivations"]
    except FileNotFoundError:
        return iter(())
    return (tuple(row) for row in rows)  # type: ignore[misc]


@lru_cache(maxsize=4)
def ranks_of(build_path: Path) -> Ranks:
    """The rank and rule of each inferred triple, as the build recorded them."""
    return {(s, p, o): (rank, rule) for s, p, o, rank, rule in read(build_path)}

"""Every number in the paper is a Statistic, a date or a rank, or is excluded with a reason."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal

import pyoxigraph as ox
import pytest

from fareast_kg.paper import passages

from ..conftest import ROOT
from .helpers import select

NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?:\s*(bn|thousand|%))?")
EXCLUSIONS = ROOT / "data" / "number-exclusions.tsv"


@pytest.fixture(scope="module")
def db(full_db: ox.Store) -> ox.Store:
    return full_db


def _known(db: ox.Store) -> dict[str, set[Decimal]]:
    """Per passage graph: figures of its statistics, parts of its dates, and its ranks."""
    known: dict[str, set[Decimal]] = defaultdict(set)
    rows = select(db, """SELECT ?g ?v WHERE { GRAPH ?g {
        { ?s a fe:Statistic . { ?s fe:value ?v } UNION { ?s fe:minValue ?v } UNION { ?s fe:maxValue ?v } }
        UNION { ?s fe:rank ?v } } }""")
    for r in rows:
        known[r["g"].rsplit("/", 1)[-1]].add(Decimal(r["v"]))
    dates = select(db, """SELECT ?g ?d WHERE { GRAPH ?g {
        ?s ?p ?d VALUES ?p { fe:date fe:startDate fe:endDate dcterms:issued } } }""")
    for r in dates:
        for part in re.findall(r"\d+", r["d"]):
            known[r["g"].rsplit("/", 1)[-1]].add(Decimal(part))
    return known


def _excluded() -> set[tuple[str, str]]:
    with EXCLUSIONS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert all(row["reason"].strip() for row in rows), "every exclusion needs a reason"
    return {(row["passage"], row["number"]) for row in rows}


def test_every_number_is_accounted_for(db: ox.Store, seed_text: str) -> None:
    known = _known(db)
    excluded = _excluded()
    missing = []
    used = set()
    for p in passages(seed_text):
        for m in NUMBER.finditer(p.text):
            written, unit = m.group(1), m.group(2)
            n = Decimal(written.replace(",", ""))
            values = {n, n * 1_000_000_000 if unit == "bn" else n, n * 1000 if unit == "thousand" else n}
            if "thousand" in p.text[m.end():m.end() + 20]:
                values.add(n * 1000)
            if values & known[p.ident]:
                continue
            if (p.ident, written) in excluded:
                used.add((p.ident, written))
                continue
            missing.append(f"{p.ident} {written}")
    assert missing == []
    assert excluded - used == set(), "exclusions that no longer match a number"

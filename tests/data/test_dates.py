"""Every day-precision date in the data, with the quote of the paper that states the day."""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox
import pytest

from .helpers import select


@pytest.fixture(scope="module")
def db(full_db: ox.Store) -> ox.Store:
    return full_db


def test_every_day_precision_date_and_its_quote(db: ox.Store) -> None:
    rows = select(db, """SELECT ?s ?p ?d ?exact WHERE {
        GRAPH ?g { ?s ?p ?d FILTER (datatype(?d) = xsd:date) OPTIONAL { ?s fe:evidence ?q } }
        FILTER (STRSTARTS(STR(?g), "https://w3id.org/fareast-kg/graph/passage/"))
        OPTIONAL { ?q oa:exact ?exact } }""")
    found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rows:
        key = (r["s"].rsplit("/", 1)[-1], r["p"].rsplit("#", 1)[-1], r["d"])
        day = str(int(r["d"][-2:]))
        # the quote that states the day, as written ("May 8th", "September 4", "December 29th")
        if re.search(rf"\b{day}(st|nd|rd|th)?\b", r.get("exact", "")):
            found[key].add(r["exact"])
        else:
            found.setdefault(key, set())
    assert dict(found) == {
        ("joint-declaration-2015-conjunction", "date", "2015-05-08"): {"on May 8th, 2015"},
        ("signing-joint-declaration-2015-conjunction", "date", "2015-05-08"): {"on May 8th, 2015"},
        ("border-regions-development-concept-2015", "date", "2015-10-28"):
            {"On October 28th, 2015, the Russian government passed a development concept"},
        ("adoption-border-regions-development-concept-2015", "date", "2015-10-28"):
            {"On October 28th, 2015, the Russian government passed a development concept"},
        ("work-mereminskaia-2017", "date", "2017-09-04"): {"*Vedomosti*, September 4"},
        ("work-gemueva-2017", "date", "2017-12-28"): {"Russian International Affairs Council, December 28"},
        ("stat-foreigners-received-e-visas-2017-12-29", "date", "2017-12-29"):
            {"by December 29th, 2017, 6134 foreigners had received e-visas"},
        ("stat-chinese-e-visa-applications-2017-12-29", "date", "2017-12-29"): {"by December 29th, 2017"},
    }

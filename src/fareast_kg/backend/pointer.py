"""Which build an engine serves: a small graph (``BUILD_GRAPH``) beside the data.

``build.publish`` writes it and ``remote`` reads it. A publish takes three requests:

1. **mark**: add ``<build#switch> meta:switching "<token>"``, then delete ``<build> meta:serial``;
2. **switch**: drop or move the graphs in, and rewrite the description of ``<build>``;
3. **settle**: add ``<build> meta:serial "<token>"``, then delete the mark.

On an engine that runs each request as one transaction and reads snapshots
(Oxigraph), step 2 alone is atomic for readers. Virtuoso 7 shows readers an update
half-applied, so there a reader trusts what it reads only as a seqlock does: a
state is *stable* when it has a serial and no mark, and an answer counts only if
the serial its request started with is still there when the request ends. A switch
deletes the serial before it changes anything and tokens are unique per publish,
so an unchanged serial means no switch touched the data in between.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..namespaces import BASE, GRAPH, UNION_GRAPHS
from ..sparql import terms
from .base import BuildInfo, Row

BUILD_GRAPH = f"{GRAPH}build"  # holds only the description of the build being served
BUILD = f"{BASE}build"  # the subject of that description
SWITCH = f"{BASE}build#switch"  # the subject of the mark a switch leaves while it runs
META = f"{BASE}build#"  # hash, builtAt, info (build.json as JSON), graph (one per served graph), serial
STAGING = "urn:fareast-kg:staging:"  # + <hash>:<graph>, graphs of a build being published
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

_G, _ME = terms.iri(BUILD_GRAPH), terms.iri(BUILD)
_HASH, _SERIAL, _SWITCHING = (terms.iri(META + k) for k in ("hash", "serial", "switching"))
PROBE = f"SELECT ?p ?o WHERE {{ GRAPH {_G} {{ ?s ?p ?o FILTER (?p IN ({_HASH}, {_SERIAL}, {_SWITCHING})) }} }}"
DESCRIPTION = (f"SELECT ?p ?o WHERE {{ GRAPH {_G} {{ {_ME} ?p ?o "
               f"FILTER (?p != {terms.iri(META + 'derivations')}) }} }}")
DERIVATIONS = f"SELECT ?d WHERE {{ GRAPH {_G} {{ {_ME} {terms.iri(META + 'derivations')} ?d }} }}"


@dataclass(frozen=True)
class Probe:
    """The few triples that say which build is served and whether a switch is running."""

    build_hash: str | None
    serial: str | None
    switching: bool

    @property
    def stable(self) -> bool:
        return self.build_hash is not None and self.serial is not None and not self.switching


@dataclass(frozen=True)
class Pointer:
    """The build a request reads: its description, its graphs and the serial it was read under."""

    build: BuildInfo
    graphs: tuple[str, ...]
    serial: str | None


def _values(rows: Iterable[Row]) -> tuple[dict[str, list[str]], bool]:
    """The description's values by key (``hash``, ``serial``, ...), and whether a row came torn:
    Virtuoso, mid-switch, can return a row without its object."""
    values: dict[str, list[str]] = {}
    torn = False
    for row in rows:
        if "p" not in row or "o" not in row:
            torn = True
            continue
        values.setdefault(row["p"].value.removeprefix(META), []).append(row["o"].value)
    return values, torn


def probe(rows: Iterable[Row]) -> Probe:
    values, torn = _values(rows)
    hashes, serials = set(values.get("hash", ())), set(values.get("serial", ()))
    # Two hashes or serials at once is a description caught half-rewritten: a switch is running.
    mixed = torn or len(hashes) > 1 or len(serials) > 1
    return Probe(min(hashes) if hashes else None, min(serials) if serials else None,
                 mixed or bool(values.get("switching")))


def describe(rows: Iterable[Row], serial: str | None) -> Pointer | None:
    values, _ = _values(rows)  # a torn row: the probe that follows sees the switch
    if not values.get("hash"):
        return None
    info = json.loads(values.get("info", ["{}"])[0])
    return Pointer(BuildInfo(values["hash"][0], info, serial or ""), tuple(sorted(values.get("graph", []))), serial)


# ---- the writer's side (build.publish)

def mark(token: str) -> str:
    """Step 1: announce a switch, then withdraw the serial readers check against."""
    return (f"DELETE WHERE {{ GRAPH {_G} {{ {terms.iri(SWITCH)} ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH {_G} {{ {terms.iri(SWITCH)} {_SWITCHING} {_lit(token)} }} }} ;\n"
            f"DELETE WHERE {{ GRAPH {_G} {{ {_ME} {_SERIAL} ?serial }} }}")


def rewrite(graphs: set[str], info: dict[str, Any]) -> list[str]:
    """Step 2's last operations: the new description in place of the old one (the mark stays)."""
    return [f"DELETE WHERE {{ GRAPH {_G} {{ {_ME} ?p ?o }} }}",
            f"INSERT DATA {{ GRAPH {_G} {{\n{_description(graphs, info)}\n}} }}"]


def settle(token: str) -> str:
    """Step 3: the new serial, then the mark goes."""
    return (f"INSERT DATA {{ GRAPH {_G} {{ {_ME} {_SERIAL} {_lit(token)} }} }} ;\n"
            f"DELETE WHERE {{ GRAPH {_G} {{ {terms.iri(SWITCH)} ?p ?o }} }}")


def _lit(value: object, datatype: str = "") -> str:
    return terms.render(("literal", str(value), datatype, ""))


def _description(graphs: set[str], info: dict[str, Any]) -> str:
    derivations = info.get("derivations", [])
    info = {k: v for k, v in info.items() if k != "derivations"}
    lines = [f"{_ME} {_HASH} {_lit(info['hash'])} .",
             f"{_ME} {terms.iri(META + 'info')} {_lit(json.dumps(info, sort_keys=True))} .",
             f"{_ME} {terms.iri(META + 'derivations')} {_lit(json.dumps(derivations))} ."]
    if "built_at" in info:
        lines.append(f"{_ME} {terms.iri(META + 'builtAt')} {_lit(info['built_at'])} .")
    for key, count in sorted(dict(info.get("counts", {})).items()):
        lines.append(f"{_ME} {terms.iri(META + 'count-' + key)} {_lit(int(count), XSD_INTEGER)} .")
    lines += [f"{_ME} {terms.iri(META + 'graph')} {terms.iri(g)} ." for g in sorted(graphs) if g not in UNION_GRAPHS]
    return "\n".join(lines)

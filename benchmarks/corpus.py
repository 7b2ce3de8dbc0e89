"""`python benchmarks/corpus.py N OUTDIR`: an N-fold data folder for scale benchmarks.

Copy 0 is the paper's data as it is. Copy K (K >= 1) repeats every file with fresh IRIs: each
slug under id/ and each passage graph gets the suffix ``-cK``, blank nodes are renamed, and the
shared graphs (graph/provenance, graph/links) keep their names. The places, actors and agreements
in SHARED keep their IRIs in every copy, so copies meet there and reasoning has work across
documents (located-in chains, inverses and property chains through shared nodes).

Quotes and passages keep their text and offsets: they describe the seed, which every copy repeats.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox

BASE = "https://w3id.org/fareast-kg/"
ID = BASE + "id/"
PASSAGE_GRAPH = BASE + "graph/passage/"
DATA = Path(__file__).resolve().parents[1] / "data"

# Slugs that name the same thing in every copy: countries and states, international bodies,
# regions, main cities and rivers, key people and bodies, key agreements and programmes.
SHARED = frozenset({
    "china", "russia", "united-states", "japan", "south-korea", "north-korea", "germany", "soviet-union",
    "russian-empire", "qing-empire", "european-union", "shanghai-cooperation-organisation",
    "eurasian-economic-union", "russian-far-east", "siberia", "eastern-siberia", "baikal-region",
    "northeast-china", "european-russia", "asia-pacific", "east-asia", "northeast-asia",
    "far-eastern-federal-district", "heilongjiang", "jilin", "liaoning", "inner-mongolia", "khabarovsk-krai",
    "primorsky-krai", "vladivostok", "harbin", "suifenhe", "pogranichny", "moscow", "amur-river",
    "yangtze-river-economic-belt", "vladimir-putin", "yury-trutnev", "wang-yang", "feng-shaolei", "cui-heng",
    "post-president-of-russia", "russian-government", "chinese-government",
    "ministry-for-development-of-russian-far-east", "ndrc", "russian-ministry-of-economic-development",
    "belt-and-road-initiative", "silk-road-economic-belt", "greater-eurasian-partnership",
    "trans-siberian-railway", "the-programme-2009-2018", "joint-declaration-2015-conjunction",
    "joint-declaration-2018", "treaty-good-neighbourliness-2001", "treaty-of-aigun",
    "supplementary-agreement-eastern-boundary-2004", "agreement-on-strategic-coordination-2015",
    "far-east-baikal-development-programme", "northeast-revitalization-plan",
})


class Renamer:
    """Maps the terms of copy K to fresh ones, leaving shared slugs and vocabularies alone."""

    def __init__(self, copy: int) -> None:
        self.suffix = f"-c{copy}"

    def iri(self, node: ox.NamedNode) -> ox.NamedNode:
        value = node.value
        if value.startswith(ID) and value[len(ID):] not in SHARED:
            return ox.NamedNode(value + self.suffix)
        if value.startswith(PASSAGE_GRAPH):
            return ox.NamedNode(value + self.suffix)
        return node

    def term(self, term):  # type: ignore[no-untyped-def]
        if isinstance(term, ox.NamedNode):
            return self.iri(term)
        if isinstance(term, ox.BlankNode):
            return ox.BlankNode(term.value + self.suffix.replace("-", "_"))
        return term

    def quad(self, q: ox.Quad) -> ox.Quad:
        return ox.Quad(self.term(q.subject), self.term(q.predicate), self.term(q.object),
                       self.term(q.graph_name))


def write_copy(copy: int, source: Path, out: Path) -> int:
    """Write copy ``copy`` of every .trig file under ``source`` to ``out``; return its quad count."""
    renamer = Renamer(copy)
    count = 0
    for path in sorted(source.rglob("*.trig")):
        target = out / f"copy-{copy:03d}" / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if copy == 0:
            shutil.copyfile(path, target)
            count += sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TRIG))
            continue
        quads = [renamer.quad(q) for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG)]
        target.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG) or b"")
        count += len(quads)
    return count


def write_corpus(n: int, out: Path, source: Path = DATA) -> int:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return sum(write_copy(k, source, out) for k in range(n))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many copies of the paper's graph")
    parser.add_argument("out", type=Path, help="the data folder to write (replaced if it exists)")
    parser.add_argument("--source", type=Path, default=DATA, help="the data folder to copy (default: data/)")
    args = parser.parse_args(argv)
    if args.n < 1:
        print("corpus.py: error: N must be 1 or more", file=sys.stderr)
        return 2
    if not args.source.is_dir():
        print(f"corpus.py: error: {args.source}/ is not a folder", file=sys.stderr)
        return 2
    quads = write_corpus(args.n, args.out, args.source)
    print(f"wrote {args.n} copies, {quads} quads, to {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

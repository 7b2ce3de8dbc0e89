"""Reading the build description graph: a state counts as stable only when nothing is half-written."""

from __future__ import annotations

import pyoxigraph as ox

from fareast_kg.backend.pointer import META, PROBE, Probe, describe, mark, probe, rewrite, settle


def row(key: str, value: str) -> dict[str, ox.NamedNode | ox.Literal]:
    return {"p": ox.NamedNode(META + key), "o": ox.Literal(value)}


def test_a_serial_and_no_mark_is_stable() -> None:
    assert probe([row("hash", "h1"), row("serial", "t1")]) == Probe("h1", "t1", False)
    assert probe([row("hash", "h1"), row("serial", "t1")]).stable


def test_a_mark_a_missing_serial_two_hashes_or_a_torn_row_is_a_switch() -> None:
    assert not probe([row("hash", "h1"), row("serial", "t1"), row("switching", "t2")]).stable
    assert not probe([row("hash", "h1")]).stable
    assert probe([row("hash", "h1"), row("hash", "h2"), row("serial", "t1")]).switching
    assert probe([row("hash", "h1"), row("serial", "t1"), {"p": ox.NamedNode(META + "serial")}]).switching
    assert probe([]) == Probe(None, None, False)


def test_description_reads_hash_info_and_graphs() -> None:
    rows = [row("hash", "h1"), row("info", '{"hash": "h1", "counts": {"quads": 3}}'),
            {"p": ox.NamedNode(META + "graph"), "o": ox.NamedNode("https://w3id.org/fareast-kg/graph/links")}]
    found = describe(rows, "t1")
    assert found is not None
    assert (found.build.build_hash, found.build.info["counts"], found.graphs, found.serial) == \
        ("h1", {"quads": 3}, ("https://w3id.org/fareast-kg/graph/links",), "t1")
    assert describe([row("info", "{}")], "t1") is None


def test_the_three_steps_leave_a_stable_state_on_a_real_store() -> None:
    """mark, rewrite, settle as pyoxigraph runs them: a mark and no serial in between, one build after."""
    store = ox.Store()
    g = "https://w3id.org/fareast-kg/graph/build"

    def state() -> Probe:
        solutions = store.query(PROBE)
        assert isinstance(solutions, ox.QuerySolutions)
        return probe({"p": s["p"], "o": s["o"]} for s in solutions)

    info = {"hash": "h1", "counts": {"quads": 1}}
    for step in (mark("t1"), " ;\n".join(rewrite({g}, info)), settle("t1")):
        store.update(step)
    assert state() == Probe("h1", "t1", False)
    store.update(mark("t2"))
    assert state() == Probe("h1", None, True)
    store.update(" ;\n".join(rewrite({g}, {"hash": "h2"})))
    assert state() == Probe("h2", None, True)
    store.update(settle("t2"))
    assert state() == Probe("h2", "t2", False)

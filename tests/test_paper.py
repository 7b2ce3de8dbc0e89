"""The seed text's segmentation into passages."""

from __future__ import annotations

import itertools

from fareast_kg.paper import passages


def test_passages_cover_the_paper_in_order(seed_text: str) -> None:
    found = passages(seed_text)
    assert len(found) == 105
    assert [p.number for p in found] == list(range(1, 106))
    for p in found:
        assert seed_text[p.start:p.end] == p.text
    assert all(a.end < b.start for a, b in itertools.pairwise(found))


def test_kinds_sections_and_continuations(seed_text: str) -> None:
    by_id = {p.ident: p for p in passages(seed_text)}
    assert by_id["p002"].text == (
        "# Developing the Far East and Chinese-Russian Relations: New Perceptions and New Practices"
    )
    assert by_id["p003"].kind == "front"
    assert by_id["p014"].section == "Executive Summary"
    assert by_id["p076"].section == "Third Stage: Strategic Conjunction"
    assert by_id["p078"].kind == "footnote"
    # A paragraph broken by a page break and a footnote continues the earlier passage.
    assert by_id["p089"].continues == 88
    assert by_id["p054"].continues == 52
    assert [p.ident for p in by_id.values() if p.kind == "furniture"] == ["p101", "p102", "p103", "p104", "p105"]
    kinds = [p.kind for p in by_id.values()]
    assert kinds.count("paragraph") == 73
    assert kinds.count("footnote") == 6

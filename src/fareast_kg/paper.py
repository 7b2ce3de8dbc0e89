"""The source paper as a sequence of passages with character offsets.

Offsets count Unicode code points into the seed file decoded as UTF-8, so
``text[start:end]`` in Python returns the passage exactly.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PAPER_SHA256 = "5df4709bf1c384dc60c9986e72678ffbd7e7f4aec10371142924e7721ba49ef0"
SEED_NAME = "000_6225201a47dae885.txt"

_SUP = re.compile(r"<sup>\d+</sup>")
_TERMINAL = tuple('.!?:;”’"\')>')
# Back-cover blocks: logos and the contact address, not content.
_FURNITURE = {"Council on Foreign and Defense Policy", "ValdaiClub"}


@dataclass(frozen=True)
class Passage:
    number: int  # 1-based, in reading order
    start: int
    end: int
    text: str
    kind: str  # heading | front | paragraph | footnote | furniture
    section: str
    continues: int | None = None  # number of the passage this one continues

    @property
    def ident(self) -> str:
        return f"p{self.number:03d}"


def read_seed(path: Path) -> str:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != PAPER_SHA256:
        raise ValueError(f"{path}: sha256 is {digest}, expected {PAPER_SHA256}")
    return data.decode("utf-8")


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each run of non-blank lines."""
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        start, end = match.span()
        if match.group().strip():
            yield start, end


def passages(text: str) -> list[Passage]:
    result: list[Passage] = []
    section = "Title page"
    in_front = True
    last_paragraph: Passage | None = None
    for start, end in _blocks(text):
        raw = text[start:end]
        body = raw.strip()
        if body == "---":
            continue
        # Trim surrounding whitespace so that offsets cover the words only.
        start += len(raw) - len(raw.lstrip())
        end -= len(raw) - len(raw.rstrip())
        continues = None
        if body.startswith("#"):
            title = body.lstrip("#").strip()
            if title == "Executive Summary":
                in_front = False
            # Bold headings in the front matter are author names, not sections.
            if not title.startswith("**") and (not in_front or title == "About the Authors"):
                section = title
            kind = "heading"
        elif body.startswith("<sup>"):
            kind = "footnote"
        elif body in _FURNITURE or body.startswith("[valdai@"):
            kind = "furniture"
        elif in_front:
            kind = "front"
        else:
            kind = "paragraph"
            if last_paragraph is not None:
                tail = _SUP.sub("", last_paragraph.text).rstrip()
                if not tail.endswith(_TERMINAL):
                    continues = last_paragraph.number
                    section = last_paragraph.section
        passage = Passage(len(result) + 1, start, end, text[start:end], kind, section, continues)
        result.append(passage)
        if kind == "paragraph":
            last_paragraph = passage
    return result


"""A document's table of contents, from the outline markers its paragraphs open with.

Chinese reports and speeches number their parts `一、`, `（一）`, `第一，` or `一是`; a paragraph that
opens with one is a heading (or a point) of the outline. Its label is the opening clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus_site.model import Paragraph

_NUMERAL = "[一二三四五六七八九十]{1,3}"
MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^{_NUMERAL}、")),
    (1, re.compile(rf"^第{_NUMERAL}[，、,：:]")),
    (2, re.compile(rf"^[（(]{_NUMERAL}[）)]")),
    (2, re.compile(rf"^{_NUMERAL}是")),
)
MAX_LABEL = 30
_CLAUSE_END = re.compile(r"[。！？；：，,;:!?]")


@dataclass(slots=True, frozen=True)
class Heading:
    """One entry of a table of contents."""

    level: int
    """1 for `一、` and `第一，`; 2 for `（一）` and `一是`."""
    paragraph: str
    """Id of the paragraph it opens."""
    label: str
    """The paragraph's opening clause, marker included."""


def _label(text: str, marker_end: int) -> str:
    end = _CLAUSE_END.search(text, marker_end + 1)
    label = text[: end.start()] if end else text
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL] + "…"


def outline(paragraphs: Sequence[Paragraph]) -> list[Heading]:
    """The headings of a document, in order; empty when fewer than two paragraphs carry markers."""
    headings: list[Heading] = []
    for paragraph in paragraphs:
        for level, pattern in MARKERS:
            match = pattern.match(paragraph.text)
            if match:
                headings.append(Heading(level, paragraph.id, _label(paragraph.text, match.end())))
                break
    if len({h.level for h in headings}) == 1:
        headings = [Heading(1, h.paragraph, h.label) for h in headings]
    return headings if len(headings) >= 2 else []

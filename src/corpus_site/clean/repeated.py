"""drop_repeated_boilerplate: lines that open or close many documents of the corpus.

A site's footer seen at the edge of many files is boilerplate even when no pattern rule names it.
Only lines near a document's start or end are counted, so a paragraph republished in the body of
several documents is never taken for boilerplate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from corpus_site.clean.base import Context, Step, drop_lines, squeeze
from corpus_site.model import Line

NAME = "drop_repeated_boilerplate"
EDGE_LINES = 6
"""How many lines at each end of a document are candidates."""
MIN_DOCUMENTS = 3
"""In how many documents a line must stand to count as boilerplate."""
MIN_LENGTH = 6
MAX_LENGTH = 200
# Salutations and closings (`同志们：`, `谢谢大家！`) open and close many speeches but are text.
_SENTENCE_ENDS = tuple("。！？：!?:")


def edge_lines(texts: Sequence[str]) -> set[str]:
    """The distinct squeezed lines at a document's two edges, as candidates for boilerplate."""
    lines = [squeeze(t) for t in texts if t.strip()]
    edges = lines[:EDGE_LINES] + lines[-EDGE_LINES:]
    return {line for line in edges if _is_candidate(line)}


def _is_candidate(line: str) -> bool:
    return MIN_LENGTH <= len(line) <= MAX_LENGTH and not line.endswith(_SENTENCE_ENDS)


def find_repeated_lines(documents: Iterable[Sequence[str]]) -> frozenset[str]:
    """Edge lines standing in at least MIN_DOCUMENTS documents."""
    return repeated_edges(edge_lines(lines) for lines in documents)


def repeated_edges(edges: Iterable[AbstractSet[str]]) -> frozenset[str]:
    """The lines in at least MIN_DOCUMENTS of the documents' sets of edge lines."""
    counts: Counter[str] = Counter()
    for lines in edges:
        counts.update(lines)
    return frozenset(line for line, count in counts.items() if count >= MIN_DOCUMENTS)


def drop_repeated_boilerplate(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove lines the corpus context marks as repeated boilerplate."""
    if not context.repeated_lines:
        return Step(lines)
    return drop_lines(NAME, lines, lambda text: squeeze(text) in context.repeated_lines)

"""drop_repeated_boilerplate: lines that open or close many documents of the corpus.

A site's footer seen at the edge of many files is boilerplate even when no pattern rule names it.
Only lines near a document's start or end are counted, so a paragraph republished in the body of
several documents is never taken for boilerplate; and only documents whose bodies differ count, so
an article republished by several sites keeps its title and its signature.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from corpus_site.clean.base import HAN, Context, Step, drop_lines, squeeze
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


class Edges(NamedTuple):
    """What the corpus context needs of one document."""

    lines: frozenset[str]
    """The distinct squeezed lines at its two edges that could be boilerplate."""
    body: str
    """A digest of its body (`body_digest`), to tell a site's many pages from one article's copies."""


def edges_of(texts: Sequence[str]) -> Edges:
    """The document's candidate boilerplate lines, and the digest of its body."""
    lines = [squeeze(t) for t in texts if t.strip()]
    edges = lines[:EDGE_LINES] + lines[-EDGE_LINES:]
    return Edges(frozenset(line for line in edges if _is_candidate(line)), body_digest(lines))


_NOT_HAN = re.compile(f"[^{HAN}]+")


def body_digest(lines: Sequence[str]) -> str:
    """A digest of the Han characters of the lines that end a sentence: the same for copies of one
    article whatever their pinyin, punctuation or spacing damage, and whatever boilerplate each site
    put around it. A document with no such line gets a digest of all its lines, its own."""
    sentences = [line for line in lines if line.endswith(_SENTENCE_ENDS)]
    text = _NOT_HAN.sub("", "".join(sentences)) if sentences else "\n".join(lines)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _is_candidate(line: str) -> bool:
    return MIN_LENGTH <= len(line) <= MAX_LENGTH and not line.endswith(_SENTENCE_ENDS)


def find_repeated_lines(documents: Iterable[Sequence[str]]) -> frozenset[str]:
    """Edge lines standing in at least MIN_DOCUMENTS documents with different bodies."""
    return repeated_edges(edges_of(lines) for lines in documents)


def repeated_edges(edges: Iterable[Edges]) -> frozenset[str]:
    """The edge lines of at least MIN_DOCUMENTS documents with different bodies."""
    bodies: defaultdict[str, set[str]] = defaultdict(set)
    for each in edges:
        for line in each.lines:
            bodies[line].add(each.body)
    return frozenset(line for line, found in bodies.items() if len(found) >= MIN_DOCUMENTS)


def drop_repeated_boilerplate(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove lines the corpus context marks as repeated boilerplate."""
    if not context.repeated_lines:
        return Step(lines)
    return drop_lines(NAME, lines, lambda text: squeeze(text) in context.repeated_lines)

"""Near-duplicates: the same text republished, whatever the site's boilerplate, script, punctuation or
paragraphing, found without comparing every pair of documents.

Each document's canonical text, stripped to its Han characters, letters and digits, is cut into
overlapping shingles of `SHINGLE` characters. Its sketch is the `SKETCH` smallest shingle hashes
(a bottom-k MinHash), from which the Jaccard similarity of two documents is estimated. Candidates are
only the documents that share one of their `BANDS` smallest hashes, found through an inverted index;
similar texts share their smallest hashes with high probability, different ones almost never.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from corpus_site.model import Document

SHINGLE = 5
SKETCH = 128
BANDS = 12
"""Smallest hashes used to find candidates."""
THRESHOLD = 0.6
"""Estimated Jaccard similarity of shingles from which two texts count as the same text."""
MIN_SHARED = 3
"""Smallest hashes two documents must share to be compared: the same text shares most of them."""
MAX_POSTINGS = 100
"""A hash shared by more documents than this is boilerplate, not a sign of republication."""
_KEEP = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")


def shingles(text: str) -> set[int]:
    """Hashes of the text's overlapping character shingles, punctuation and spacing ignored."""
    letters = "".join(_KEEP.findall(text.lower()))
    if len(letters) <= SHINGLE:
        return {zlib.crc32(letters.encode())} if letters else set()
    data = memoryview(letters.encode("utf-32-le"))
    width = 4 * SHINGLE
    return {zlib.crc32(data[start : start + width]) for start in range(0, len(data) - width + 4, 4)}


def sketch(text: str) -> tuple[int, ...]:
    """The bottom-k MinHash sketch of a text, smallest hash first."""
    return tuple(heapq.nsmallest(SKETCH, shingles(text)))


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two texts from their sketches."""
    if not a or not b:
        return 0.0
    smallest = sorted({*a, *b})[:SKETCH]
    return len(set(a).intersection(b).intersection(smallest)) / len(smallest)


def _similar(a: Sequence[int], b: Sequence[int], a_set: frozenset[int]) -> bool:
    """similarity(a, b) >= THRESHOLD, most pairs settled without sorting."""
    shared = a_set.intersection(b)
    # At most the shared hashes are among the union's smallest, so too few settle it.
    if len(shared) < THRESHOLD * min(SKETCH, len(a) + len(b) - len(shared)):
        return False
    return similarity(a, b) >= THRESHOLD


def document_sketch(document: Document) -> tuple[int, ...]:
    return sketch("".join(p.text for p in document.paragraphs))


class DuplicatesState(NamedTuple):
    """Near-duplicates with the sketches they were found from, so that the next build compares again
    only the documents an edit can change (`near_duplicates`)."""

    sketches: dict[str, tuple[int, ...]]
    """Each document's sketch."""
    found: dict[str, tuple[str, ...]]
    """For each document (by id), the other documents that are the same text (ids sorted)."""


def near_duplicates(
    sketches: dict[str, tuple[int, ...]],
    previous: DuplicatesState | None = None,
    *,
    max_postings: int = MAX_POSTINGS,
) -> DuplicatesState:
    """For each document, the other documents that are the same text. With the last build's state,
    only pairs with a document whose sketch changed, or that shares a hash whose list changed between
    too common and not, are compared again; the result is the same without it."""
    postings = _postings(sketches)
    if previous is None:
        again, pairs = set(sketches), set()
    else:
        again = {doc_id for doc_id, hashes in sketches.items() if previous.sketches.get(doc_id) != hashes}
        before = _postings(previous.sketches)
        for value in postings.keys() | before.keys():
            now, then = postings.get(value, []), before.get(value, [])
            if (len(now) <= max_postings) != (len(then) <= max_postings):
                again.update(now, then)
        kept = again | (previous.sketches.keys() - sketches.keys())
        pairs = {
            (doc_id, other)
            for doc_id, others in previous.found.items()
            if doc_id not in kept
            for other in others
            if other not in kept
        }
    for doc_id in sorted(again & sketches.keys()):
        hashes = sketches[doc_id]
        own = frozenset(hashes)
        # A pair of two documents compared again is looked at once, from its smaller id: shared
        # smallest hashes are symmetric.
        shared = Counter(
            other
            for value in hashes[:BANDS]
            if len(postings[value]) <= max_postings
            for other in postings[value]
            if other > doc_id or (other != doc_id and other not in again)
        )
        for other, count in shared.items():
            if count >= MIN_SHARED and _similar(hashes, sketches[other], own):
                pairs.update(((doc_id, other), (other, doc_id)))
    found: dict[str, list[str]] = {doc_id: [] for doc_id in sketches}
    for doc_id, other in pairs:
        found[doc_id].append(other)
    return DuplicatesState(sketches, {doc_id: tuple(sorted(others)) for doc_id, others in found.items()})


def _postings(sketches: dict[str, tuple[int, ...]]) -> dict[int, list[str]]:
    """The documents holding each hash among their `BANDS` smallest."""
    postings: dict[int, list[str]] = defaultdict(list)
    for doc_id, hashes in sketches.items():
        for value in hashes[:BANDS]:
            postings[value].append(doc_id)
    return postings

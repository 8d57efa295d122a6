"""Concordance lines (keyword in context): each index entry's occurrences in its documents and the
first lines that show them, kept from one build to the next while those documents are unchanged."""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import NamedTuple, overload

from corpus_site.cache import Cache, key_of
from corpus_site.model import Corpus, Document, EntryKind, KwicLine
from corpus_site.words import Words

KWIC_CONTEXT = 18
"""Characters of context on each side of a concordance line's keyword."""
KWIC_LINES_PER_ENTRY = 200
"""Concordance lines an entry's page shows, from its documents in order."""


def concordance(documents: Iterable[Document], keyword: str) -> Iterator[KwicLine]:
    """Every occurrence of `keyword` in the canonical text, with its context and paragraph."""
    return _concordance(map(_JoinedText.of, documents), keyword)


class _JoinedText(NamedTuple):
    """A document's paragraphs joined by line breaks, searched once rather than paragraph by
    paragraph (a keyword holds no line break, so no match spans two paragraphs)."""

    document: str
    text: str
    starts: list[int]
    """Where each paragraph starts in `text`."""
    ids: list[str]

    @classmethod
    def of(cls, document: Document) -> _JoinedText:
        starts, position = [], 0
        for paragraph in document.paragraphs:
            starts.append(position)
            position += len(paragraph.text) + 1
        text = "\n".join(p.text for p in document.paragraphs)
        return cls(document.id, text, starts, [p.id for p in document.paragraphs])


def _concordance(texts: Iterable[_JoinedText], keyword: str) -> Iterator[KwicLine]:
    for document in texts:
        text, starts = document.text, document.starts
        start = text.find(keyword)
        while start >= 0:
            number = bisect.bisect_right(starts, start) - 1
            low = max(starts[number], start - KWIC_CONTEXT)
            end = start + len(keyword)
            high = starts[number + 1] - 1 if number + 1 < len(starts) else len(text)
            right = text[end : min(high, end + KWIC_CONTEXT)]
            yield KwicLine(document.document, document.ids[number], text[low:start], keyword, right)
            start = text.find(keyword, end)


def entry_concordances(
    corpus: Corpus,
    named: dict[tuple[EntryKind, str], tuple[str, ...]],
    words: dict[str, Words],
    cache: Cache,
) -> dict[tuple[EntryKind, str], Concordance]:
    """Each entry's occurrences in each of its documents, and its concordance lines from its documents
    in order (at most `KWIC_LINES_PER_ENTRY`). What the last build in this process found for an entry
    is in `memory`: only the documents that changed since (by their digests) are looked at again.
    Otherwise the cache's record of where the last build found an entry's lines (`_LinesRecord`)
    gives their digest while those documents are as they were, and the lines are found only if a
    page shows them (`_LinesOnDemand`)."""
    memory = cache.memory
    documents = {d.id: d for d in corpus.documents}
    digest_by_id = {d.id: d.digest for d in corpus.documents}
    keyed = all(digest_by_id.values())  # documents the reader did not make have no digest
    text = _JoinedTexts(documents).__getitem__
    occurrences = {doc_id: each.occurrences for doc_id, each in words.items()}

    found: dict[tuple[EntryKind, str], Concordance] = {}
    for entry, doc_ids in named.items():
        digests = tuple(map(digest_by_id.__getitem__, doc_ids))
        last: Concordance | None = memory.get("concordance", entry) if keyed else None
        if last is None or last.documents != doc_ids:
            last = None
        elif last.digests == digests:
            found[entry] = last
            memory.put("concordance", entry, last)
            cache.put("kwic", _record_key(entry), last.record)
            continue
        name = entry[1]
        if last is None:
            counts = tuple(map(operator.itemgetter(name), map(occurrences.__getitem__, doc_ids)))
        else:  # the same documents, some of them changed
            changed = itertools.compress(range(len(digests)), map(operator.ne, digests, last.digests))
            updated = list(last.counts)
            for n in changed:
                updated[n] = words[doc_ids[n]].occurrences[name]
            counts = tuple(updated)
        by_document: dict[str, tuple[str, tuple[KwicLine, ...]]] = {}
        shown: Sequence[KwicLine]
        lines_in = _lines_in(text, name)
        if keyed and memory.keeping:
            kept = last.by_document if last is not None else {}
            kept_or_found = partial(_kept_or_found, kept, by_document, digest_by_id, lines_in)
            shown, looked = _first_lines_looked(doc_ids, kept_or_found)
            record = _LinesRecord.of(doc_ids, digests, looked, shown)
        elif keyed and (recorded := _recorded(cache, entry, doc_ids, digests)) is not None:
            shown, record = _LinesOnDemand(partial(_first_lines, doc_ids, lines_in)), recorded
        else:  # nothing is kept for a next build: the lines only, found as they are needed
            shown, looked = _first_lines_looked(doc_ids, lines_in)
            record = _LinesRecord.of(doc_ids, digests, looked, shown)
        if keyed:
            cache.put("kwic", _record_key(entry), record)
        result = Concordance(doc_ids, digests, counts, shown, record.digest, by_document, record)
        if keyed:
            memory.put("concordance", entry, result)
        found[entry] = result
    return found


def _record_key(entry: tuple[EntryKind, str]) -> str:
    return key_of("kwic", *entry)


def _recorded(
    cache: Cache, entry: tuple[EntryKind, str], doc_ids: tuple[str, ...], digests: tuple[str, ...]
) -> _LinesRecord | None:
    """The cache's record of the entry's lines, if these documents give the lines it records."""
    record = cache.get("kwic", _record_key(entry))
    return record if isinstance(record, _LinesRecord) and record.holds(doc_ids, digests) else None


def _first_lines_looked(
    doc_ids: tuple[str, ...],
    lines_in: Callable[[str], tuple[KwicLine, ...]],
    limit: int = KWIC_LINES_PER_ENTRY,
) -> tuple[tuple[KwicLine, ...], int]:
    """An entry's concordance lines (the first `limit` in its documents, in order, each document's
    from `lines_in`), and how many of its documents they were found in, the first ones."""
    lines: list[KwicLine] = []
    looked = 0
    for doc_id in doc_ids:
        if len(lines) >= limit:
            break
        lines.extend(lines_in(doc_id))
        looked += 1
    return tuple(lines[:limit]), looked


def _first_lines(
    doc_ids: tuple[str, ...], lines_in: Callable[[str], tuple[KwicLine, ...]]
) -> tuple[KwicLine, ...]:
    return _first_lines_looked(doc_ids, lines_in)[0]


def _lines_in(text: Callable[[str], _JoinedText], keyword: str) -> Callable[[str], tuple[KwicLine, ...]]:
    """A document's concordance lines of `keyword`, by the document's id."""
    return lambda doc_id: tuple(_concordance([text(doc_id)], keyword))


def _kept_or_found(
    kept: Mapping[str, tuple[str, tuple[KwicLine, ...]]],
    found: dict[str, tuple[str, tuple[KwicLine, ...]]],
    digests: Mapping[str, str],
    lines_in: Callable[[str], tuple[KwicLine, ...]],
    doc_id: str,
) -> tuple[KwicLine, ...]:
    """A document's lines as the last build found them (`kept`) while it is as it was, else found
    again (`lines_in`); put in `found` with its digest."""
    earlier = kept.get(doc_id)
    lines = earlier[1] if earlier is not None and earlier[0] == digests[doc_id] else lines_in(doc_id)
    found[doc_id] = (digests[doc_id], lines)
    return lines


class _LinesRecord(NamedTuple):
    """Where a build found an entry's concordance lines, kept in the cache for the next: while those
    documents are as they were (by their digests), the lines are the same, and so is their digest."""

    looked: int
    """How many of the entry's documents, the first ones, the lines were found in."""
    documents: str
    """A digest of those documents' ids and digests (`_documents_digest`)."""
    full: bool
    """True when the lines reached their limit (`KWIC_LINES_PER_ENTRY`) in those documents, so that
    documents after them add none; otherwise they are all of the entry's documents."""
    digest: str
    """The lines' digest (`_lines_digest`)."""

    @classmethod
    def of(
        cls,
        doc_ids: tuple[str, ...],
        digests: tuple[str, ...],
        looked: int,
        lines: tuple[KwicLine, ...],
        limit: int = KWIC_LINES_PER_ENTRY,
    ) -> _LinesRecord:
        """The record of `lines` (at most `limit`), found in the first `looked` of `doc_ids`, which
        had `digests`."""
        full = len(lines) >= limit
        return cls(looked, _documents_digest(doc_ids, digests, looked), full, _lines_digest(lines))

    def holds(self, doc_ids: tuple[str, ...], digests: tuple[str, ...]) -> bool:
        """True when the entry's documents, with these digests, give the lines recorded."""
        if len(doc_ids) < self.looked or (not self.full and len(doc_ids) != self.looked):
            return False
        return _documents_digest(doc_ids, digests, self.looked) == self.documents


def _documents_digest(doc_ids: tuple[str, ...], digests: tuple[str, ...], count: int) -> str:
    """A digest of the first `count` documents' ids and digests."""
    return hashlib.sha256("\0".join([*doc_ids[:count], *digests[:count]]).encode()).hexdigest()


class _LinesOnDemand(Sequence[KwicLine]):
    """An entry's concordance lines, found when first read: a build that keeps the entry's page as it
    is (the page's key holds the lines' digest, `Entry.lines_digest`) never reads them. Compared,
    hashed and pickled as the tuple of its lines."""

    __slots__ = ("_find", "_lines")

    def __init__(self, find: Callable[[], tuple[KwicLine, ...]]) -> None:
        self._find: Callable[[], tuple[KwicLine, ...]] | None = find
        self._lines: tuple[KwicLine, ...] = ()

    def _found(self) -> tuple[KwicLine, ...]:
        if self._find is not None:
            self._lines, self._find = self._find(), None
        return self._lines

    def __len__(self) -> int:
        return len(self._found())

    @overload
    def __getitem__(self, index: int) -> KwicLine: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[KwicLine, ...]: ...

    def __getitem__(self, index: int | slice) -> KwicLine | tuple[KwicLine, ...]:
        return self._found()[index]

    def __iter__(self) -> Iterator[KwicLine]:
        return iter(self._found())

    def __eq__(self, other: object) -> bool:
        return self._found() == (other._found() if isinstance(other, _LinesOnDemand) else other)

    def __hash__(self) -> int:
        return hash(self._found())

    def __reduce__(self) -> tuple[type, tuple[tuple[KwicLine, ...]]]:
        return tuple, (self._found(),)

    def __repr__(self) -> str:
        return repr(self._found())


def _lines_digest(lines: tuple[KwicLine, ...]) -> str:
    """A digest of concordance lines (of what they hold: JSON, unlike a pickle, does not depend on
    which of their strings are the same object)."""
    rows = list(map(_KWIC_FIELDS, lines))
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


_KWIC_FIELDS = operator.attrgetter("document", "paragraph", "left", "keyword", "right")


class _JoinedTexts(dict[str, _JoinedText]):
    """Documents' joined texts by id, each joined when first asked for."""

    def __init__(self, documents: dict[str, Document]) -> None:
        super().__init__()
        self.documents = documents

    def __missing__(self, doc_id: str) -> _JoinedText:
        joined_text = self[doc_id] = _JoinedText.of(self.documents[doc_id])
        return joined_text


class Concordance(NamedTuple):
    """What one entry's documents say of it."""

    documents: tuple[str, ...]
    """The entry's documents."""
    digests: tuple[str, ...]
    """Their digests: what the rest was found in."""
    counts: tuple[int, ...]
    """Occurrences in each document."""
    lines: Sequence[KwicLine]
    digest: str
    """A digest of the lines."""
    by_document: dict[str, tuple[str, tuple[KwicLine, ...]]]
    """Each document's lines (all of them) with its digest, for the documents the lines come from
    (kept only in a memory that keeps them for the next build)."""
    record: _LinesRecord
    """Where the lines were found, for the cache."""

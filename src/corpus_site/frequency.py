"""Frequency lists, n-grams and collocations over the segmented canonical text.

Each document arrives as its sequence of words, with "" wherever punctuation breaks the text, so that
no n-gram or collocation window runs across a sentence break. Function words and stop words are left
out of the lists and may not open or close an n-gram.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from corpus_site.cache import FORGETFUL, Memory
from corpus_site.model import Compact

FUNCTION_WORDS = frozenset(
    "的 地 得 了 着 过 和 与 及 以及 在 是 为 对 把 被 将 从 向 以 等 也 都 就 而 并 又 或 之 其 这 那 有 要 "
    "各 上 中 下 个 让 使 于 由 到 不 没 所 我们 你们 他们 同志们 进行 开展 通过 一个 一些 有关 其中 今年 "
    "工作 方面 问题 情况 要求 表示 指出 强调 认为 同时 还 更 最 很 已 已经 正在 一是 二是 三是 四是".split()
)
_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]*$")
NGRAM_SIZES = (2, 3, 4)
MIN_NGRAM_COUNT = 2
WINDOW = 5
"""Words on each side of a term that count as its context for collocations."""
COLLOCATES = 10


@dataclass(slots=True, frozen=True)
class Frequency(Compact):
    """A word or n-gram with how often it occurs and in how many documents."""

    words: tuple[str, ...]
    """The word, or the words of an n-gram in order."""
    count: int
    """Occurrences in the corpus."""
    documents: int
    """Documents it occurs in."""

    @property
    def text(self) -> str:
        """As it stands in the text (n-gram words joined)."""
        return "".join(self.words)


@dataclass(slots=True, frozen=True)
class Collocate(Compact):
    """A word found near a term more often than chance, by log-likelihood."""

    word: str
    """The collocate."""
    together: int
    """Times it occurs within the window around the term."""
    score: int
    """Log-likelihood ratio G² (above 3.84 is significant at p < 0.05), rounded to a whole number:
    G² moves with the corpus's size, and a sentence added anywhere would move a decimal on many
    term pages (a fifth of them for one decimal), each of which would be written again."""


@functools.lru_cache(maxsize=1 << 16)  # asked of every word of every document, several times
def countable(word: str) -> bool:
    """A word that belongs in a frequency list: not punctuation, a number or a function word."""
    return bool(word) and word not in FUNCTION_WORDS and _WORD.match(word) is not None


def word_counts(sequence: Sequence[str]) -> Counter[str]:
    return Counter(word for word in sequence if countable(word))


NGRAM_JOIN = "\x1f"
"""Joins an n-gram's words into one string key, which pickles and counts faster than a tuple
(`ngram_counts` never counts an n-gram with a word holding it)."""


def joined(words: Sequence[str]) -> str:
    return NGRAM_JOIN.join(words)


def ngram_counts(sequence: Sequence[str]) -> Counter[tuple[str, ...]]:
    """N-grams of NGRAM_SIZES words within a sentence, opening and closing on a countable word."""
    counts: Counter[tuple[str, ...]] = Counter()
    # A stray control character that `joined` uses would make a key ambiguous: it breaks n-grams.
    sequence = ["" if NGRAM_JOIN in word else word for word in sequence]
    ok = [countable(word) for word in sequence]
    for size in NGRAM_SIZES:
        for start in range(len(sequence) - size + 1):
            end = start + size - 1
            if ok[start] and ok[end]:
                gram = tuple(sequence[start : end + 1])
                if "" not in gram:
                    counts[gram] += 1
    return counts


Key = TypeVar("Key", str, tuple[str, ...])


def frequency_rows(
    total: Counter[Key], spread: Counter[Key], minimum: int = 1, memory: Memory = FORGETFUL, kind: str = ""
) -> list[Frequency]:
    """Items by count over the corpus (`total`), then by the number of documents they occur in
    (`spread`), those counted at least `minimum` times; n-grams may be `joined`. With `memory`, the
    list of `kind` is worked out from the last build's: only the items whose counts changed are
    taken out and put in again where they now rank."""
    last: _Rows | None = memory.get("frequency rows", kind)
    if last is None or last.minimum != minimum:
        rows = [_row(item, n, spread[item]) for item, n in total.items() if n >= minimum]
        rows.sort(key=_rank)
    else:
        rows = _rows_again(last, total, spread)
    keep_rows(memory, kind, total, spread, minimum, rows)
    return rows


def keep_rows(
    memory: Memory, kind: str, total: Counter[Key], spread: Counter[Key], minimum: int, rows: list[Frequency]
) -> None:
    """Keep in `memory` the list of `kind` made of these counts (`frequency_rows`), for the next
    build's list to be worked out from."""
    memory.put("frequency rows", kind, _Rows(total, spread, minimum, rows))


class _Rows(NamedTuple):
    """A frequency list, with the counts it was made of."""

    total: Mapping[Any, int]
    spread: Mapping[Any, int]
    minimum: int
    rows: list[Frequency]


def _row(item: Key, count: int, documents: int) -> Frequency:
    return Frequency(item if isinstance(item, tuple) else tuple(item.split(NGRAM_JOIN)), count, documents)


def _rank(row: Frequency) -> tuple[int, int, tuple[str, ...]]:
    return -row.count, -row.documents, row.words


def _rows_again(last: _Rows, total: Counter[Key], spread: Counter[Key]) -> list[Frequency]:
    """The rows of `last` with those of the items whose counts are not the last ones moved."""
    if total is last.total and spread is last.spread:
        return last.rows
    changed = {item for item, n in total.items() if last.total.get(item) != n}
    changed.update(item for item, n in spread.items() if last.spread.get(item) != n)
    changed.update(last.total.keys() - total.keys())
    rows = list(last.rows)
    for item in changed:
        if (before := last.total.get(item, 0)) >= last.minimum:
            position = bisect.bisect_left(rows, _rank(_row(item, before, last.spread[item])), key=_rank)
            assert rows[position].count == before, "the last rows are those of the last counts"
            del rows[position]
        if (now := total.get(item, 0)) >= last.minimum:
            row = _row(item, now, spread[item])
            rows.insert(bisect.bisect_left(rows, _rank(row), key=_rank), row)
    return rows


def _g2(together: int, term_window: int, word_total: int, corpus: int) -> float:
    """Dunning's log-likelihood for a 2×2 table of observed counts."""
    cells = [
        (together, term_window * word_total / corpus),
        (term_window - together, term_window * (corpus - word_total) / corpus),
        (word_total - together, (corpus - term_window) * word_total / corpus),
        (
            corpus - term_window - word_total + together,
            (corpus - term_window) * (corpus - word_total) / corpus,
        ),
    ]
    return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0 and e > 0)


def window_contexts(sequence: Sequence[str], words: Iterable[str]) -> dict[str, Counter[str]]:
    """For each of `words` in the sequence, the countable words within WINDOW words of it in the same
    sentence (one document's share of `near_counts`)."""
    near: dict[str, Counter[str]] = {}
    wanted = set(words)
    counted = [word if countable(word) else None for word in sequence]
    starts, ends = _sentence_bounds(sequence)
    for position, word in enumerate(sequence):
        if word not in wanted:
            continue
        low = max(position - WINDOW, starts[position])
        high = min(position + WINDOW + 1, ends[position])
        context = near.setdefault(word, Counter())
        context.update([other for other in counted[low:high] if other is not None and other != word])
    return near


def _sentence_bounds(sequence: Sequence[str]) -> tuple[list[int], list[int]]:
    """For each position, where its sentence starts (its opening break, "", included) and ends."""
    starts, start = [], 0
    for position, word in enumerate(sequence):
        if word == "":
            start = position
        starts.append(start)
    ends, end = [0] * len(sequence), len(sequence)
    for position in range(len(sequence) - 1, -1, -1):
        ends[position] = end
        if sequence[position] == "":
            end = position
    return starts, ends


def near_counts(
    contexts: Mapping[str, Mapping[str, Mapping[str, int]]], terms: set[str], memory: Memory = FORGETFUL
) -> dict[str, Counter[str]]:
    """For each term, the words near it in all documents (each document's `window_contexts` by id).
    With `memory`, worked out from the last build's: the documents whose contexts are not the very
    objects they were are taken out of their terms' counts and put in again."""
    last: _Near | None = memory.get("near counts", "last")
    if last is None or last.contexts.keys() != contexts.keys():
        near = _all_near(contexts, terms)
    else:
        added = _all_near(contexts, terms - last.terms)
        near = {term: last.near[term] if term in last.terms else added[term] for term in terms}
        copied: set[str] = set()
        for doc_id, now in contexts.items():
            if (before := last.contexts[doc_id]) is now:
                continue
            for term in terms.intersection(before.keys() | now.keys()) & last.terms:
                if before.get(term) is now.get(term):
                    continue
                if term not in copied:
                    near[term] = near[term].copy()
                    copied.add(term)
                near[term].subtract(before.get(term, {}))
                near[term].update(now.get(term, {}))
        for term in copied:
            near[term] = +near[term]  # words no longer near it leave
    memory.put("near counts", "last", _Near(frozenset(terms), dict(contexts), near))
    return near


class _Near(NamedTuple):
    """What `near_counts` found, and from what."""

    terms: frozenset[str]
    contexts: dict[str, Mapping[str, Mapping[str, int]]]
    near: dict[str, Counter[str]]


def _all_near(
    contexts: Mapping[str, Mapping[str, Mapping[str, int]]], terms: set[str]
) -> dict[str, Counter[str]]:
    """The words near each of `terms` in all documents, summed in document order; each document's
    contexts are looked through once (rather than every document once for each term)."""
    near: dict[str, Counter[str]] = {term: Counter() for term in terms}
    for found in contexts.values():
        for term, words in found.items():
            if (summed := near.get(term)) is not None:
                summed.update(words)
    return near


def scored_collocates(
    near: Mapping[str, Counter[str]], totals: Mapping[str, int]
) -> dict[str, list[Collocate]]:
    """For each term, the words within WINDOW words of it (same sentence) more often than chance, by
    log-likelihood, from the words near it (`near_counts`) and every word's count."""
    corpus = sum(totals.values()) or 1
    result: dict[str, list[Collocate]] = {}
    for term, context in near.items():
        window = sum(context.values())
        scored = [
            Collocate(other, n, round(g2))
            for other, n in context.items()
            if n >= 2 and (g2 := _g2(n, window, totals.get(other, n), corpus)) > 3.84
        ]
        scored.sort(key=lambda c: (-c.score, c.word))
        result[term] = scored[:COLLOCATES]
    return result

"""Corpus statistics and a term's distribution, as the data the charts draw."""

from __future__ import annotations

import heapq
import itertools
import operator
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from corpus_site.cache import FORGETFUL, Memory
from corpus_site.convert import SCRIPT_LABELS
from corpus_site.dates import year_of
from corpus_site.export import rule_totals
from corpus_site.model import Corpus, Document, Entry

UNKNOWN = "不详"
TOP = 20
LENGTH_BUCKETS = (500, 1000, 2000, 5000, 10000)


def _year(document: Document) -> str:
    return year_of(document.metadata.date) or UNKNOWN


def _month(document: Document) -> str:
    date = document.metadata.date
    return date[:7] if date and len(date) >= 7 and not date.startswith("--") else UNKNOWN


def _sorted_counts(counter: Mapping[str, int], by_label: bool = False) -> list[tuple[str, float]]:
    if by_label:
        return [(label, float(counter[label])) for label in sorted(counter, key=lambda k: (k == UNKNOWN, k))]
    return [(label, float(n)) for label, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]


def _length_bucket(length: int) -> str:
    low = 0
    for high in LENGTH_BUCKETS:
        if length < high:
            return f"{low}–{high - 1} 字"
        low = high
    return f"{LENGTH_BUCKETS[-1]} 字以上"


Charts = dict[str, list[tuple[str, float]]]
"""Each chart's bars (label and value) by the chart's name."""


def corpus_charts(corpus: Corpus, memory: Memory = FORGETFUL) -> Charts:
    """Documents per source, year and script; lengths; cleaning rules fired."""
    documents = corpus.documents
    buckets = Counter(_length_bucket(d.length) for d in documents)
    order = [_length_bucket(n) for n in (0, *LENGTH_BUCKETS)]
    return {
        "sources": _sorted_counts(Counter(d.metadata.source or UNKNOWN for d in documents)),
        "years": _sorted_counts(Counter(_year(d) for d in documents), by_label=True),
        "scripts": _sorted_counts(Counter(SCRIPT_LABELS[d.script] for d in documents)),
        "lengths": [(label, float(buckets[label])) for label in order if buckets[label]],
        "rules": _sorted_counts(Counter(rule_totals(corpus, memory))),
    }


Facts = tuple[str, int, str]
"""What a term's charts need of a document: its title, length and month."""


def document_facts(documents: Sequence[Document]) -> dict[str, Facts]:
    """Each document's facts by id, worked out once for every entry's charts."""
    return {d.id: (d.metadata.title, d.length, _month(d)) for d in documents}


def entry_charts(entry: Entry, facts: Mapping[str, Facts]) -> Charts:
    """Where a term occurs: its documents with the most uses per 10,000 characters, and uses by month."""
    return drawn(entry, facts).charts


class Drawn(NamedTuple):
    """An entry's charts with what they were drawn from, to draw them again after an edit (`redrawn`)."""

    documents: tuple[str, ...]
    counts: tuple[int, ...]
    facts: Mapping[str, Facts]
    top: list[tuple[float, str]]
    """The densest documents' (-density, title), the smallest first: at most `TOP`."""
    months: dict[str, int]
    """Uses by month."""
    charts: Charts


def drawn(entry: Entry, facts: Mapping[str, Facts]) -> Drawn:
    """The entry's charts (`entry_charts`), from every one of its documents."""
    shown = list(map(facts.__getitem__, entry.documents))
    months: dict[str, int] = {}
    for (_, _, month), count in zip(shown, entry.counts, strict=True):
        months[month] = months.get(month, 0) + count
    return _drawn(entry, facts, _densest(shown, entry.counts), months)


def _densest(shown: list[Facts], counts: Sequence[int]) -> list[tuple[float, str]]:
    """The `TOP` smallest `_ranked` keys (-density rounded, title) of these documents, smallest
    first. Rounding takes most of the time, so only the densities that may be among them are
    rounded: rounding keeps their order (ties aside), so at least `TOP` round to the `TOP`-th
    largest density's rounded value or more, and a density that rounds to it is within half a
    hundredth of it; those further below are left out (the margin is a whole hundredth)."""
    uses = map(operator.mul, itertools.repeat(10000), counts)
    densities = list(map(operator.truediv, uses, map(max, map(_LENGTH, shown), itertools.repeat(1))))
    candidates: Sequence[int] = range(len(densities))
    if len(densities) > TOP:
        cut = round(heapq.nlargest(TOP, densities)[-1], 2) - 0.01
        candidates = [n for n, density in enumerate(densities) if density >= cut]
    return heapq.nsmallest(TOP, [(-round(densities[n], 2), shown[n][0]) for n in candidates])


_LENGTH = operator.itemgetter(1)


FEW_CHANGED = 8
"""Up to this many changed documents, each is looked for in an entry's documents."""


def redrawn(last: Drawn, entry: Entry, facts: Mapping[str, Facts], changed: set[str]) -> Drawn:
    """The entry's charts after an edit, from the last build's: only the documents whose facts
    (`changed`) or counts are not what they were are looked at again, unless the densest documents
    lose one that only a look at every document could replace."""
    documents, counts = entry.documents, entry.counts
    if last.documents != documents:
        return drawn(entry, facts)
    moved = set(itertools.compress(range(len(counts)), map(operator.ne, counts, last.counts)))
    if len(changed) <= FEW_CHANGED:  # a look for each in the documents, rather than one at each
        moved.update(documents.index(doc_id) for doc_id in changed if doc_id in documents)
    else:
        moved.update(n for n, doc_id in enumerate(documents) if doc_id in changed)
    top, months, fresh = list(last.top), dict(last.months), []
    for n in moved:
        before, now = last.facts[documents[n]], facts[documents[n]]
        old_count, new_count = last.counts[n], counts[n]
        if (old := _ranked(old_count, before)) in top:
            top.remove(old)
        fresh.append(_ranked(new_count, now))
        months[before[2]] -= old_count
        months[now[2]] = months.get(now[2], 0) + new_count
    if not all(months.values()):
        return drawn(entry, facts)  # a month of no use shows if one of its documents has the entry
    new_top = sorted(top + fresh)[:TOP]
    if len(documents) > TOP and (len(new_top) < TOP or new_top[-1] > last.top[-1]):
        return drawn(entry, facts)  # documents outside the last top may be denser
    return _drawn(entry, facts, new_top, months)


def _ranked(count: int, fact: Facts) -> tuple[float, str]:
    title, length, _ = fact
    return -round(10000 * count / max(length, 1), 2), title


def _drawn(
    entry: Entry, facts: Mapping[str, Facts], top: list[tuple[float, str]], months: dict[str, int]
) -> Drawn:
    spread = [(title, -negative) for negative, title in top]
    charts = {"spread": spread, "months": _sorted_counts(months, by_label=True)}
    return Drawn(entry.documents, entry.counts, facts, top, months, charts)


def filter_values(documents: Sequence[Document]) -> dict[str, list[str]]:
    """What documents can be filtered by: their sources, years (newest first) and scripts."""
    return {
        "source": sorted({d.metadata.source for d in documents if d.metadata.source}),
        "year": sorted({y for d in documents if (y := year_of(d.metadata.date))}, reverse=True),
        "script": sorted({d.script for d in documents}),
    }


def summary_numbers(corpus: Corpus) -> Sequence[tuple[str, str]]:
    characters = sum(d.length for d in corpus.documents)
    return [
        ("文献", str(len(corpus.documents))),
        ("段落", str(sum(len(d.paragraphs) for d in corpus.documents))),
        ("字数", str(characters)),
        ("未收录的文件", str(len(corpus.skipped))),
    ]

"""Corpus statistics and a term's distribution, as the data the charts draw."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping, Sequence

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


def corpus_charts(corpus: Corpus) -> Charts:
    """Documents per source, year and script; lengths; cleaning rules fired."""
    documents = corpus.documents
    buckets = Counter(_length_bucket(d.length) for d in documents)
    order = [_length_bucket(n) for n in (0, *LENGTH_BUCKETS)]
    return {
        "sources": _sorted_counts(Counter(d.metadata.source or UNKNOWN for d in documents)),
        "years": _sorted_counts(Counter(_year(d) for d in documents), by_label=True),
        "scripts": _sorted_counts(Counter(SCRIPT_LABELS[d.script] for d in documents)),
        "lengths": [(label, float(buckets[label])) for label in order if buckets[label]],
        "rules": _sorted_counts(Counter(rule_totals(corpus))),
    }


Facts = tuple[str, int, str]
"""What a term's charts need of a document: its title, length and month."""


def document_facts(documents: Sequence[Document]) -> dict[str, Facts]:
    """Each document's facts by id, worked out once for every entry's charts."""
    return {d.id: (d.metadata.title, d.length, _month(d)) for d in documents}


def entry_charts(entry: Entry, facts: Mapping[str, Facts]) -> Charts:
    """Where a term occurs: its documents with the most uses per 10,000 characters, and uses by month."""
    ranked: list[tuple[float, str]] = []  # (-density, title): the densest first, then by title
    months: dict[str, int] = {}
    for doc_id, count in zip(entry.documents, entry.counts, strict=True):
        title, length, month = facts[doc_id]
        ranked.append((-round(10000 * count / max(length, 1), 2), title))
        months[month] = months.get(month, 0) + count
    spread = [(title, -negative) for negative, title in heapq.nsmallest(TOP, ranked)]
    return {"spread": spread, "months": _sorted_counts(months, by_label=True)}


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

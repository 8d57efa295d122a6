"""A term's charts: its densest documents (ties by title) and its uses by month."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from corpus_site.model import Entry, EntryKind
from corpus_site.stats import TOP, UNKNOWN, Facts, entry_charts

_TITLES = st.sampled_from(["甲", "乙", "丙", ""])
_FACTS = st.tuples(_TITLES, st.integers(0, 40), st.sampled_from(["2021-01", UNKNOWN]))


def _charts_by_sorting(entry: Entry, facts: dict[str, Facts]) -> dict[str, list[tuple[str, float]]]:
    """The charts as their definition says, every density sorted."""
    spread = []
    months: Counter[str] = Counter()
    for doc_id, count in zip(entry.documents, entry.counts, strict=True):
        title, length, month = facts[doc_id]
        spread.append((title, round(10000 * count / max(length, 1), 2)))
        months[month] += count
    spread.sort(key=lambda item: (-item[1], item[0]))
    labels = sorted(months, key=lambda label: (label == UNKNOWN, label))
    return {"spread": spread[:TOP], "months": [(label, float(months[label])) for label in labels]}


@given(st.lists(st.tuples(_FACTS, st.integers(0, 5)), max_size=3 * TOP))
def test_entry_charts_are_those_of_sorting_every_density(documents: list[tuple[Facts, int]]) -> None:
    facts = {f"d{n}": fact for n, (fact, _) in enumerate(documents)}
    counts = tuple(count for _, count in documents)
    entry = Entry(EntryKind.TERM, "词", tuple(facts), sum(counts), (), counts)
    charts = entry_charts(entry, facts)
    assert charts == _charts_by_sorting(entry, facts)
    assert [repr(value) for _, value in charts["spread"]] == [
        repr(value) for _, value in _charts_by_sorting(entry, facts)["spread"]
    ]  # 0.0, never -0.0

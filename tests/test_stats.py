"""A term's charts: its densest documents (ties by title) and its uses by month."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_site import stats
from corpus_site.model import Entry, EntryKind
from corpus_site.stats import TOP, UNKNOWN, Facts, drawn, entry_charts, redrawn

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


_LONG = st.tuples(_TITLES, st.integers(0, 100_000), st.just("2021-01"))


@given(st.lists(st.tuples(_LONG, st.integers(0, 50)), max_size=4 * TOP))
def test_densities_of_long_documents_rank_as_their_rounded_values_do(
    documents: list[tuple[Facts, int]],
) -> None:
    """Densities with many decimals, which round to the same value or across the last of the top:
    the charts round only those that may be in it, and rank them as rounding every one would."""
    facts = {f"d{n}": fact for n, (fact, _) in enumerate(documents)}
    counts = tuple(count for _, count in documents)
    entry = Entry(EntryKind.TERM, "词", tuple(facts), sum(counts), (), counts)
    assert entry_charts(entry, facts) == _charts_by_sorting(entry, facts)


def test_a_document_a_little_less_dense_but_first_by_title_at_the_same_rounded_density_is_shown() -> None:
    """At the last place of the top, two documents whose densities round alike go by title: the one
    a little less dense (1.001 against 1.0039 uses per 10,000 characters) comes first."""
    facts = {f"d{n}": ("丙", 10, "2021-01") for n in range(TOP - 1)}
    facts["denser"], facts["first by title"] = ("甲", 9961, "2021-01"), ("乙", 9990, "2021-01")
    counts = (10,) * (TOP - 1) + (1, 1)
    entry = Entry(EntryKind.TERM, "词", tuple(facts), sum(counts), (), counts)
    assert entry_charts(entry, facts)["spread"][-1] == ("乙", 1.0)


_EDITS = st.lists(
    st.tuples(st.integers(0, 3 * TOP), st.one_of(_FACTS, st.none()), st.one_of(st.integers(0, 5), st.none())),
    max_size=4,
)


@settings(max_examples=300)
@given(
    st.lists(st.tuples(_FACTS, st.integers(0, 5)), min_size=TOP - 2, max_size=3 * TOP),
    st.lists(_EDITS, max_size=4),
)
def test_charts_redrawn_after_edits_are_those_drawn_anew(
    documents: list[tuple[Facts, int]], builds: list[list[tuple[int, Facts | None, int | None]]]
) -> None:
    facts = {f"d{n:02}": fact for n, (fact, _) in enumerate(documents)}
    counts = [count for _, count in documents]
    last = drawn(_entry(facts, counts), facts)
    for edits in builds:
        facts, counts = dict(facts), list(counts)
        changed = set()
        for number, fact, count in edits:
            if number >= len(counts):
                continue
            if fact is not None and fact != facts[f"d{number:02}"]:
                facts[f"d{number:02}"] = fact
                changed.add(f"d{number:02}")
            if count is not None:
                counts[number] = count
        entry = _entry(facts, counts)
        last = redrawn(last, entry, facts, changed | {"elsewhere"})
        assert last.charts == _charts_by_sorting(entry, facts)


def _entry(facts: dict[str, Facts], counts: list[int]) -> Entry:
    return Entry(EntryKind.TERM, "词", tuple(facts), sum(counts), (), tuple(counts))


def test_a_document_denser_than_the_last_of_the_top_is_put_in_it_without_a_look_at_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    facts = {f"d{n:02}": ("甲", 1000 + n, "2021-01") for n in range(3 * TOP)}
    entry = _entry(facts, [1] * 3 * TOP)
    last = drawn(entry, facts)
    denser = _entry(facts, [1] * (3 * TOP - 1) + [9])
    monkeypatch.setattr(stats, "drawn", None)  # not called
    now = redrawn(last, denser, facts, set())
    assert now.charts["spread"][0] == ("甲", round(10000 * 9 / (1000 + 3 * TOP - 1), 2))
    assert now.charts == _charts_by_sorting(denser, facts)


def test_a_document_of_the_top_made_less_dense_gives_its_place_to_the_next_densest() -> None:
    facts = {f"d{n:02}": ("甲", 1000 + n, "2021-01") for n in range(3 * TOP)}
    entry = _entry(facts, [1] * 3 * TOP)
    last = drawn(entry, facts)
    sparser = _entry(facts, [1] * 3 * TOP)
    facts = {**facts, "d00": ("甲", 5000, "2021-01")}
    now = redrawn(last, sparser, facts, {"d00"})
    assert ("甲", 2.0) not in now.charts["spread"]
    assert now.charts == _charts_by_sorting(sparser, facts)


def test_a_month_whose_only_document_no_longer_uses_the_term_shows_no_use() -> None:
    facts = {"d00": ("甲", 100, "2021-01"), "d01": ("乙", 100, "2021-02")}
    last = drawn(_entry(facts, [1, 2]), facts)
    entry = _entry(facts, [1, 0])
    assert redrawn(last, entry, facts, set()).charts["months"] == [("2021-01", 1.0), ("2021-02", 0.0)]


def test_a_month_left_by_its_only_document_is_no_longer_shown() -> None:
    facts = {"d00": ("甲", 100, "2021-01"), "d01": ("乙", 100, "2021-02")}
    last = drawn(_entry(facts, [1, 2]), facts)
    moved = {**facts, "d01": ("乙", 100, "2021-01")}
    assert redrawn(last, _entry(moved, [1, 2]), moved, {"d01"}).charts["months"] == [("2021-01", 3.0)]

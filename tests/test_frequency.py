"""Frequency lists, n-grams and collocations on word sequences."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_site.cache import FORGETFUL, Memory, holders, summed
from corpus_site.frequency import (
    NGRAM_JOIN,
    WINDOW,
    Collocate,
    Frequency,
    Key,
    countable,
    frequency_rows,
    joined,
    keep_rows,
    near_counts,
    ngram_counts,
    scored_collocates,
    window_contexts,
    word_counts,
)

# "" marks a punctuation break, as the analysis writes sequences.
ONE = ("森林", "防火", "责任", "", "压实", "森林", "防火", "责任", "", "的", "森林", "防火", "")
TWO = ("压实", "防火", "责任", "", "开展", "演练", "")


def frequency_list(per_document: Iterable[Mapping[Key, int]], minimum: int = 1) -> list[Frequency]:
    """The frequency list of documents' counts, summed as `analyze` sums them."""
    parts = {str(n): counts for n, counts in enumerate(per_document)}
    return frequency_rows(summed(FORGETFUL, "t", parts), holders(FORGETFUL, "t", parts), minimum)


def collocations(
    contexts: Iterable[Mapping[str, Mapping[str, int]]], terms: set[str], totals: Mapping[str, int]
) -> dict[str, list[Collocate]]:
    """Each term's collocates from documents' `window_contexts`, as `analyze` finds them."""
    return scored_collocates(near_counts({str(n): found for n, found in enumerate(contexts)}, terms), totals)


def test_function_words_and_breaks_are_not_counted() -> None:
    assert not countable("") and not countable("的") and not countable("2021") and countable("森林")
    assert word_counts(ONE) == Counter({"森林": 3, "防火": 3, "责任": 2, "压实": 1})


def test_ngrams_stay_within_a_sentence_and_do_not_open_with_function_words() -> None:
    grams = ngram_counts(ONE)
    assert grams[("森林", "防火")] == 3
    assert grams[("森林", "防火", "责任")] == 2
    assert ("责任", "压实") not in grams  # across a break
    assert not any(gram[0] == "的" for gram in grams)


def test_frequency_list_counts_documents() -> None:
    rows = frequency_list([word_counts(ONE), word_counts(TWO)])
    by_word = {row.text: (row.count, row.documents) for row in rows}
    assert by_word["防火"] == (4, 2) and by_word["森林"] == (3, 1)
    assert rows[0].text == "防火"
    assert frequency_list([ngram_counts(ONE)], minimum=2)[0].words == ("森林", "防火")


def test_collocations_prefer_words_seen_together() -> None:
    sequences = [ONE * 3, TWO, ("开展", "演练", "", "开展", "培训", "", "组织", "演练", "")] * 2
    totals: Counter[str] = Counter()
    for sequence in sequences:
        totals.update(word_counts(sequence))
    found = collocations((window_contexts(s, {"森林", "演练"}) for s in sequences), {"森林"}, totals)
    words = [c.word for c in found["森林"]]
    assert words[0] == "防火"
    assert "培训" not in words and all(c.score > 3.84 for c in found["森林"])


def test_collocation_scores_are_whole_numbers_so_a_few_more_words_leave_them_alone() -> None:
    """G² moves with the corpus's size: a sentence added anywhere nudges every score in its decimals,
    and every term page showing one would change with it."""
    sequences = [ONE * 3, TWO] * 2
    totals: Counter[str] = Counter({"其他": 100_000})  # the rest of a corpus
    for sequence in sequences:
        totals.update(word_counts(sequence))
    grown = totals + Counter({"其他": 20})
    scores = [
        [
            c.score
            for c in collocations((window_contexts(s, {"森林"}) for s in sequences), {"森林"}, t)["森林"]
        ]
        for t in (totals, grown)
    ]
    assert scores[0] and all(isinstance(score, int) for score in scores[0])
    assert scores[0] == scores[1]
    assert all(
        c.score >= 4 for c in collocations([window_contexts(ONE * 3, {"森林"})], {"森林"}, totals)["森林"]
    )


def test_joined_ngrams_come_back_whole_and_a_stray_separator_breaks_them() -> None:
    words = ("森林", "防火", "\x1f", "压实", "责任", "森林", "防火")
    grams = ngram_counts(words)
    assert not any(NGRAM_JOIN in word for gram in grams for word in gram)
    counts = {joined(gram): n for gram, n in grams.items()}
    assert frequency_list([counts, counts])[0].words == ("森林", "防火")


def _contexts_one_by_one(sequence: list[str], words: set[str]) -> dict[str, Counter[str]]:
    """window_contexts as first written: every neighbour checked on its own."""
    near: dict[str, Counter[str]] = {}
    sentence = list(itertools.accumulate(word == "" for word in sequence))
    for position, word in enumerate(sequence):
        if word not in words:
            continue
        context = near.setdefault(word, Counter())
        for offset in range(max(0, position - WINDOW), min(len(sequence), position + WINDOW + 1)):
            other = sequence[offset]
            if countable(other) and other != word and sentence[offset] == sentence[position]:
                context[other] += 1
    return near


@given(st.lists(st.sampled_from(["森林", "防火", "责任", "的", "", "压实", "1", "队伍"]), max_size=40))
def test_window_contexts_equal_checking_each_neighbour(sequence: list[str]) -> None:
    wanted = {"森林", "防火", "队伍"}
    fast, slow = window_contexts(sequence, wanted), _contexts_one_by_one(sequence, wanted)
    assert fast == slow
    assert {w: list(c) for w, c in fast.items()} == {w: list(c) for w, c in slow.items()}  # same order


_CONTEXT = st.dictionaries(
    st.sampled_from("甲乙丙"), st.dictionaries(st.sampled_from("子丑寅卯"), st.integers(1, 3))
)


@given(st.lists(_CONTEXT, max_size=4), st.frozensets(st.sampled_from("甲乙丙丁")))
def test_near_counts_sum_each_terms_contexts_over_the_documents_in_order(
    contexts: list[dict[str, dict[str, int]]], terms: frozenset[str]
) -> None:
    by_id = {f"d{n}": found for n, found in enumerate(contexts)}
    counted = near_counts(by_id, set(terms))
    assert counted.keys() == terms
    for term in terms:
        expected: Counter[str] = Counter()
        for found in by_id.values():
            expected.update(found.get(term, {}))
        assert list(counted[term].items()) == list(expected.items())


@settings(max_examples=80, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.fixed_dictionaries(
                {d: st.one_of(st.none(), _CONTEXT) for d in ("d1", "d2")}, optional={"d3": _CONTEXT}
            ),
            st.frozensets(st.sampled_from("甲乙丙丁")),
        ),
        max_size=6,
    )
)
def test_near_counts_kept_in_memory_are_those_counted_afresh(
    steps: list[tuple[dict[str, dict[str, dict[str, int]] | None], frozenset[str]]],
) -> None:
    """Each step changes some documents' contexts (None: the very same object) and the terms."""
    memory, contexts = Memory(), dict[str, dict[str, dict[str, int]]]()
    for step, terms in steps:
        contexts = {
            doc_id: contexts[doc_id] if found is None and doc_id in contexts else found or {}
            for doc_id, found in step.items()
        }
        counted = near_counts(contexts, set(terms), memory)
        assert counted == near_counts(contexts, set(terms))
        assert all(min(counts.values(), default=1) > 0 for counts in counted.values())
        memory.forget_unused()


_COUNTS = st.dictionaries(
    st.sampled_from(["森林", "防火", "责任", "压实", "队伍", "演练"]), st.integers(1, 4)
)


@settings(max_examples=80, deadline=None)
@given(
    builds=st.lists(
        st.tuples(
            st.fixed_dictionaries({d: _COUNTS for d in ("d1", "d2")}, optional={"d3": _COUNTS}), st.booleans()
        ),
        min_size=1,
        max_size=6,
    ),
    minimum=st.integers(1, 3),
)
def test_frequency_rows_kept_in_memory_are_those_listed_afresh(
    builds: list[tuple[dict[str, dict[str, int]], bool]], minimum: int
) -> None:
    """Each build counts its documents; some take their list from elsewhere (the cache) and only
    keep it, as `analyze` does."""
    memory = Memory()
    for parts, listed in builds:
        total, spread = summed(memory, "t", parts), holders(memory, "t", parts)
        afresh = frequency_rows(total, spread, minimum)
        if listed:
            assert frequency_rows(total, spread, minimum, memory, "t") == afresh
        else:
            keep_rows(memory, "t", total, spread, minimum, afresh)
        memory.forget_unused()

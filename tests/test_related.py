"""Related documents: scoring again from the last build's state gives a full scoring's result."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_site import related
from corpus_site.related import related_documents

_TERMS = st.sampled_from("甲乙丙丁戊己庚辛壬癸")
_PROFILE = st.dictionaries(_TERMS, st.floats(0.01, 1.0), min_size=1, max_size=5)
_PROFILES = st.dictionaries(st.sampled_from([f"d{n:02d}" for n in range(40)]), _PROFILE, min_size=2)
_LIMITS = st.sampled_from([(related.POSTINGS_PER_TERM, related.CANDIDATES_PER_DOCUMENT), (4, 3), (2, 1)])
"""Lists per term and candidates per document: the small ones leave documents out of both."""


@given(_PROFILES, _PROFILES, _LIMITS)
def test_related_documents_scored_again_only_where_needed_are_the_same(
    before: dict[str, dict[str, float]], edits: dict[str, dict[str, float]], limits: tuple[int, int]
) -> None:
    """An edit may change, add or remove documents' profiles: the documents scored again, and those
    taken from the previous state, make exactly the related documents of a full scoring."""
    per_term, candidates = limits
    after = {**before, **edits}
    for removed in list(after)[: len(edits) // 3]:
        del after[removed]
    previous = related_documents(before, per_term=per_term, candidates=candidates)
    incremental = related_documents(after, previous, per_term=per_term, candidates=candidates)
    assert incremental == related_documents(after, per_term=per_term, candidates=candidates)
    # as a process that builds again calls it: an unchanged profile's unit vector is the last one
    units = {d: previous.unit[d] if before.get(d) is p else related.normalized(p) for d, p in after.items()}
    kept = related_documents(after, previous, per_term=per_term, candidates=candidates, unit=units)
    assert kept == incremental


@given(_PROFILES, st.data(), _LIMITS)
def test_one_changed_profile_gives_a_full_scorings_result(
    before: dict[str, dict[str, float]], data: st.DataObject, limits: tuple[int, int]
) -> None:
    """The usual edit: one document's profile changes, so it moves in its terms' lists."""
    per_term, candidates = limits
    edited = data.draw(st.sampled_from(sorted(before)))
    after = {**before, edited: data.draw(_PROFILE)}
    previous = related_documents(before, per_term=per_term, candidates=candidates)
    incremental = related_documents(after, previous, per_term=per_term, candidates=candidates)
    assert incremental == related_documents(after, per_term=per_term, candidates=candidates)


def test_related_documents_of_an_unchanged_corpus_are_all_taken_from_the_previous_state() -> None:
    profiles = {f"d{n}": {"甲": 1.0, "乙": n / 10 + 0.1} for n in range(10)}
    previous = related_documents(profiles)
    again = related_documents(profiles, previous)
    assert all(again.related[d] is previous.related[d] for d in profiles)


def test_a_candidate_whose_profile_changed_is_scored_again() -> None:
    """`c` is one of `x`'s candidates through 甲, whose list does not change (the norm of `c` stays
    9/8); `c` comes to share 丁 with `x`, and its weight in 乙 changes, but `c` is not among the
    documents that weigh 乙 or 丁 most. Only knowing `x`'s candidates tells that `x` must be scored
    again."""
    fillers = {f"f{n:02d}": {"乙": 1.0, "戊": 3.0} for n in range(70)}
    fillers |= {f"g{n:02d}": {"丁": 1.0} for n in range(70)}
    before = {"x": {"甲": 1.0, "乙": 1.0, "丁": 0.01}, "c": {"甲": 1.0, "乙": 0.125, "丙": 0.5}, **fillers}
    after = {**before, "c": {"甲": 1.0, "乙": 0.25, "丙": 0.375, "丁": 0.25}}
    incremental = related_documents(after, related_documents(before))
    assert incremental == related_documents(after)
    assert incremental.related["x"] != related_documents(before).related["x"]


def test_an_edit_sums_in_full_only_the_edited_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents whose terms' lists the edited one moved in sum again only its score: 60 documents
    share 甲 with it, and none of them is summed in full."""
    before = {f"d{n:02d}": {"甲": 1.0 + n / 100, "乙": 1.0, f"丙{n}": 2.0} for n in range(60)}
    after = {**before, "d07": {"甲": 3.0, "乙": 1.0, "丁": 2.0}}
    previous = related_documents(before)
    summed: list[str] = []
    function = related._candidates

    def recorded(doc_id: str, *args: object, **kwargs: object) -> related.Candidates:
        summed.append(doc_id)
        return function(doc_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(related, "_candidates", recorded)
    incremental = related_documents(after, previous)
    assert summed == ["d07"]
    assert incremental.related["d08"] != previous.related["d08"]  # d07 now weighs 甲 most
    monkeypatch.undo()
    assert incremental == related_documents(after)


def test_an_edit_lists_again_only_the_terms_of_the_edited_document() -> None:
    before = {f"d{n:02d}": {"甲": 1.0 + n / 10, f"丙{n}": 1.0} for n in range(10)}
    after = {**before, "d03": {"乙": 1.0, "丙3": 2.0}}
    previous = related_documents(before)
    again = related_documents(after, previous)
    assert again == related_documents(after)
    assert again.lists["丙5"] is previous.lists["丙5"]
    assert [doc_id for _, doc_id in again.lists["甲"]] == [f"d{n:02d}" for n in (9, 8, 7, 6, 5, 4, 2, 1, 0)]

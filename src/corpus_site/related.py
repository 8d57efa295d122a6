"""Related documents: each document's most similar ones, by the cosine of their TF-IDF profiles.

Scores are summed through an inverted index whose lists keep only the documents that weigh each term
most (`POSTINGS_PER_TERM`), so a term shared by the whole corpus costs no more than a rare one and no
step compares every pair of documents. The documents of largest summed score (the candidates) are
then scored exactly.

A build that has the last build's `RelatedState` scores again only what an edit can change: a
document whose profile changed is scored in full; another one sums again only the scores of the
documents that moved in its terms' lists, and keeps its candidates when none of those can change
which documents have the largest sums.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from typing import NamedTuple

from corpus_site.model import Related

RELATED_PER_DOCUMENT = 5
POSTINGS_PER_TERM = 64
"""Documents kept per term when looking for related documents: those that weigh the term most."""
CANDIDATES_PER_DOCUMENT = RELATED_PER_DOCUMENT * 4
"""Documents of largest summed score that are scored exactly."""
MIN_SIMILARITY = 0.05
SHARED_TERMS = 6
"""Shared terms kept for each related document."""

Profile = dict[str, float]
Postings = dict[str, list[tuple[float, str]]]
Candidates = list[tuple[float, str]]
"""(summed score, document) pairs, largest first: the order of `heapq.nlargest` on such pairs."""


class RelatedState(NamedTuple):
    """Related documents with what found them, so that the next build scores again only the
    documents whose result may have changed (`related_documents`)."""

    unit: dict[str, Profile]
    """Each document's TF-IDF profile, normalized."""
    lists: Postings
    """For each term, every document that has it, with its weight, the largest first (the first
    `per_term` of them are the term's postings)."""
    candidates: dict[str, Candidates]
    """For each document, the documents whose exact score was worked out, with their summed scores."""
    related: dict[str, list[Related]]
    """For each document, its most similar documents."""


def normalized(profile: Profile) -> Profile:
    norm = math.sqrt(sum(w * w for w in profile.values())) or 1.0
    return {term: weight / norm for term, weight in profile.items()}


def related_documents(
    profiles: dict[str, Profile],
    previous: RelatedState | None = None,
    *,
    per_term: int = POSTINGS_PER_TERM,
    candidates: int = CANDIDATES_PER_DOCUMENT,
    unit: dict[str, Profile] | None = None,
) -> RelatedState:
    """Each document's most similar documents; those of `previous` where nothing they depend on
    changed. The result is the same with or without `previous`. `unit` holds the profiles
    `normalized`, if they are already."""
    if unit is None:
        unit = {doc_id: normalized(profile) for doc_id, profile in profiles.items()}
    if previous is None:
        lists = _lists(unit)
        postings = {term: entries[:per_term] for term, entries in lists.items()}
        state = RelatedState(unit, lists, {}, {})
        for doc_id, vector in unit.items():
            state.candidates[doc_id] = _candidates(doc_id, vector, postings, candidates)
            state.related[doc_id] = _scored(vector, state.candidates[doc_id], unit)
        return state
    # the very same profile (a process that builds again) is not compared term by term
    changed = {
        d for d, vector in unit.items() if (was := previous.unit.get(d)) is not vector and was != vector
    }
    changed |= previous.unit.keys() - unit.keys()
    lists, moved = _lists_again(unit, previous, changed, per_term)
    postings = {term: entries[:per_term] for term, entries in lists.items()}
    state = RelatedState(unit, lists, {}, {})
    weights = _Weights(postings)
    for doc_id, vector in unit.items():
        before = previous.candidates.get(doc_id)
        found: Candidates | None = None
        if doc_id not in changed and before is not None:
            touched = set().union(*(moved[t] for t in vector if t in moved))
            if not touched:
                found = before
            elif len(touched) * len(vector) < sum(len(postings[t]) for t in vector):  # cheaper than in full
                found = _summed_again(doc_id, vector, before, touched, weights, candidates)
        if found is None:
            found = _candidates(doc_id, vector, postings, candidates)
        state.candidates[doc_id] = found
        same = (
            before is not None and doc_id not in changed and (found is before or _ids(found) == _ids(before))
        )
        if same and changed.isdisjoint(_ids(found)):
            state.related[doc_id] = previous.related[doc_id]
        else:
            state.related[doc_id] = _scored(vector, found, unit)
    return state


def _lists(unit: dict[str, Profile]) -> Postings:
    """Each term's documents with their weights, the largest first (then by id)."""
    lists: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for doc_id, vector in unit.items():
        for term, weight in vector.items():
            lists[term].append((-weight, doc_id))
    for entries in lists.values():
        entries.sort()  # of (-weight, id) pairs, in C: no key function to call
        entries[:] = [(-negative, doc_id) for negative, doc_id in entries]
    return dict(lists)


def _lists_again(
    unit: dict[str, Profile], previous: RelatedState, changed: set[str], per_term: int
) -> tuple[Postings, dict[str, set[str]]]:
    """The lists of `unit`, from the last build's: only the terms of the `changed` documents (as they
    were and as they are) are listed again; and for each term whose postings (the first `per_term`
    of its list) changed, the documents that entered them, left them or weigh the term otherwise."""
    terms: set[str] = set()
    for doc_id in changed:
        terms.update(previous.unit.get(doc_id, ()), unit.get(doc_id, ()))
    lists = dict(previous.lists)
    moved = {}
    for term in terms:
        kept = [(-weight, d) for weight, d in previous.lists.get(term, ()) if d not in changed]
        kept += [(-vector[term], d) for d in changed if term in (vector := unit.get(d, {}))]
        kept.sort()
        if entries := [(-negative, doc_id) for negative, doc_id in kept]:
            lists[term] = entries
        else:
            del lists[term]
        now, then = entries[:per_term], previous.lists.get(term, [])[:per_term]
        if now != then:
            moved[term] = {doc_id for _, doc_id in set(now).symmetric_difference(then)}
    return lists, moved


class _Weights:
    """Each term's list as a mapping from document to weight, made when first asked for."""

    def __init__(self, postings: Postings) -> None:
        self._postings = postings
        self._made: dict[str, dict[str, float]] = {}

    def of(self, term: str) -> dict[str, float]:
        made = self._made.get(term)
        if made is None:
            made = self._made[term] = {doc_id: weight for weight, doc_id in self._postings[term]}
        return made


def _candidates(doc_id: str, vector: Profile, postings: Postings, count: int) -> Candidates:
    """The `count` documents of largest summed score through `vector`'s terms' lists."""
    partial: dict[str, float] = defaultdict(float)
    for term, weight in vector.items():
        for other_weight, other in postings[term]:
            partial[other] += weight * other_weight
    partial.pop(doc_id, None)
    # (score, id) pairs compare in C, largest score first and the larger id among equals.
    return heapq.nlargest(count, zip(partial.values(), partial.keys(), strict=True))


def _summed_again(
    doc_id: str, vector: Profile, before: Candidates, touched: set[str], weights: _Weights, count: int
) -> Candidates | None:
    """The candidates `_candidates` would find, from the last ones and the documents `touched` (whose
    entries changed in one of `vector`'s lists); None when a document outside both may now be one.

    The sums of untouched documents are as they were, and those that were not candidates summed less
    than the last candidate. The touched ones are summed again in the same order, to the same float.
    """
    pool = {other: score for score, other in before if other not in touched}
    for other in touched - {doc_id}:
        score, listed = 0.0, False
        for term, weight in vector.items():
            other_weight = weights.of(term).get(other)
            if other_weight is not None:
                score += weight * other_weight
                listed = True
        if listed:
            pool[other] = score
    found = heapq.nlargest(count, zip(pool.values(), pool.keys(), strict=True))
    if len(before) == count and (len(found) < count or found[-1] < before[-1]):
        return None  # the last build left documents out that may now rank among the first
    return found


def _ids(candidates: Candidates) -> set[str]:
    return {doc_id for _, doc_id in candidates}


def _scored(vector: Profile, candidates: Candidates, unit: dict[str, Profile]) -> list[Related]:
    """The candidates of exact cosine at least `MIN_SIMILARITY`, most similar first."""
    scored: list[tuple[float, str, Related]] = []
    for _, other in candidates:
        other_vector = unit[other]
        shared = [t for t in vector if t in other_vector]
        score = round(sum(vector[t] * other_vector[t] for t in shared), 4)
        if score >= MIN_SIMILARITY:
            shared.sort(key=lambda t: (-vector[t] * other_vector[t], t))
            scored.append((-score, other, Related(other, tuple(shared[:SHARED_TERMS]))))
    scored.sort(key=lambda s: s[:2])
    return [r for *_, r in scored[:RELATED_PER_DOCUMENT]]

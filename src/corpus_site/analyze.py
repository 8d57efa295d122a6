"""Analysis over the canonical text: each document's words (`words`), key terms by TF-IDF, related
documents, near-duplicates, the index entries with their concordance lines (`concordance`) and
collocates, the frequency lists and the search index.

Nothing here compares every pair of documents: related documents are scored only against documents
that share one of their key terms, found through an inverted index.
"""

from __future__ import annotations

import itertools
import json
import math
import pickle
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any, NamedTuple

from corpus_site.cache import Cache, Memory, holders, key_of, summed, union_of
from corpus_site.concordance import Concordance, entry_concordances
from corpus_site.duplicates import near_duplicates
from corpus_site.frequency import (
    MIN_NGRAM_COUNT,
    Collocate,
    frequency_rows,
    keep_rows,
    near_counts,
    scored_collocates,
)
from corpus_site.model import Analysis, Corpus, DocumentAnalysis, Entry, EntryKind, Related, SearchIndex
from corpus_site.pagekeys import digest_of
from corpus_site.related import normalized, related_documents
from corpus_site.search import IndexState, Runs, search_index, warm_runs
from corpus_site.words import DocumentWords, Words
from corpus_site.workers import run_concurrently

KEYWORDS_PER_DOCUMENT = 10
PROFILE_TERMS = 30
"""Terms of a document's TF-IDF profile used to find and score related documents."""
assert KEYWORDS_PER_DOCUMENT <= PROFILE_TERMS, "keywords are the first terms of the profile"
IDF_STEP = 0.125
"""IDFs are rounded to multiples of this. When one more document uses a term that n documents use,
the term's IDF moves by about 1/n and crosses a step with odds of about 8/n: about 8 documents are
profiled again, whatever n is."""
FEW_CHANGES = 100
"""A process that builds again runs the corpus-wide steps itself, rather than in workers, when at
most one document in this many changed."""


def _inverse_document_frequency(document_frequency: Counter[str], documents: int) -> dict[str, float]:
    """Each term's IDF, in steps of `IDF_STEP`: a term that one more document uses keeps its IDF
    unless that moves it past a step, so an edit leaves the profiles of most documents alone."""
    return {
        term: round(math.log((documents + 1) / (df + 1)) / IDF_STEP) * IDF_STEP + 1
        for term, df in document_frequency.items()
    }


def _tf_idf(terms: Mapping[str, int], idf: Mapping[str, float]) -> dict[str, float]:
    total = sum(terms.values()) or 1
    return {term: (count / total) * idf[term] for term, count in terms.items()}


def _top(weights: dict[str, float], count: int) -> list[str]:
    """The `count` terms of largest weight, the first in term order among equal weights."""
    ranked = sorted(weights.items())
    ranked.sort(key=itemgetter(1), reverse=True)  # a stable sort: equal weights stay in term order
    return [term for term, _ in ranked[:count]]


class _Profiles(NamedTuple):
    """The TF-IDF profiles of a build, with what they were worked out from."""

    idf: dict[str, float]
    """Each term's IDF."""
    by_document: dict[str, tuple[Words, dict[str, float]]]
    """Each document's words and profile."""


def _profiles(words: dict[str, Words], documents: int, memory: Memory) -> dict[str, dict[str, float]]:
    """Each document's TF-IDF profile: its `PROFILE_TERMS` terms of largest weight with their
    weights, largest first (its key terms are the first few). A document whose words are those the
    last build in this process had, and whose terms' IDFs are as they were, keeps the profile it had
    (`memory`)."""
    frequency = holders(memory, "terms", {doc_id: each.terms for doc_id, each in words.items()})
    idf = _inverse_document_frequency(frequency, documents)
    last: _Profiles | None = memory.get("profiles", "last")
    reusable: dict[str, tuple[Words, dict[str, float]]] = {}
    changed: set[str] = set()  # terms whose IDF is not the last build's
    if last is not None:
        reusable = last.by_document
        changed = {t for t in idf.keys() | last.idf.keys() if idf.get(t) != last.idf.get(t)}
    profiles: dict[str, dict[str, float]] = {}
    by_document: dict[str, tuple[Words, dict[str, float]]] = {}
    for doc_id, each in words.items():
        earlier = reusable.get(doc_id)
        if earlier is not None and earlier[0] is each and changed.isdisjoint(each.terms):
            profile = earlier[1]
        else:
            weights = _tf_idf(each.terms, idf)
            profile = {term: weights[term] for term in _top(weights, PROFILE_TERMS)}
        profiles[doc_id] = profile
        by_document[doc_id] = (each, profile)
    memory.put("profiles", "last", _Profiles(idf, by_document))
    return profiles


def _run_with_cache(
    first: Callable[[], Any],
    steps: list[tuple[str, str, Callable[[], Any]]],
    jobs: int,
    cache: Cache,
    in_process: bool = False,
) -> list[Any]:
    """`first()` and each step's result: a (kind, key, task) step is taken from the cache when its
    key is there (its inputs are as they were: a punctuation or title edit leaves the search
    postings and the near-duplicate sketches alone), else run beside `first` and stored; or, when
    `in_process`, run here after it (steps that only update the last build's state take less time
    than forking workers and pickling their results back)."""
    found = [cache.get(kind, key) for kind, key, _ in steps]
    missing = [n for n, result in enumerate(found) if result is None]
    if in_process:
        first_result = first()
        for n in missing:
            kind, key, task = steps[n]
            found[n] = task()
            cache.put(kind, key, found[n])
        return [first_result, *found]
    # Pickled where they are computed, as they must be to come back from a worker: stored as they are.
    tasks = [partial(_pickled, steps[n][2]) for n in missing]
    first_result, *computed = run_concurrently([first, *tasks], jobs)
    for n, data in zip(missing, computed, strict=True):
        kind, key, _ = steps[n]
        found[n] = cache.add_pickled(kind, key, data)
    for kind, _, _ in steps:
        cache.write(kind)
    return [first_result, *found]


def _from_last(kind: str, key: str, cache: Cache, task: Callable[[Any], Any]) -> Callable[[], Any]:
    """A step that works out its result under `key` from the state the last build stored (`task`'s
    argument: None when there is none, or when it was stored under `key`). This build's becomes the
    last one."""
    latest: str | None = cache.get(f"{kind}-latest", "key")
    cache.put(f"{kind}-latest", "key", key)
    return lambda: task(cache.get(kind, latest) if latest and latest != key else None)


def _pickled(task: Callable[[], Any]) -> bytes:
    return pickle.dumps(task(), protocol=pickle.HIGHEST_PROTOCOL)


def analyze(corpus: Corpus, jobs: int = 1, cache: Cache | None = None) -> Analysis:
    """Key terms, entities, related documents, the index entries and the search index of the whole
    corpus. Once each document's words are known, the corpus-wide steps that need only them run side
    by side over `jobs` processes (here, in a rebuild whose steps only update the last build's
    state); each works from the last build's state when the cache holds it."""
    cache = cache or Cache(None)
    memory = cache.memory
    found = DocumentWords(corpus.documents, jobs, cache)
    words = found.words
    profiles = _profiles(words, len(corpus.documents), memory)
    keywords = {doc_id: tuple(itertools.islice(p, KEYWORDS_PER_DOCUMENT)) for doc_id, p in profiles.items()}

    @lru_cache(maxsize=1)
    def counted() -> tuple[Counter[str], Counter[str]]:
        counts = {doc_id: w.counts for doc_id, w in words.items()}
        return summed(memory, "words", counts), holders(memory, "words", counts)

    named = _entry_documents(keywords, words, memory)
    chosen_names = sorted({name for _, name in named})

    @lru_cache(maxsize=1)
    def ngrams_counted() -> tuple[Counter[str], Counter[str]]:
        ngrams = {d.id: n for d, n in zip(corpus.documents, found.ngrams(), strict=True)}
        return summed(memory, "ngrams", ngrams), holders(memory, "ngrams", ngrams)

    @lru_cache(maxsize=1)
    def near() -> dict[str, Counter[str]]:
        contexts = {d.id: c for d, c in zip(corpus.documents, found.contexts(), strict=True)}
        return near_counts(contexts, set(chosen_names), memory)

    keys = {
        "search-index": key_of("search-index", *found.digests("tables")),
        "collocations": key_of(
            "collocations", json.dumps(chosen_names), *found.digests("tables"), *found.digests("counts")
        ),
        "ngram-list": key_of("ngram-list", *found.digests("tables")),
    }
    word_list_key = key_of("word-list", *found.digests("counts"))
    # A build that is the last of its process leaves an index the cache holds where it is, unless a
    # page needs its shards (`_stored_index_count`).
    index_count = None if memory.keeping else _stored_index_count(cache, keys["search-index"])
    if memory.keeping:
        # A process that builds again keeps its sums up to date here, where memory keeps them, even
        # when the steps come from the cache: an edit with new words then only updates them.
        counted(), ngrams_counted(), near()
    else:
        stepped = {kind: key for kind, key in keys.items() if kind != "search-index" or index_count is None}
        if not all(cache.has(kind, key) for kind, key in stepped.items()):
            found.tables()  # read here, once, before the workers fork: each loads the table it needs
        if not (cache.has("word-list", word_list_key) and cache.has("collocations", keys["collocations"])):
            counted()  # counted here, once, before the workers fork

    runs = _kept_runs(memory)  # kept while the index comes from the cache too
    if runs is not None:  # for `warm`
        memory.put("index inputs", "", (found.postings(), found.digests("tables")))
    related_key = _key_of_each("related", profiles, memory)
    units = _unit_profiles(profiles, memory)
    sketches = {doc_id: w.sketch for doc_id, w in words.items()}
    duplicates_key = _key_of_each("near-duplicates", sketches, memory)
    steps = [
        (
            "related",
            related_key,
            _from_last("related", related_key, cache, partial(related_documents, profiles, unit=units)),
        ),
        (
            "search-index",
            keys["search-index"],
            _from_last(
                "search-index",
                keys["search-index"],
                cache,
                lambda previous: search_index(found.postings(), found.digests("tables"), previous, runs=runs),
            ),
        ),
        (
            "near-duplicates",
            duplicates_key,
            _from_last("near-duplicates", duplicates_key, cache, partial(near_duplicates, sketches)),
        ),
        ("collocations", keys["collocations"], lambda: scored_collocates(near(), counted()[0])),
        (
            "ngram-list",
            keys["ngram-list"],
            lambda: frequency_rows(*ngrams_counted(), MIN_NGRAM_COUNT, memory, "ngrams"),
        ),
        ("word-list", word_list_key, lambda: frequency_rows(*counted(), 1, memory, "words")),
    ]
    if index_count is not None:
        steps = [step for step in steps if step[0] != "search-index"]
    concordances, *results = _run_with_cache(
        # here: the lines are large to send between processes, and `memory` is here
        partial(entry_concordances, corpus, named, words, cache),
        steps,
        jobs,
        cache,
        # A process that builds again, after an edit of a few documents: every step only updates the
        # last build's state.
        in_process=cache.saves_later and found.changed * FEW_CHANGES <= len(corpus.documents),
    )
    made = {kind: result for (kind, _, _), result in zip(steps, results, strict=True)}
    related_state, duplicates_state = made["related"], made["near-duplicates"]
    collocates, ngram_list, word_list = made["collocations"], made["ngram-list"], made["word-list"]
    index = _search_index(made.get("search-index"), keys["search-index"], index_count, cache, found)
    if memory.keeping:  # the next build's lists are worked out from these, made or from the cache
        keep_rows(memory, "words", *counted(), 1, word_list)
        keep_rows(memory, "ngrams", *ngrams_counted(), MIN_NGRAM_COUNT, ngram_list)
    entries = _entries(named, concordances, collocates, memory)
    found.keep_tables()
    related, duplicates = related_state.related, duplicates_state.found
    per_document = {
        doc_id: _document_analysis(
            doc_id,
            words[doc_id],
            keywords[doc_id],
            tuple(r for r in related[doc_id] if r.id not in duplicates[doc_id]),
            duplicates[doc_id],
            memory,
        )
        for doc_id in words
    }
    vocabulary = union_of(memory, "vocabulary", {doc_id: w.vocabulary for doc_id, w in words.items()})
    characters = union_of(memory, "characters", {doc_id: w.characters for doc_id, w in words.items()})
    return Analysis(per_document, entries, vocabulary, word_list, ngram_list, index, characters)


def _stored_index_count(cache: Cache, key: str) -> int | None:
    """The number of shards of the search index the cache holds under `key`, when it is the one the
    last build stored (`_from_last`): its pack then holds it and is not read to find out, for an index
    of 2,000 documents weighs 36 MB. None otherwise."""
    if cache.get("search-index-latest", "key") != key:
        return None
    count = cache.get("search-count", key)
    return count if isinstance(count, int) else None


def _search_index(
    state: IndexState | None, key: str, count: int | None, cache: Cache, found: DocumentWords
) -> SearchIndex:
    """The index the site shows: of the state made or loaded in this build, else (with the number of
    its shards known) of the one the cache holds, its shards loaded only if a page needs them."""
    if state is None:
        assert count is not None, "the index is made, or taken as the cache holds it"
        return SearchIndex(_ShardsOnDemand(partial(_stored_shards, cache, key, found)), count, key)
    cache.put("search-count", key, state.sharded.count)
    return SearchIndex(state.sharded.shards, state.sharded.count, key)


def _stored_shards(cache: Cache, key: str, found: DocumentWords) -> dict[int, str]:
    """The shards of the index the cache holds under `key`, made again if the cache lost it."""
    state = cache.get("search-index", key)
    if not isinstance(state, IndexState):
        state = search_index(found.postings(), found.digests("tables"))
        cache.put("search-index", key, state)
    return dict(state.sharded.shards)


class _ShardsOnDemand(Mapping[int, str]):
    """The search index's shard files, loaded when first read: a build that keeps them as they are
    in the output (`search.search_files`) never loads them. Pickled as a dict."""

    __slots__ = ("_load", "_shards")

    def __init__(self, load: Callable[[], dict[int, str]]) -> None:
        self._load: Callable[[], dict[int, str]] | None = load
        self._shards: dict[int, str] = {}

    def _loaded(self) -> dict[int, str]:
        if self._load is not None:
            self._shards, self._load = self._load(), None
        return self._shards

    def __getitem__(self, number: int) -> str:
        return self._loaded()[number]

    def __iter__(self) -> Iterator[int]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __reduce__(self) -> tuple[type, tuple[dict[int, str]]]:
        return dict, (self._loaded(),)


def _unit_profiles(
    profiles: dict[str, dict[str, float]], memory: Memory
) -> dict[str, dict[str, float]] | None:
    """The profiles `normalized`, each once while it is the very same object, in a process that
    builds again (asked for in every build, so kept through builds that take related documents from
    the cache); None in one that does not."""
    if not memory.keeping:
        return None
    return {doc_id: memory.derived("unit profile", p, normalized) for doc_id, p in profiles.items()}


def warm(memory: Memory, seconds: float) -> bool:
    """Work that a next build in this process may need, done for about `seconds` while a server has
    nothing else to do: the search index's runs (`search.warm_runs`). True when none is left."""
    runs: Runs | None = memory.get("index runs", "")
    inputs: tuple[list[str], list[str]] | None = memory.get("index inputs", "")
    return runs is None or inputs is None or warm_runs(*inputs, runs, seconds)


def _kept_runs(memory: Memory) -> Runs | None:
    """The search index's merged runs of documents, which a process that builds again keeps."""
    if not memory.keeping:
        return None
    runs: Runs = memory.get("index runs", "") or {}
    memory.put("index runs", "", runs)
    return runs


def _key_of_each(kind: str, values: dict[str, Any], memory: Memory) -> str:
    """A key of values by document id, from a digest of each value kept in `memory` with the value
    (a value that is the very object it was has the digest it had)."""
    digests = (memory.derived(f"{kind} digest", value, digest_of) for value in values.values())
    return key_of(kind, *(f"{doc_id}:{digest}" for doc_id, digest in zip(values, digests, strict=True)))


def _document_analysis(
    doc_id: str,
    found: Words,
    keywords: tuple[str, ...],
    related: tuple[Related, ...],
    duplicates: tuple[str, ...],
    memory: Memory,
) -> DocumentAnalysis:
    """One document's analysis: the very object the last build in this process made when it is made
    of the same parts (a page made of the same objects keeps its key without working it out)."""
    last: tuple[Words, DocumentAnalysis] | None = memory.get("document analysis", doc_id)
    if (
        last is not None
        and last[0] is found
        and last[1].keywords == keywords
        and last[1].related == related
        and last[1].near_duplicates == duplicates
    ):
        analysis = last[1]
    else:
        analysis = DocumentAnalysis(
            keywords=keywords,
            entities={
                kind: tuple(sorted(names, key=lambda w: (-names[w], w)))
                for kind, names in found.entities.items()
            },
            related=related,
            near_duplicates=duplicates,
            frequent=found.frequent,
        )
    memory.put("document analysis", doc_id, (found, analysis))
    return analysis


def _entry_documents(
    keywords: dict[str, tuple[str, ...]], words: dict[str, Words], memory: Memory
) -> dict[tuple[EntryKind, str], tuple[str, ...]]:
    """The index's entries, each with the documents it is found in (sorted ids): every key term of
    some document, with every document that uses the word, and every entity with the documents that
    name it. With the documents of the last build in this process, its entries are updated: the
    terms that are no longer key terms are taken out and those that became key terms put in, then
    the documents whose words are not the very objects they were are moved (`memory`)."""
    chosen = frozenset(k for each in keywords.values() for k in each)
    last: _Named | None = memory.get("entry documents", "last")
    if last is None or last.words.keys() != words.keys():
        named: dict[tuple[EntryKind, str], list[str]] = defaultdict(list)
        for doc_id, each in words.items():
            for entry in _entries_of(each, chosen):
                named[entry].append(doc_id)
        found = {entry: tuple(sorted(doc_ids)) for entry, doc_ids in named.items()}
    else:
        found = dict(last.found)
        for term in last.chosen - chosen:
            found.pop((EntryKind.TERM, term), None)
        for term in chosen - last.chosen:  # with the last build's words, moved below like the rest
            if holding := tuple(sorted(d for d, each in last.words.items() if term in each.terms)):
                found[EntryKind.TERM, term] = holding
        for doc_id, each in words.items():
            if (before := last.words[doc_id]) is not each:
                _move(found, doc_id, _entries_of(before, chosen), _entries_of(each, chosen))
    memory.put("entry documents", "last", _Named(chosen, dict(words), found))
    return found


class _Named(NamedTuple):
    """What `_entry_documents` found, and from what."""

    chosen: frozenset[str]
    words: dict[str, Words]
    found: dict[tuple[EntryKind, str], tuple[str, ...]]


def _entries_of(each: Words, chosen: frozenset[str]) -> list[tuple[EntryKind, str]]:
    """The entries one document's words belong to."""
    entries = [(EntryKind.TERM, term) for term in chosen.intersection(each.terms)]
    entries += [(kind, name) for kind, names in each.entities.items() for name in names]
    return entries


def _move(
    found: dict[tuple[EntryKind, str], tuple[str, ...]],
    doc_id: str,
    before: list[tuple[EntryKind, str]],
    now: list[tuple[EntryKind, str]],
) -> None:
    """Take a document out of the entries it belonged to and put it in those it belongs to now."""
    for entry in set(before).difference(now):
        remaining = tuple(d for d in found[entry] if d != doc_id)
        if remaining:
            found[entry] = remaining
        else:
            del found[entry]
    for entry in set(now).difference(before):
        found[entry] = tuple(sorted((*found.get(entry, ()), doc_id)))


def _entries(
    named: dict[tuple[EntryKind, str], tuple[str, ...]],
    concordances: dict[tuple[EntryKind, str], Concordance],
    collocates: dict[str, list[Collocate]],
    memory: Memory,
) -> dict[EntryKind, list[Entry]]:
    """Index entries (`_entry_documents`) with their concordances and collocates; each the very
    object the last build in this process made when made of the same parts (see `_document_analysis`):
    an edit elsewhere in one of its documents finds its lines again, and the same lines."""
    entries: dict[EntryKind, list[Entry]] = {kind: [] for kind in EntryKind}
    for kind, name in sorted(named):
        found = concordances[kind, name]
        near = tuple(collocates[name])
        last: tuple[Concordance, Entry] | None = memory.get("entry", (kind, name))
        if last is not None and (last[0] is found or _holds(last[1], found)) and last[1].collocates == near:
            entry = last[1]
        else:
            counts = found.counts
            entry = Entry(kind, name, found.documents, sum(counts), found.lines, counts, near, found.digest)
        memory.put("entry", (kind, name), (found, entry))
        entries[kind].append(entry)
    return entries


def _holds(entry: Entry, found: Concordance) -> bool:
    """True when the entry holds what `found` holds (the same lines, by their digest)."""
    same_lines = entry.lines_digest == found.digest
    return same_lines and entry.counts == found.counts and entry.documents == found.documents

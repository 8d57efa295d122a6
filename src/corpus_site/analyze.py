"""Analysis over the canonical text: segmentation, key terms by TF-IDF, entities, related documents
and concordance lines.

Nothing here compares every pair of documents: related documents are scored only against documents
that share one of their key terms, found through an inverted index.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import math
import operator
import pickle
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache, partial
from operator import itemgetter
from types import ModuleType
from typing import Any, NamedTuple, overload

from corpus_site.cache import Cache, Memory, holders, key_of, summed, union_of
from corpus_site.duplicates import document_sketch, near_duplicates
from corpus_site.entities import entity_kind, is_person_in_context, merge_surnames, trim_name
from corpus_site.frequency import (
    MIN_NGRAM_COUNT,
    Collocate,
    frequency_rows,
    joined,
    keep_rows,
    near_counts,
    ngram_counts,
    scored_collocates,
    window_contexts,
    word_counts,
)
from corpus_site.model import (
    Analysis,
    Corpus,
    Document,
    DocumentAnalysis,
    Entry,
    EntryKind,
    KwicLine,
    Related,
    SearchIndex,
)
from corpus_site.pagekeys import digest_of
from corpus_site.related import normalized, related_documents
from corpus_site.search import IndexState, Runs, document_postings, search_index, warm_runs
from corpus_site.workers import MIN_ITEMS_PER_WORKER, made_aside, parallel_iter, run_concurrently

KEYWORDS_PER_DOCUMENT = 10
FREQUENT_PER_DOCUMENT = 15
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
KWIC_CONTEXT = 18
"""Characters of context on each side of a concordance line's keyword."""
KWIC_LINES_PER_ENTRY = 200

_TERM_TAGS = frozenset({"n", "nz", "vn", "nr", "ns", "nt", "nrt", "nrfg", "l", "i", "j", "an", "eng"})
_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]*$")
STOP_WORDS = frozenset(
    [
        "我们",
        "你们",
        "他们",
        "同志",
        "同志们",
        "方面",
        "问题",
        "情况",
        "工作",
        "时候",
        "时间",
        "目前",
        "今年",
        "去年",
        "全年",
        "一些",
        "有关",
        "其中",
        "以及",
        "进行",
        "开展",
        "通过",
        "实现",
        "这个",
        "那个",
        "什么",
        "怎么",
        "要求",
        "表示",
        "指出",
        "强调",
        "认为",
        "大家",
        "自己",
        "一个",
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
        "第一",
        "第二",
        "第三",
        "第四",
        "第五",
        "全面",
        "各级",
        "有效",
        "重要",
        "主要",
        "进一步",
        "方式",
        "内容",
        "作用",
        "水平",
    ]
)


def tag(text: str) -> list[tuple[str, str]]:
    """Words of canonical text with their part-of-speech tags."""
    return merge_surnames([(word, pos) for word, pos in segmenter().tag(text)])


@cache
def segmenter() -> ModuleType:
    """rjieba, imported when first needed: loading its dictionary takes a tenth of a second, which a
    rebuild whose documents are all in the cache, or segmented by a helper, need not spend."""
    import rjieba

    return rjieba


def _is_term(word: str, pos: str) -> bool:
    return len(word) >= 2 and pos in _TERM_TAGS and word not in STOP_WORDS and bool(_WORD.match(word))


class Words(NamedTuple):
    """What segmentation finds in one document that every build needs (cached per document).

    Counts are plain dicts, in the order the words first occur: they load from the cache and come
    back from worker processes many times faster than Counters.
    """

    terms: dict[str, int]
    """Candidate key terms with their counts."""
    entities: dict[EntryKind, dict[str, int]]
    """People, places and organisations with their counts."""
    vocabulary: set[str]
    """Every word of two or more characters."""
    sketch: tuple[int, ...]
    """The MinHash sketch that finds republications."""
    counts: dict[str, int]
    """Every word of the frequency lists with its count (`frequency.word_counts`)."""
    frequent: tuple[tuple[str, int], ...]
    """The document's most frequent words with their counts."""
    occurrences: dict[str, int]
    """How often each candidate term or entity stands in the text, as a string."""
    digests: dict[str, str]
    """Digests of `counts` and of the document's `Tables` (by those names): what the corpus-wide
    steps are cached by."""


class Tables(NamedTuple):
    """The large per-document results, cached apart from `Words`, each pickled on its own: only a
    corpus-wide step whose inputs changed (as their digests tell) loads its table, for every
    document, and only that one (`DocumentWords.ngrams`, `contexts`, `postings`)."""

    ngrams: bytes
    """N-grams with their counts (`frequency.ngram_counts`), each n-gram `frequency.joined`."""
    contexts: bytes
    """The words near each candidate term or entity (`frequency.window_contexts`)."""
    postings: bytes
    """The document's search postings (`search.document_postings`)."""


def _document_words(document: Document) -> tuple[Words, bytes]:
    """The document's `Words`, and its `Tables` pickled (as the cache stores them; the digest of
    these bytes is in the words: the same tables pickle the same, built by the same steps)."""
    tagged: Counter[tuple[str, str]] = Counter()
    sequence: list[str] = []
    for paragraph in document.paragraphs:
        words = tag(paragraph.text)
        tagged.update(words)
        sequence.extend(sys.intern(word) if pos != "x" else "" for word, pos in words)
        sequence.append("")
    terms: Counter[str] = Counter()
    entities: dict[EntryKind, Counter[str]] = defaultdict(Counter)
    for (word, pos), count in tagged.items():
        if _is_term(word, pos):
            terms[word] += count
        kind = entity_kind(word, pos)
        if kind is not None:
            entities[kind][trim_name(word) if kind is EntryKind.PERSON else word] += count
    # Names hold no line break, so counting in the joined text counts within paragraphs.
    text = "\n".join(p.text for p in document.paragraphs)
    if EntryKind.PERSON in entities:
        people = entities[EntryKind.PERSON]
        for name in [n for n in people if not is_person_in_context(n, text)]:
            del people[name]
    vocabulary = {word for word, _ in tagged if len(word) >= 2}
    found = {kind: names for kind, names in entities.items() if names}
    candidates = set(terms).union(*found.values())
    counts = word_counts(sequence)
    tables = Tables(
        *(
            pickle.dumps(table, pickle.HIGHEST_PROTOCOL)
            for table in (
                {joined(gram): n for gram, n in ngram_counts(sequence).items()},
                {word: dict(near) for word, near in window_contexts(sequence, candidates).items()},
                document_postings(document),
            )
        )
    )
    tables_data = pickle.dumps(tables, pickle.HIGHEST_PROTOCOL)
    found_words = Words(
        dict(terms),
        {kind: dict(names) for kind, names in found.items()},
        vocabulary,
        document_sketch(document),
        dict(counts),
        tuple(counts.most_common(FREQUENT_PER_DOCUMENT)),
        {name: text.count(name) for name in sorted(candidates)},
        {
            "counts": hashlib.sha256(json.dumps(counts, ensure_ascii=False).encode()).hexdigest(),
            "tables": hashlib.sha256(tables_data).hexdigest(),
        },
    )
    return found_words, tables_data


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


class DocumentWords:
    """Each document's `Words`, from the cache when its text is unchanged, and their `Tables`, loaded
    only when a corpus-wide step needs them (`tables`)."""

    def __init__(self, documents: list[Document], jobs: int, cache: Cache) -> None:
        self._cache = cache
        self._documents = documents
        self._keys = [cache.memory.derived("words key", d, _words_key) for d in documents]
        absent = [n for n, key in enumerate(self._keys) if not cache.has("words", key)]
        # A few new documents (after an edit) are segmented by a helper, which loads the segmenter's
        # dictionary, while this process loads the others' words.
        few = 0 < len(absent) < 2 * MIN_ITEMS_PER_WORKER and not cache.memory.keeping
        aside = partial(_all_pickled_words, [documents[n] for n in absent] if few else [])
        with made_aside(aside, jobs if few else 1) as segmented:
            found: list[Words | None] = [cache.get("words", key) for key in self._keys]
            missing = [n for n, words in enumerate(found) if words is None]
            made = dict(zip(absent, segmented(), strict=True)) if few and missing else {}
        cache.hits += len(found) - len(missing)
        self.changed = len(missing)
        """Documents whose words were not in the cache (new or changed ones)."""
        self._computed: dict[int, bytes] = {}
        if left := [n for n in missing if n not in made]:
            segmenter()  # loaded here, once, before the workers fork
            pickled = parallel_iter(_pickled_words, [documents[n] for n in left], jobs)
            made.update(zip(left, pickled, strict=True))
        for n, (words_data, tables_data) in ((n, made[n]) for n in missing):
            cache.put_pickled("tables", self._keys[n], tables_data)
            found[n] = cache.add_pickled("words", self._keys[n], words_data)
            self._computed[n] = tables_data
        cache.write("words")
        self.words: dict[str, Words] = {d.id: w for d, w in zip(documents, found, strict=True) if w}
        self._tables: list[Tables] | None = None
        self._loaded: dict[str, list[Any]] = {}

    def digests(self, name: str) -> list[str]:
        """Each document's digest of `name` (`Words.digests`)."""
        return [words.digests[name] for words in self.words.values()]

    def ngrams(self) -> list[dict[str, int]]:
        """Each document's n-grams (`Tables.ngrams`), in document order."""
        return self._table("ngrams")

    def contexts(self) -> list[dict[str, dict[str, int]]]:
        """Each document's words near its terms (`Tables.contexts`), in document order."""
        return self._table("contexts")

    def postings(self) -> list[str]:
        """Each document's search postings (`Tables.postings`), in document order."""
        return self._table("postings")

    def _table(self, name: str) -> list[Any]:
        """Each document's table `name`, loaded once (in a worker, for the step that needs it). A
        process that builds again keeps each in memory, the very object: its sums are worked out
        from the last build's by taking out and putting in again the tables that are not the same
        objects (`cache.summed`)."""
        if name not in self._loaded:
            memory, kind = self._cache.memory, f"{name} table"
            loaded = []
            for key, tables in zip(self._keys, self.tables(), strict=True):
                if (table := memory.get(kind, key)) is None:
                    table = pickle.loads(getattr(tables, name))
                memory.put(kind, key, table)
                loaded.append(table)
            self._loaded[name] = loaded
        return self._loaded[name]

    def tables(self) -> list[Tables]:
        """Each document's `Tables`, in document order, its tables still pickled (loaded once)."""
        if self._tables is None:
            self._tables = [
                self._cache.add_pickled("tables", self._keys[n], self._computed[n])
                if n in self._computed
                else self._cached_tables(n)
                for n in range(len(self._keys))
            ]
        return self._tables

    def _cached_tables(self, n: int) -> Tables:
        tables: Tables | None = self._cache.get("tables", self._keys[n])
        if tables is None:  # a cache with the words but not their tables: made again
            data = _document_words(self._documents[n])[1]
            tables = self._cache.add_pickled("tables", self._keys[n], data)
        return tables

    def keep_tables(self) -> None:
        """Keep every document's `Tables` in the cache for the next build, loaded or not."""
        self._cache.keep("tables", self._keys)
        self._cache.write("tables")


def _words_key(document: Document) -> str:
    """The key of a document's words in the cache: its canonical text's."""
    return key_of("words", "\n".join(p.text for p in document.paragraphs))


def _pickled_words(document: Document) -> tuple[bytes, bytes]:
    words, tables_data = _document_words(document)
    return pickle.dumps(words, pickle.HIGHEST_PROTOCOL), tables_data


def _all_pickled_words(documents: list[Document]) -> list[tuple[bytes, bytes]]:
    return list(map(_pickled_words, documents))


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
        partial(_concordances, corpus, named, words, cache),
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
    return Analysis(per_document, entries, vocabulary, word_list, ngram_list, index)


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


def _concordances(
    corpus: Corpus,
    named: dict[tuple[EntryKind, str], tuple[str, ...]],
    words: dict[str, Words],
    cache: Cache,
) -> dict[tuple[EntryKind, str], _Concordance]:
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

    found: dict[tuple[EntryKind, str], _Concordance] = {}
    for entry, doc_ids in named.items():
        digests = tuple(map(digest_by_id.__getitem__, doc_ids))
        last: _Concordance | None = memory.get("concordance", entry) if keyed else None
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
        result = _Concordance(doc_ids, digests, counts, shown, record.digest, by_document, record)
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


class _Concordance(NamedTuple):
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


def _entries(
    named: dict[tuple[EntryKind, str], tuple[str, ...]],
    concordances: dict[tuple[EntryKind, str], _Concordance],
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
        last: tuple[_Concordance, Entry] | None = memory.get("entry", (kind, name))
        if last is not None and (last[0] is found or _holds(last[1], found)) and last[1].collocates == near:
            entry = last[1]
        else:
            counts = found.counts
            entry = Entry(kind, name, found.documents, sum(counts), found.lines, counts, near, found.digest)
        memory.put("entry", (kind, name), (found, entry))
        entries[kind].append(entry)
    return entries


def _holds(entry: Entry, found: _Concordance) -> bool:
    """True when the entry holds what `found` holds (the same lines, by their digest)."""
    same_lines = entry.lines_digest == found.digest
    return same_lines and entry.counts == found.counts and entry.documents == found.documents

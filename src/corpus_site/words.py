"""Each document's words: segmentation with part-of-speech tags, candidate key terms, entities and
counts (`Words`), and the larger tables the corpus-wide steps read (`Tables`); both cached per
document, by its canonical text."""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import sys
from collections import Counter, defaultdict
from functools import cache, partial
from types import ModuleType
from typing import Any, NamedTuple

from corpus_site.cache import Cache, key_of
from corpus_site.duplicates import document_sketch
from corpus_site.entities import (
    complete_names,
    entity_kind,
    is_person_in_context,
    merge_surnames,
    place_parts,
    trim_name,
)
from corpus_site.frequency import joined, ngram_counts, window_contexts, word_counts
from corpus_site.model import Document, EntryKind
from corpus_site.search import document_postings
from corpus_site.workers import parallel_iter

FREQUENT_PER_DOCUMENT = 15
"""Words of a document's own frequency list (`Words.frequent`), shown on its page."""

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
    return complete_names(merge_surnames([(word, pos) for word, pos in segmenter().tag(text)]))


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
    characters: str
    """Every character of the text, each once, in order (for the search page's conversion tables)."""
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
        if kind is EntryKind.PLACE:
            for part in place_parts(word):
                entities[kind][part] += count
        elif kind is not None:
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
        "".join(sorted(set(text).difference("\n"))),  # paragraphs hold no line break
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


class DocumentWords:
    """Each document's `Words`, from the cache when its text is unchanged, and their `Tables`, loaded
    only when a corpus-wide step needs them (`tables`)."""

    def __init__(self, documents: list[Document], jobs: int, cache: Cache) -> None:
        self._cache = cache
        self._documents = documents
        self._keys = [cache.memory.derived("words key", d, _words_key) for d in documents]
        # A few new documents (after an edit) are segmented by a helper, which loads the segmenter's
        # dictionary, while this process loads the others' words.
        found, made = cache.loaded_or_made_aside("words", self._keys, partial(_made_words, documents), jobs)
        missing = [n for n, words in enumerate(found) if words is None]
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


def _made_words(documents: list[Document], indices: list[int]) -> list[tuple[bytes, bytes]]:
    return _all_pickled_words([documents[n] for n in indices])

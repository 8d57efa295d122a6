"""The static search index: exact phrases over the canonical text, in either script.

Every paragraph's canonical text is folded (`fold`: ASCII lower case, full-width ASCII made
half-width; one character for one, so offsets hold) and split into runs of searchable characters
(Han, Latin letters, digits). The index keeps, for each character, the paragraphs holding it, and for
each pair of adjacent characters (bigram), the paragraphs and offsets where it starts. A phrase of
n ≥ 2 characters occurs at offset p exactly when each of its n − 1 bigrams occurs at p, p + 1, …, so
hits are true phrases without the text; one character needs only the character's paragraphs.

Keys are spread over shards by a hash the browser computes too, and every file is a script that hands
its data to `corpusSearch`, so the index loads with plain GETs and from a site opened from disk.

Posting format, all numbers base 36: entries separated by `;`, each `doc,paragraph[,offset…]` where
`doc` is the gap from the previous entry's document and offsets after the first are gaps too.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import operator
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from corpus_site import urls
from corpus_site.cache import FORGETFUL, Memory
from corpus_site.convert import converter
from corpus_site.dates import year_of
from corpus_site.model import Analysis, Corpus, Document, SearchIndex
from corpus_site.pagekeys import PageKeys
from corpus_site.stats import filter_values
from corpus_site.writer import Kept

SHARD_TARGET_BYTES = 32_768
MAX_SHARDS = 4096
_SEARCHABLE = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_FOLD = {code: chr(code - 0xFEE0).lower() for code in range(0xFF01, 0xFF5F)} | {
    code: chr(code).lower() for code in range(ord("A"), ord("Z") + 1)
}
"""Full-width ASCII made half-width, and ASCII capitals made small."""
_HAN_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
SCRIPT_CODES = {"simplified": "s", "traditional": "t", "mixed": "m"}


def fold(text: str) -> str:
    """Text as the index and the browser compare it: one character for one."""
    return text.translate(_FOLD)


def fnv1a(key: str) -> int:
    """32-bit FNV-1a over UTF-16 code units, as the browser computes it."""
    value = 0x811C9DC5
    for unit in key.encode("utf-16-le"):
        value ^= unit
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_BASE36: list[str] = [a + b for a in ("", *_DIGITS[1:]) for b in _DIGITS]
"""Base-36 numerals of 0 … 1295, the numbers postings mostly hold."""
_GAP_HEADS = [numeral + "," for numeral in _BASE36]


def _base36(number: int) -> str:
    if number < len(_BASE36):
        return _BASE36[number]
    out = []
    while number:
        number, digit = divmod(number, 36)
        out.append(_DIGITS[digit])
    return "".join(reversed(out))


POSTING_SEPARATOR = "\x00"


def document_postings(document: Document) -> str:
    """One document's postings, encoded as in the index but without the document gap: each key's
    `paragraph[,offset…]` entries joined by `;0,` (the gap between entries of one document). Keys and
    their entries alternate, separated by NUL: one string pickles and loads far faster than a dict."""
    entries: dict[str, list[str]] = defaultdict(list)
    for paragraph_number, paragraph in enumerate(document.paragraphs):
        number = _base36(paragraph_number)
        chars: dict[str, None] = {}  # in the order they first occur: the same postings in any process
        bigrams: dict[str, list[int]] = defaultdict(list)
        for run in _SEARCHABLE.finditer(fold(paragraph.text)):
            text, start = run.group(), run.start()
            chars.update(dict.fromkeys(text))
            for offset, bigram in enumerate(map(operator.add, text, text[1:]), start):
                bigrams[bigram].append(offset)
        for char in chars:
            entries[char].append(number)
        for bigram, offsets in bigrams.items():
            if len(offsets) == 1:  # most bigrams occur once in a paragraph
                entries[bigram].append(number + "," + _base36(offsets[0]))
                continue
            gaps = [offsets[0], *(b - a for a, b in itertools.pairwise(offsets))]
            entries[bigram].append(number + "," + ",".join(map(_base36, gaps)))
    return POSTING_SEPARATOR.join(
        f"{key}{POSTING_SEPARATOR}{';0,'.join(parts)}" for key, parts in entries.items()
    )


BLOCK = 256
"""Documents whose postings are merged together: an edit merges again only its own block."""

RUN = 32
"""Documents whose postings a block is merged from, when the merged runs are kept (`search_index`'s
`runs`): an edit then merges again only its own run, and puts the block together from the runs."""

Block = dict[str, tuple[int, int, str]]
"""A block's postings by key: the numbers of the first and last documents that hold the key, and
their entries, the first one without its gap (which follows the block before)."""


class IndexState(NamedTuple):
    """The search index with what it was made from, so that the next build merges again only the
    blocks of documents an edit changed (`search_index`)."""

    digests: tuple[str, ...]
    """Each document's digest of its postings, in document order."""
    blocks: list[Block]
    """The postings of each block of `BLOCK` documents."""
    encoded: dict[str, str]
    """The index's postings by key."""
    hashes: dict[str, int]
    """Each key's hash (`fnv1a`), which picks its shard."""
    sharded: SearchIndex
    """The index as the site holds it."""


Runs = dict[tuple[int, tuple[str, ...]], Block]
"""Merged runs of documents by their first document's number and their digests."""


def search_index(
    per_document: Sequence[str],
    digests: Sequence[str],
    previous: IndexState | None = None,
    *,
    block: int = BLOCK,
    runs: Runs | None = None,
) -> IndexState:
    """The index of the documents' postings (`document_postings`, in document order, with their
    digests), sharded. With the last build's state, only the blocks of documents whose digests
    changed are merged again, only their keys put together again, and only their shards written
    again; the result is the same without it (`block` documents to a block).

    `runs`, kept between calls (a server's memory), holds merged runs of `RUN` documents: a block
    merged again with the last state is put together from them, each merged only if its documents
    changed. Runs of documents that changed are let go."""
    digests = tuple(digests)
    blocks: list[Block] = []
    changed: set[str] = set()
    for number, start in enumerate(range(0, len(per_document), block)):
        end = start + block
        if previous is not None and previous.digests[start:end] == digests[start:end]:
            blocks.append(previous.blocks[number])
            continue
        if previous is not None and runs is not None:
            merged = _merged_from_runs(per_document[start:end], digests[start:end], start, runs)
        else:
            merged = _merged_block(per_document[start:end], start)
        blocks.append(merged)
        if previous is not None:
            before = previous.blocks[number] if number < len(previous.blocks) else {}
            changed.update(key for key in merged.keys() | before.keys() if merged.get(key) != before.get(key))
    if previous is None:
        encoded = _joined(blocks)
        hashes = {key: fnv1a(key) for key in encoded}
        dirty = None
    else:
        for gone in previous.blocks[len(blocks) :]:
            changed.update(gone)
        encoded = dict(previous.encoded)
        for key in changed:
            if joined := _joined(blocks, key).get(key):
                encoded[key] = joined
            else:
                encoded.pop(key, None)
        hashes = {key: previous.hashes.get(key) or fnv1a(key) for key in encoded}
        dirty = {hashes.get(key, previous.hashes.get(key, 0)) for key in changed}
    shards = _shard_count(sum(len(k) + len(v) + 4 for k, v in encoded.items()))
    by_shard: dict[int, dict[str, str]] = defaultdict(dict)
    for key in sorted(encoded):
        by_shard[hashes[key] % shards][key] = encoded[key]
    kept = previous.sharded.shards if previous is not None and previous.sharded.count == shards else {}
    rewritten = {value % shards for value in dirty} if dirty is not None and kept else set(by_shard)
    # Written out here, with the index, so that a build that takes the index from the cache has its
    # files too.
    scripts = {
        n: _shard_script(n, postings) if n in rewritten else kept[n]
        for n, postings in sorted(by_shard.items())
    }
    if runs is not None:
        for start, run_digests in [*runs]:
            if digests[start : start + len(run_digests)] != run_digests:
                del runs[start, run_digests]
    return IndexState(digests, blocks, encoded, hashes, SearchIndex(scripts, shards))


def _merged_from_runs(per_document: Sequence[str], digests: Sequence[str], start: int, runs: Runs) -> Block:
    """`_merged_block`, put together from the merged runs of `RUN` documents it is made of, each
    taken from `runs` when its documents are those it was merged from, else merged and put there."""
    merged: list[Block] = []
    for offset in range(0, len(per_document), RUN):
        key = (start + offset, tuple(digests[offset : offset + RUN]))
        if (run := runs.get(key)) is None:
            run = runs[key] = _merged_block(per_document[offset : offset + RUN], start + offset)
        merged.append(run)
    return _block_of(merged)


def warm_runs(per_document: Sequence[str], digests: Sequence[str], runs: Runs, seconds: float) -> bool:
    """Merge into `runs` (`search_index`'s) the runs of documents it lacks, for about `seconds`: a
    server with nothing to do does this, so that an edit merges again only its own run even the
    first time its block changes. True when every run is in `runs`."""
    deadline = time.perf_counter() + seconds
    for start in range(0, len(per_document), RUN):
        key = (start, tuple(digests[start : start + RUN]))
        if key in runs:
            continue
        if time.perf_counter() >= deadline:
            return False
        runs[key] = _merged_block(per_document[start : start + RUN], start)
    return True


def _block_of(runs: list[Block]) -> Block:
    """The block of consecutive runs: each key's entries behind the gaps between the runs."""
    firsts: dict[str, int] = {}
    lasts: dict[str, int] = {}
    parts: dict[str, list[str]] = {}
    for run in runs:
        for key, (first, last, entries) in run.items():
            if (before := lasts.get(key)) is None:
                firsts[key], parts[key] = first, [entries]
            else:
                parts[key].append(_gap_head(first - before) + entries)
            lasts[key] = last
    return {key: (firsts[key], lasts[key], ";".join(chunks)) for key, chunks in parts.items()}


def _merged_block(per_document: Sequence[str], start: int) -> Block:
    """The postings of the documents numbered from `start`, each document's entries behind the gap
    from the one before it in the block."""
    parts: dict[str, list[str]] = {}
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for number, postings in enumerate(per_document, start):
        if not postings:
            continue
        fields = postings.split(POSTING_SEPARATOR)
        for key, entries in zip(fields[::2], fields[1::2], strict=True):
            previous = last.get(key)
            if previous is None:
                parts[key] = [entries]
                first[key] = number
            else:
                gap = number - previous
                # `_gap_head` spelled out: a call for each key of each document cost a tenth more.
                parts[key].append(
                    (_GAP_HEADS[gap] if gap < len(_GAP_HEADS) else _base36(gap) + ",") + entries
                )
            last[key] = number
    return {key: (first[key], last[key], ";".join(chunks)) for key, chunks in parts.items()}


def _gap_head(gap: int) -> str:
    return _GAP_HEADS[gap] if gap < len(_GAP_HEADS) else _base36(gap) + ","


def _joined(blocks: list[Block], only: str | None = None) -> dict[str, str]:
    """Each key's postings over all blocks (only the key `only`'s, when given): the blocks put
    together as `_block_of` puts runs together, each key's first entry behind its gap from 0."""
    if only is not None:
        blocks = [{only: block[only]} for block in blocks if only in block]
    return {key: _gap_head(first) + entries for key, (first, _, entries) in _block_of(blocks).items()}


def _shard_count(total_bytes: int) -> int:
    wanted = max(1, math.ceil(total_bytes / SHARD_TARGET_BYTES))
    return min(MAX_SHARDS, 1 << (wanted - 1).bit_length())


def _script(call: str, payload: object) -> str:
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"corpusSearch.{call}({data});\n"


def _shard_script(number: int, postings: dict[str, str]) -> str:
    return _script("shard", [number, postings])


def conversion_tables(
    corpus_chars: frozenset[str], vocabulary: frozenset[str], traditional: str, memory: Memory = FORGETFUL
) -> dict[str, object]:
    """Tables the browser needs to fold a query into canonical script, and to show results in 繁體.

    `t2s` maps each traditional form of a corpus character to it; `t2s_phrases` holds the words whose
    conversion differs from character by character (乾隆 stays 乾隆 while 乾淨 becomes 干净).
    `s2t` maps corpus characters to the traditional variant the site uses, for excerpts. With
    `memory`, the character tables of the same characters are the last build's, and only the words
    the last build did not have are converted.
    """
    key = (corpus_chars, traditional)
    if (characters := memory.get("conversion characters", key)) is None:
        characters = _character_tables(corpus_chars, traditional)
    memory.put("conversion characters", key, characters)
    char_map, s2t_map = characters
    return {"t2s": char_map, "t2s_phrases": _phrases(char_map, vocabulary, memory), "s2t": s2t_map}


def _character_tables(
    corpus_chars: frozenset[str], traditional: str
) -> tuple[dict[str, str], dict[str, str]]:
    """`t2s` and `s2t` of `conversion_tables`."""
    # Every Han character OpenCC folds onto a character of the corpus, not only the forms the
    # corpus's characters take: 蔘 comes from 人参 → 人蔘 and must fold back to 参.
    char_map = {form: simple for form, simple in _folded_characters() if simple in corpus_chars}
    ordered = sorted(corpus_chars)
    shown = _convert_each(converter(traditional), ordered)
    pairs = zip(ordered, shown, strict=True)
    s2t_map = {char: form for char, form in pairs if len(form) == 1 and form != char}
    return char_map, s2t_map


@functools.cache
def _folded_characters() -> tuple[tuple[str, str], ...]:
    """Each Han character OpenCC folds onto another one, with that one."""
    han = [chr(code) for start, end in _HAN_BLOCKS for code in range(start, end + 1)]
    folded = zip(han, _convert_each(converter("t2s"), han), strict=True)
    return tuple((form, simple) for form, simple in folded if simple != form and len(simple) == 1)


class _Candidates(NamedTuple):
    """The words' forms that may be phrases (`_candidates`), and the words they were found for."""

    vocabulary: frozenset[str]
    forms: dict[str, list[tuple[int, str]]]


def _phrases(char_map: dict[str, str], vocabulary: frozenset[str], memory: Memory) -> dict[str, str]:
    """`t2s_phrases` of `conversion_tables`: each phrase's canonical word. Where two words make the
    same phrase, the one of the later variant wins, then the later word in sorted order. With
    `memory`, only the words the last build did not have are converted."""
    last: _Candidates | None = memory.get("conversion candidates", "")
    if last is None:
        forms = _candidates(vocabulary)
    else:
        forms = {word: found for word, found in last.forms.items() if word in vocabulary}
        forms.update(_candidates(vocabulary - last.vocabulary))
    memory.put("conversion candidates", "", _Candidates(vocabulary, forms))
    made = sorted(
        (variant, word, form)
        for word, found in forms.items()
        for variant, form in found
        if "".join(char_map.get(c, c) for c in form) != word  # not folded back character by character
    )
    return {form: word for _, word, form in made}


_PHRASE_VARIANTS = ("s2t", "s2tw", "s2hk", "s2twp")


def _candidates(words: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
    """For each word whose traditional form in some variant differs from it and converts back to it,
    the variants' numbers with those forms: the phrases, unless the characters fold back one by one."""
    t2s, ordered = converter("t2s"), sorted(words)
    found: dict[str, list[tuple[int, str]]] = {}
    for number, variant in enumerate(_PHRASE_VARIANTS):
        forms = _convert_each(converter(variant), ordered)
        back = _convert_each(t2s, forms)
        for word, form, simplified in zip(ordered, forms, back, strict=True):
            if form != word and simplified == word:
                found.setdefault(word, []).append((number, form))
    return found


def _convert_each(convert: Callable[[str], str], texts: list[str]) -> list[str]:
    """Convert many short texts in one call (one line each), which is far faster than one by one."""
    converted = convert("\n".join(texts)).split("\n")
    return converted if len(converted) == len(texts) else [convert(t) for t in texts]


def search_text(number: int, document: Document, to_traditional: Callable[[str], str]) -> str:
    """The search file of the document `number` (its title, link, date, source and canonical
    paragraphs, for showing a result), at `urls.search_text(number)`."""
    meta = document.metadata
    link = urls.href(urls.INDEX, urls.document_page(document.id))
    record = {
        "meta": [meta.title, to_traditional(meta.title), link, meta.date or "", meta.source or ""],
        "paragraphs": [p.text for p in document.paragraphs],
    }
    return _script("text", [number, record])


def search_files(
    corpus: Corpus,
    analysis: Analysis,
    traditional: str,
    memory: Memory = FORGETFUL,
    keys: PageKeys | None = None,
) -> dict[str, str | Kept]:
    """Every file of the search index by output path, but the documents' own (`search_text`); with
    `memory`, the conversion tables of a corpus with the same characters and words are the last
    build's. The shards are keyed by the index's key in `keys`, and kept as they are in the output
    when the last build left them all there under that key."""
    documents = corpus.documents
    index = analysis.index
    shards = index.count
    paths = [urls.search_shard(n) for n in range(shards)]
    kept = keys is not None and bool(index.key) and all(keys.previous.get(p) == index.key for p in paths)
    files: dict[str, str | Kept] = {}
    for number, path in enumerate(paths):
        files[path] = Kept.UNCHANGED if kept else index.shards.get(number) or _shard_script(number, {})
        if keys is not None and index.key:
            keys.current[path] = index.key
    values = filter_values(documents)
    sources, years = values["source"], values["year"]
    source_number = {source: n for n, source in enumerate(sources)}
    filters = []
    for document in documents:
        meta = document.metadata
        source = source_number.get(meta.source or "", -1)
        filters.append([source, year_of(meta.date) or "", SCRIPT_CODES[document.script]])
    files[urls.SEARCH_FILTERS] = _script("filters", filters)
    tables = conversion_tables(analysis.characters, analysis.vocabulary, traditional, memory)
    config = {
        "documents": len(documents),
        "shards": shards,
        "sources": sources,
        "years": years,
        **tables,
    }
    files[urls.SEARCH_CONFIG] = _script("config", config)
    return files

"""Rebuilds in one process (`serve --watch`): results kept in memory from one build to the next, and
the same site as a fresh build after any sequence of edits."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_site import analyze, cache, cli, errors, pagekeys, render, search, urls, writer
from corpus_site import build as build_module
from corpus_site import concordance as concordance_module
from corpus_site import words as words_module
from corpus_site.build import build, read_inputs
from corpus_site.cache import Cache, Memory
from corpus_site.decode import decode
from corpus_site.model import Entry, EntryKind, KwicLine
from corpus_site.reader import read_corpus
from corpus_site.writer import discard_spares

from conftest import copied, damaged_corpus, recorded_merges, site_tree


@pytest.fixture(autouse=True)
def _no_spares_left() -> Iterator[None]:
    yield
    discard_spares()  # what a server does when it stops


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return damaged_corpus(tmp_path_factory.mktemp("memory") / "in", 30, seed=11)


def _record_loads(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every entry loaded from the cache folder from now on, as it is loaded."""
    loaded: list[bytes] = []
    loads = cache._loaded

    def recorded_loads(data: bytes) -> object:
        loaded.append(data)
        return loads(data)

    monkeypatch.setattr(cache, "_loaded", recorded_loads)
    return loaded


def test_memory_keeps_what_the_last_build_used_or_made() -> None:
    memory = Memory()
    memory.put("words", "a", 1)
    memory.put("words", "b", 2)
    memory.forget_unused()
    assert memory.get("words", "a") == 1  # used by this build
    memory.put("words", "c", 3)  # made by it
    memory.forget_unused()
    assert (memory.get("words", "a"), memory.get("words", "b"), memory.get("words", "c")) == (1, None, 3)


def test_a_cache_in_memory_hands_back_the_very_object_while_the_folder_holds_it(tmp_path: Path) -> None:
    memory = Memory()
    first = Cache(tmp_path, memory)
    first.put("results", "key", ["a value"])
    first.save()
    second = Cache(tmp_path, memory)
    value = second.get("results", "key")
    assert value == ["a value"] and value is second.get("results", "key")
    second.save()
    assert Cache(tmp_path, memory).get("results", "key") is value
    for pack in tmp_path.iterdir():  # the folder was emptied by hand: memory does not outlive it
        pack.unlink()
    assert Cache(tmp_path, memory).get("results", "key") is None


def test_a_process_that_builds_again_writes_its_packs_when_the_cache_is_saved(tmp_path: Path) -> None:
    memory = Memory()
    first = Cache(tmp_path, memory)
    first.put("results", "a", 1)
    first.write("results")  # the first build writes as it goes
    assert list(tmp_path.iterdir())
    first.save()
    again = Cache(tmp_path, memory)
    again.put("results", "b", 2)
    packs = {path: path.read_bytes() for path in tmp_path.iterdir()}
    again.write("results")
    assert {path: path.read_bytes() for path in tmp_path.iterdir()} == packs
    again.save()
    assert Cache(tmp_path).get("results", "b") == 2 and Cache(tmp_path).get("results", "a") is None


def test_a_rebuild_publishes_its_site_before_it_saves_the_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server reloads its pages once the site is in place; the cache is saved after."""
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory)
    events: list[str] = []
    save = Cache.save

    def saved(self: Cache) -> None:
        events.append("saved")
        save(self)

    monkeypatch.setattr(Cache, "save", saved)
    edited = source / "doc04.txt"
    edited.write_text(decode(edited.read_bytes()).text + "新增的一句话。", encoding="utf-8")

    def published() -> None:
        events.append("published")
        assert "新增的一句话" in "".join(p.read_text(encoding="utf-8") for p in (out / "docs").glob("*.html"))

    build(source, out, memory=memory, published=published)
    assert events == ["published", "saved"]
    events.clear()
    build(source, out, memory=memory, published=published)
    assert events == []  # up to date: nothing published


def test_rebuilds_in_one_process_load_nothing_from_the_cache_folder(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory)
    loaded = _record_loads(monkeypatch)
    edited = source / "doc04.txt"
    edited.write_text(decode(edited.read_bytes()).text.replace("。", "！", 1), encoding="utf-8")
    result = build(source, out, memory=memory)
    assert result.cached > 0 and loaded == []


def _server_on_an_up_to_date_site(corpus: Path, tmp_path: Path) -> tuple[Path, Path, Memory]:
    """A copy of the corpus, its site built by another process, and the memory of a server whose
    first build found that site up to date."""
    source, out = copied(corpus, tmp_path / "in"), tmp_path / "site"
    build(source, out)
    memory = Memory()
    assert build(source, out, memory=memory).up_to_date
    return source, out, memory


def test_a_server_started_on_an_up_to_date_site_remembers_it_for_the_first_rebuild(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, memory = _server_on_an_up_to_date_site(corpus, tmp_path)
    assert not memory.empty
    loaded = _record_loads(monkeypatch)
    edited = source / "doc04.txt"
    edited.write_text(decode(edited.read_bytes()).text.replace("。", "！", 1), encoding="utf-8")
    assert build(source, out, memory=memory).cached > 0 and loaded == []


def test_the_first_rebuild_of_a_server_started_on_an_up_to_date_site_is_like_the_later_ones(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its pages' keys are in memory, and the site is linked aside for it: it links or writes only
    the files that changed, and works out only the keys of the pages made of other values."""
    source, out = copied(corpus, tmp_path / "in"), tmp_path / "site"
    for path in source.iterdir():  # files not changed lately: memory keeps what they hold
        os.utime(path, (time.time() - 3600,) * 2)
    build(source, out)
    memory = Memory()
    assert build(source, out, memory=memory).up_to_date
    keyed, placed = _record_page_keys(monkeypatch), _record_placed_files(monkeypatch)
    _punctuation_edit(source / "doc04.txt")
    result = build(source, out, memory=memory)
    assert "docs/doc04.html" in keyed and len(keyed) < result.pages / 4
    assert "docs/doc04.html" in placed and len(placed) < result.summary.files / 4


def test_a_server_waiting_for_edits_merges_the_search_runs_an_edit_will_need(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without them, its first edit in a block of the search index merges every run of the block."""
    monkeypatch.setattr(search, "RUN", 5)
    source, out, memory = _server_on_an_up_to_date_site(corpus, tmp_path)
    assert not analyze.warm(memory, seconds=0)
    assert analyze.warm(memory, seconds=60)
    merged = recorded_merges(monkeypatch)
    edited = source / "doc12.txt"
    edited.write_text(decode(edited.read_bytes()).text.replace("。", "。水库除险加固。", 1), encoding="utf-8")
    build(source, out, memory=memory)
    assert merged == [10]  # the run of documents 10 to 14 only
    build(source, tmp_path / "fresh", use_cache=False)
    assert site_tree(out) == site_tree(tmp_path / "fresh")


def test_a_quiet_server_saves_its_cache_then_warms_what_its_next_rebuild_needs(
    corpus: Path, tmp_path: Path
) -> None:
    memory = _server_on_an_up_to_date_site(corpus, tmp_path)[2]
    saves: list[str] = []
    unsaved = cli._UnsavedCache()
    unsaved.leave(lambda: saves.append("saved"))
    stop = threading.Event()
    cli._quiet(unsaved, memory, stop)
    assert saves == ["saved"] and analyze.warm(memory, seconds=0)  # nothing left to warm


def _record_page_keys(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The path of every page whose key is worked out from now on."""
    keyed: list[str] = []

    def recorded_page_key(site: str, template: str, path: str, values: dict[str, object]) -> str:
        keyed.append(path)
        return pagekeys.page_key(site, template, path, values)

    monkeypatch.setattr(render, "page_key", recorded_page_key)
    return keyed


def _record_placed_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The output path of every file linked or written into a staging folder from now on."""
    placed: list[str] = []
    keep, link_if_same = writer._keep, writer._link_if_same

    def recorded_keep(existing: str, target: str) -> None:
        placed.append(target.partition(".building/")[2])
        keep(existing, target)

    def recorded_link_if_same(existing: str, target: str, content: bytes, same: bool) -> bool:
        placed.append(target.partition(".building/")[2])
        return link_if_same(existing, target, content, same)

    monkeypatch.setattr(writer, "_keep", recorded_keep)
    monkeypatch.setattr(writer, "_link_if_same", recorded_link_if_same)
    return placed


def test_an_edit_finds_concordance_lines_again_only_in_the_edited_document(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory)
    searched: list[tuple[str, str]] = []
    concordance = concordance_module._concordance

    def recorded_concordance(
        texts: Iterable[concordance_module._JoinedText], keyword: str
    ) -> Iterator[KwicLine]:
        texts = list(texts)
        searched.extend((keyword, text.document) for text in texts)
        return concordance(texts, keyword)

    monkeypatch.setattr(concordance_module, "_concordance", recorded_concordance)
    edited = source / "doc04.txt"
    edited.write_text(decode(edited.read_bytes()).text.replace("。", "！", 1), encoding="utf-8")
    build(source, out, memory=memory)
    searched_in_rebuild = set(searched)
    assert {document for _, document in searched_in_rebuild} == {"doc04"}
    entries = [e for each in analyze.analyze(read_corpus(source)).entries.values() for e in each]
    keywords = {keyword for keyword, _ in searched_in_rebuild}
    assert keywords <= {e.name for e in entries if "doc04" in e.documents}
    assert 0 < len(keywords) < len(entries) / 2


def test_an_edit_works_out_again_only_the_keys_of_pages_made_of_other_values(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory)
    build(source, out, memory=memory)
    _punctuation_edit(source / "doc20.txt")
    build(source, out, memory=memory)  # the keys are worked out here, in this process, into memory
    keyed = _record_page_keys(monkeypatch)
    _punctuation_edit(source / "doc04.txt")
    result = build(source, out, memory=memory)
    assert "docs/doc04.html" in keyed and {"docs/doc03.html", "docs/doc05.html"} <= set(keyed)
    assert "docs/doc10.html" not in keyed and len(keyed) < result.pages / 4, (len(keyed), result.pages)


def test_an_edit_keys_again_only_the_entry_pages_whose_lines_or_uses_it_changed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry is the very object it was while what it holds is the same: an edit elsewhere in one
    of its documents finds its lines again, and the same lines."""
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory)
    before = _entries_by_page(source)
    keyed = _record_page_keys(monkeypatch)
    _punctuation_edit(source / "doc04.txt")
    build(source, out, memory=memory)
    after = _entries_by_page(source)
    changed = {path for path, entry in after.items() if entry != before.get(path)}
    holding = {path for path, entry in after.items() if "doc04" in entry.documents}
    keyed_entries = {path for path in keyed if path in after}
    assert keyed_entries <= changed and len(keyed_entries) < len(holding) / 2, (keyed_entries, len(holding))


def _entries_by_page(source: Path) -> dict[str, Entry]:
    entries = analyze.analyze(read_corpus(source)).entries
    return {urls.entry_page(kind, entry.name): entry for kind, each in entries.items() for entry in each}


def _punctuation_edit(path: Path) -> None:
    path.write_text(decode(path.read_bytes()).text.replace("。", "！", 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("before", "now", "same"),
    [
        ({"a": (1, "x")}, {"a": (1, "x")}, True),  # a tuple made anew of the same values
        ({"a": {"k": "v", "j": "w"}}, {"a": {"k": "v", "j": "w"}}, True),
        ({"a": {"k": "v", "j": "w"}}, {"a": {"j": "w", "k": "v"}}, False),  # equal, but not in order
        ({"a": (1,)}, {"a": (True,)}, False),  # equal, but shown differently
        ({"a": (1, 2)}, {"a": (1, 3)}, False),
        ({"a": [1]}, {"a": [1]}, False),  # a list is never taken for the same
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, False),
    ],
)
def test_page_values_are_the_same_only_when_they_show_the_same(
    before: dict[str, object], now: dict[str, object], same: bool
) -> None:
    assert render._same(before, now) is same


EDITS: list[Callable[[str], str]] = [
    lambda text: text.replace("。", "！", 1),
    lambda text: text + "量子计算机研制成功。",
    lambda text: text.replace("！", "。", 1),
    lambda text: "新的标题\n" + text,
]


@pytest.mark.parametrize("few_changes", [1, 10_000], ids=["steps here", "steps in workers"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_any_sequence_of_rebuilds_in_one_process_builds_the_same_site_as_a_fresh_build(
    jobs: int, few_changes: int, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The corpus-wide steps of a rebuild run here or in workers (`analyze.FEW_CHANGES`); the cache
    they leave builds the same site in a new process."""
    monkeypatch.setattr(analyze, "FEW_CHANGES", few_changes)
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory, jobs=jobs)
    rng = random.Random(jobs)
    for step, edit in enumerate(EDITS):
        edited = source / f"doc{rng.randrange(30):02d}.txt"
        edited.write_text(edit(decode(edited.read_bytes()).text), encoding="utf-8")
        if step == 2:
            (source / "doc29.txt").unlink()
        if step % 2:
            analyze.warm(memory, seconds=60)  # as a server does while it waits
        build(source, out, memory=memory, jobs=jobs)
        fresh = tmp_path / f"fresh{step}"
        build(source, fresh, use_cache=False)
        assert site_tree(out) == site_tree(fresh), f"after edit {step}"
    from_cache = tmp_path / "from-cache"  # beside the site: the same cache folder
    computed: list[str] = []
    for name in ("related_documents", "search_index", "near_duplicates", "scored_collocates"):
        monkeypatch.setattr(analyze, name, lambda *args, name=name: computed.append(name))
    assert build(source, from_cache, force=True).cached > 0
    assert site_tree(from_cache) == site_tree(out) and computed == []


def test_a_rebuild_reads_again_only_the_input_files_that_changed_or_changed_lately(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    an_hour_ago = time.time() - 3600
    for name in ("old.txt", "edited.txt", "recent.txt"):
        (folder / name).write_text("某县召开会议。\n", encoding="utf-8")
        if name != "recent.txt":
            os.utime(folder / name, (an_hour_ago, an_hour_ago))
    memory = Memory()
    assert set(read_inputs(folder, memory)) == {"edited.txt", "old.txt", "recent.txt"}
    memory.forget_unused()
    time.sleep(0.01)
    (folder / "edited.txt").write_text("某县召开大会。\n", encoding="utf-8")  # the same size
    os.utime(folder / "edited.txt", (an_hour_ago, an_hour_ago))  # and times, but its ctime moved
    opened: list[str] = []

    def recorded_open(path: str, mode: str) -> object:
        opened.append(Path(path).name)
        return open(path, mode)

    monkeypatch.setattr(build_module, "open", recorded_open, raising=False)
    contents = read_inputs(folder, memory)
    assert sorted(opened) == ["edited.txt", "recent.txt"]
    assert contents["edited.txt"] == "某县召开大会。\n".encode()
    assert contents["old.txt"] == contents["recent.txt"] == "某县召开会议。\n".encode()


@settings(max_examples=80, deadline=None)
@given(
    steps=st.lists(
        st.dictionaries(st.sampled_from("abcde"), st.one_of(st.none(), st.frozensets(st.integers(0, 9)))),
        max_size=6,
    )
)
def test_counts_and_unions_kept_in_memory_are_always_those_of_their_parts(
    steps: list[dict[str, frozenset[int] | None]],
) -> None:
    """Each step changes some parts (None: the part is kept as the very same object)."""
    memory, parts = Memory(), dict[str, frozenset[int]]()
    last: tuple[list[tuple[str, int]], frozenset[int]] | None = None
    for step in steps:
        parts = {
            name: parts[name] if part is None and name in parts else part or frozenset()
            for name, part in step.items()
        }
        counts = cache.holders(memory, "u", parts)
        assert counts == Counter(member for part in parts.values() for member in part)
        union = cache.union_of(memory, "u", parts)
        assert union == frozenset().union(*parts.values())
        if last is not None and last[0] == _identities(parts):
            assert union is last[1]  # no part changed
        last = (_identities(parts), union)
        memory.forget_unused()


@settings(max_examples=80, deadline=None)
@given(
    steps=st.lists(
        st.dictionaries(
            st.sampled_from("abcde"),
            st.one_of(st.none(), st.dictionaries(st.integers(0, 9), st.integers(1, 3), max_size=4)),
        ),
        max_size=6,
    ),
)
def test_sums_kept_in_memory_are_always_those_of_their_parts(
    steps: list[dict[str, dict[int, int] | None]],
) -> None:
    """Each step changes some parts (None: the part is kept as the very same object)."""
    memory, parts = Memory(), dict[str, dict[int, int]]()
    for step in steps:
        parts = {
            name: parts[name] if part is None and name in parts else part or {} for name, part in step.items()
        }
        expected: Counter[int] = Counter()
        for part in parts.values():
            expected.update(part)
        counts = cache.summed(memory, "u", parts)
        assert counts == expected and all(count > 0 for count in counts.values())
        memory.forget_unused()


def test_a_server_keeps_its_sums_through_edits_that_do_not_need_them(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server started on an up-to-date site, and a punctuation mark, leave the corpus-wide steps to
    the cache; the sums over every document's tables are made and kept in memory all the same, so
    the first edit with new words loads none of them from the cache folder."""
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out)
    assert build(source, out, memory=memory).up_to_date
    edited = source / "doc04.txt"
    text = decode(edited.read_bytes()).text
    edited.write_text(text.replace("。", "！", 1), encoding="utf-8")
    build(source, out, memory=memory)
    loaded = _record_loads(monkeypatch)
    edited.write_text(text + "量子计算机研制成功。", encoding="utf-8")
    build(source, out, memory=memory)
    assert loaded == []


def test_a_server_keeps_each_documents_tables_the_very_objects_it_loaded(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its sums over the documents' tables are worked out from the last build's by taking out and
    putting in again the tables that are not the same objects: loaded again in each rebuild, every
    table would be summed again."""
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory)
    loaded: list[list[Any]] = []
    table = words_module.DocumentWords._table

    def recorded(self: words_module.DocumentWords, name: str) -> list[Any]:
        found = table(self, name)
        if name == "ngrams":
            loaded.append(found)
        return found

    monkeypatch.setattr(words_module.DocumentWords, "_table", recorded)
    for name in ("doc04.txt", "doc05.txt"):
        edited = source / name
        edited.write_text(decode(edited.read_bytes()).text.replace("。", "！", 1), encoding="utf-8")
        build(source, out, memory=memory)
    first, second = loaded[0], loaded[-1]
    assert [n for n, (a, b) in enumerate(zip(first, second, strict=True)) if a is not b] == [5]


def _identities(parts: dict[str, frozenset[int]]) -> list[tuple[str, int]]:
    return [(name, id(part)) for name, part in parts.items()]


_NAMES = st.frozensets(st.sampled_from(["甲", "乙", "丙", "丁"]), max_size=3)


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.dictionaries(st.sampled_from(["d1", "d2", "d3"]), st.tuples(_NAMES, _NAMES)), _NAMES)
    )
)
def test_entry_documents_kept_in_memory_are_those_found_afresh(
    steps: list[tuple[dict[str, tuple[frozenset[str], frozenset[str]]], frozenset[str]]],
) -> None:
    """Each step gives some documents new words (terms, people), the others keeping the very same,
    and the first document other key terms, so that terms become key terms and stop being ones."""
    memory = Memory()
    words: dict[str, Any] = {d: SimpleNamespace(terms={}, entities={}) for d in ("d1", "d2", "d3")}
    keywords = {"d1": ("甲", "乙"), "d2": ("丙",), "d3": ()}
    for step, first_keywords in steps:
        keywords["d1"] = tuple(sorted(first_keywords))
        for doc_id, (terms, people) in step.items():
            entities = {EntryKind.PERSON: people}
            words[doc_id] = SimpleNamespace(terms=dict.fromkeys(terms, 1), entities=entities)
        kept = analyze._entry_documents(keywords, words, memory)
        assert kept == analyze._entry_documents(keywords, words, Memory(keeping=False))
        memory.forget_unused()


def test_a_process_that_builds_again_reads_no_pack_for_what_memory_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = _saved_cache_of_forty(tmp_path)
    read = _recording_pack_reads(monkeypatch)
    again = Cache(tmp_path, memory)
    assert [again.get("results", f"key{n}") for n in range(1, 40)] == list(range(1, 40))
    assert read == []
    again.put("results", "key40", 40)  # key0 was not used: it goes
    again.save()  # the packs of key0 and key40 are read and written again, no other
    assert 1 <= len(read) <= 2
    monkeypatch.undo()
    fresh = Cache(tmp_path)
    assert fresh.get("results", "key0") is None
    assert [fresh.get("results", f"key{n}") for n in range(1, 41)] == list(range(1, 41))


def test_packs_whose_entries_all_came_from_memory_are_left_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = _saved_cache_of_forty(tmp_path)
    read = _recording_pack_reads(monkeypatch)
    inodes = {path.name: path.stat().st_ino for path in tmp_path.iterdir()}
    for _ in range(2):
        again = Cache(tmp_path, memory)
        assert [again.get("results", f"key{n}") for n in range(40)] == list(range(40))
        again.save()
        assert {path.name: path.stat().st_ino for path in tmp_path.iterdir()} == inodes
    assert read == []  # this process knows what each pack holds: it wrote them


def _recording_pack_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    read: list[Path] = []
    read_pack = cache._read_pack

    def recorded(path: Path) -> dict[str, bytes]:
        read.append(path)
        return read_pack(path)

    monkeypatch.setattr(cache, "_read_pack", recorded)
    return read


def _saved_cache_of_forty(root: Path) -> Memory:
    """The memory of a process whose first build saved 40 entries in `root`."""
    memory = Memory()
    first = Cache(root, memory)
    for number in range(40):
        first.put("results", f"key{number}", number)
    first.save()
    return memory


def test_a_save_left_for_later_writes_when_it_is_done(tmp_path: Path) -> None:
    memory = Memory()
    first = Cache(tmp_path, memory)
    first.put("results", "a", 1)
    save = first.saved_later()
    assert list(tmp_path.iterdir()) == []
    save()
    assert Cache(tmp_path).get("results", "a") == 1


def test_a_save_left_for_later_is_void_once_another_build_ends(tmp_path: Path) -> None:
    """The next build takes what the unsaved one made from memory, and its own save writes it."""
    memory = Memory()
    first = Cache(tmp_path, memory)
    value = ["made by the first build"]
    first.put("results", "a", value)
    first.put("results", "dropped", 0)
    stale = first.saved_later()
    again = Cache(tmp_path, memory)
    assert again.get("results", "a") is value  # from memory, though no pack holds it yet
    again.put("results", "b", 2)
    save = again.saved_later()
    stale()
    assert list(tmp_path.iterdir()) == []
    save()
    fresh = Cache(tmp_path)
    assert (fresh.get("results", "a"), fresh.get("results", "b"), fresh.get("results", "dropped")) == (
        value,
        2,
        None,
    )


def test_packs_a_process_wrote_are_known_through_builds_that_did_not_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = _saved_cache_of_forty(tmp_path)
    read = _recording_pack_reads(monkeypatch)
    for _ in range(3):  # edits one after the other: none saves
        again = Cache(tmp_path, memory)
        assert [again.get("results", f"key{n}") for n in range(40)] == list(range(40))
        again.saved_later()
    again = Cache(tmp_path, memory)
    assert [again.get("results", f"key{n}") for n in range(40)] == list(range(40))
    again.saved_later()()
    assert read == []


def test_rebuilds_whose_saves_were_left_undone_build_the_site_and_a_cache_as_saved_ones_do(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server saves its cache once its inputs are quiet: edits made one after the other rebuild
    without saving, from memory, and the last build's save leaves a cache like a build that saved."""
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    saves: list[Callable[[], None]] = []
    build(source, out, memory=memory, save_later=saves.append)
    computed = _record_steps_run_from_nothing(monkeypatch)
    edited = source / "doc04.txt"
    text = decode(edited.read_bytes()).text
    for sentence in ("水库除险加固工作进展顺利。", "防汛抗旱指挥部召开会商会。"):
        edited.write_text(text.replace("。", "。" + sentence, 1), encoding="utf-8")
        build(source, out, memory=memory, save_later=saves.append)
    assert computed == []  # each rebuild started from the state of the last, never saved
    assert len(saves) == 3
    saves[-1]()
    build(source, tmp_path / "fresh", use_cache=False)
    assert site_tree(out) == site_tree(tmp_path / "fresh")
    # A new process takes every result from the cache the last save wrote, as from one saved anew.
    build(source, tmp_path / "reference", cache_dir=tmp_path / "reference cache")
    every = build(source, tmp_path / "reference", cache_dir=tmp_path / "reference cache", force=True).cached
    computed.clear()
    result = build(source, tmp_path / "again", cache_dir=tmp_path / ".corpus-site-cache")
    assert result.cached == every and computed == []


def _record_steps_run_from_nothing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kind of each corpus-wide step from now on that had no state of a last build to start from."""
    computed: list[str] = []
    from_last = analyze._from_last

    def recorded(kind: str, key: str, cache: Cache, task: Callable[[Any], Any]) -> Callable[[], Any]:
        def recorded_task(state: Any) -> Any:
            if state is None:
                computed.append(kind)
            return task(state)

        return from_last(kind, key, cache, recorded_task)

    monkeypatch.setattr(analyze, "_from_last", recorded)
    return computed


def test_a_server_merges_again_only_the_search_index_run_of_the_edited_document(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merged runs are kept through a build that takes the index from the cache (an edit undone)."""
    monkeypatch.setattr(search, "RUN", 4)
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory)
    edited = source / "doc05.txt"
    original = edited.read_bytes()
    text = decode(original).text
    merged = recorded_merges(monkeypatch)
    by_build: list[list[int]] = []
    for sentence in ("水库除险加固工作进展顺利。", None, "防汛抗旱指挥部召开会商会。"):
        if sentence is None:
            edited.write_bytes(original)
        else:
            edited.write_text(text.replace("。", "。" + sentence, 1), encoding="utf-8")
        before = len(merged)
        build(source, out, memory=memory)
        by_build.append(merged[before:])
    assert by_build == [list(range(0, 30, 4)), [], [4]]  # doc05 is the sixth document


def test_a_server_takes_the_marker_it_wrote_as_it_was_and_parses_one_changed_by_hand(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory)
    parsed: list[str] = []

    def loads(text: str) -> Any:
        parsed.append(text)
        return json.loads(text)

    monkeypatch.setattr(writer, "json", SimpleNamespace(loads=loads, dumps=json.dumps))
    _punctuation_edit(source / "doc04.txt")
    assert not build(source, out, memory=memory).up_to_date and parsed == []
    marker = out / urls.MARKER
    marker.write_text(json.dumps(json.loads(marker.read_text(encoding="utf-8")), indent=1), encoding="utf-8")
    _punctuation_edit(source / "doc05.txt")
    result = build(source, out, memory=memory)
    assert len(parsed) == 1 and result.pages_kept > result.pages / 2  # the keys in it were used
    build(source, tmp_path / "fresh", use_cache=False)
    assert site_tree(out) == site_tree(tmp_path / "fresh")


def test_a_server_started_on_an_up_to_date_site_knows_the_texts_it_holds(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its first rebuild encodes and hashes only the texts that changed, as the later ones do."""
    source, out, memory = _server_on_an_up_to_date_site(corpus, tmp_path)
    hashed: list[str] = []
    digest_if_written = writer._digest_if_written

    def recorded(last: Any, relative: str, content: str | bytes) -> str | None:
        digest = digest_if_written(last, relative, content)
        if digest is None and isinstance(content, str):
            hashed.append(relative)
        return digest

    monkeypatch.setattr(writer, "_digest_if_written", recorded)
    counts = []
    for _ in range(2):
        _punctuation_edit(source / "doc04.txt")
        build(source, out, memory=memory)
        counts.append(len(hashed))
        hashed.clear()
    assert counts[0] == counts[1] < 20


def test_a_template_error_in_pages_shared_with_a_helper_is_reported_at_its_line(
    corpus: Path, tmp_path: Path
) -> None:
    """A rebuild shares its changed pages with a forked helper (`workers.shared`): a template error
    in them comes back with the template's file and line, whichever process met it first, and the
    site stays as it was."""
    source, out, theme = copied(corpus, tmp_path / "in"), tmp_path / "site", tmp_path / "theme"
    theme.mkdir()
    memory = Memory()
    build(source, out, theme, memory=memory, jobs=2)
    before = site_tree(out)
    (theme / "entry.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ entry.nothing.at_all }}{% endblock %}\n',
        encoding="utf-8",
    )
    with pytest.raises(errors.TemplateProblem, match=r"entry\.html:3: .*\(rendering terms/"):
        build(source, out, theme, memory=memory, jobs=2)
    assert site_tree(out) == before

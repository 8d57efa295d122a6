"""Rebuilds in one process (`serve --watch`): results kept in memory from one build to the next, and
the same site as a fresh build after any sequence of edits."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from corpus_site import analyze, cache
from corpus_site.build import build
from corpus_site.cache import Cache, Memory
from corpus_site.decode import decode
from corpus_site.model import KwicLine
from corpus_site.reader import read_corpus

from conftest import copied, damaged_corpus, site_tree


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


def test_a_server_started_on_an_up_to_date_site_remembers_it_for_the_first_rebuild(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = copied(corpus, tmp_path / "in"), tmp_path / "site"
    build(source, out)
    memory = Memory()
    assert build(source, out, memory=memory).up_to_date and not memory.empty
    loaded = _record_loads(monkeypatch)
    edited = source / "doc04.txt"
    edited.write_text(decode(edited.read_bytes()).text.replace("。", "！", 1), encoding="utf-8")
    assert build(source, out, memory=memory).cached > 0 and loaded == []


def test_an_edit_finds_concordance_lines_again_only_in_the_edited_document(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory)
    searched: list[tuple[str, str]] = []
    concordance = analyze._concordance

    def recorded_concordance(texts: Iterable[analyze._JoinedText], keyword: str) -> Iterator[KwicLine]:
        texts = list(texts)
        searched.extend((keyword, text.document) for text in texts)
        return concordance(texts, keyword)

    monkeypatch.setattr(analyze, "_concordance", recorded_concordance)
    edited = source / "doc04.txt"
    edited.write_text(decode(edited.read_bytes()).text.replace("。", "！", 1), encoding="utf-8")
    build(source, out, memory=memory)
    searched_in_rebuild = set(searched)
    assert {document for _, document in searched_in_rebuild} == {"doc04"}
    entries = [e for each in analyze.analyze(read_corpus(source)).entries.values() for e in each]
    keywords = {keyword for keyword, _ in searched_in_rebuild}
    assert keywords <= {e.name for e in entries if "doc04" in e.documents}
    assert 0 < len(keywords) < len(entries) / 2


EDITS: list[Callable[[str], str]] = [
    lambda text: text.replace("。", "！", 1),
    lambda text: text + "量子计算机研制成功。",
    lambda text: text.replace("！", "。", 1),
    lambda text: "新的标题\n" + text,
]


@pytest.mark.parametrize("jobs", [1, 2])
def test_any_sequence_of_rebuilds_in_one_process_builds_the_same_site_as_a_fresh_build(
    jobs: int, corpus: Path, tmp_path: Path
) -> None:
    source, out, memory = copied(corpus, tmp_path / "in"), tmp_path / "site", Memory()
    build(source, out, memory=memory, jobs=jobs)
    rng = random.Random(jobs)
    for step, edit in enumerate(EDITS):
        edited = source / f"doc{rng.randrange(30):02d}.txt"
        edited.write_text(edit(decode(edited.read_bytes()).text), encoding="utf-8")
        if step == 2:
            (source / "doc29.txt").unlink()
        build(source, out, memory=memory, jobs=jobs)
        fresh = tmp_path / f"fresh{step}"
        build(source, fresh, use_cache=False)
        assert site_tree(out) == site_tree(fresh), f"after edit {step}"

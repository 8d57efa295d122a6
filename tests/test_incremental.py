"""Rebuilds: up to date when nothing changed, the cache reused, only changed files rewritten, and the
same site whatever the number of worker processes."""

from __future__ import annotations

import gc
import json
import os
import pickle
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from corpus_site import analyze, cache, reader, render
from corpus_site import concordance as concordance_module
from corpus_site import words as words_module
from corpus_site.cli import cli
from corpus_site.decode import decode
from corpus_site.related import normalized

from conftest import copied, damaged_corpus, site_tree


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return damaged_corpus(tmp_path_factory.mktemp("incremental") / "in", 40, seed=8)


def _build(runner: CliRunner, source: Path, out: Path, *options: str) -> str:
    result = runner.invoke(cli, ["build", "--input", str(source), "--output", str(out), "-v", *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_workers_build_the_same_site(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    _build(runner, corpus, tmp_path / "one", "--jobs", "1", "--no-cache")
    _build(runner, corpus, tmp_path / "two", "--jobs", "2", "--no-cache")
    assert site_tree(tmp_path / "one") == site_tree(tmp_path / "two")
    assert not (tmp_path / ".corpus-site-cache").exists()


def test_workers_placing_pages_build_the_site_the_renderer_makes(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    """A first build's workers write their pages into the new site themselves; the site is the one
    `render_site` makes in this process."""
    out = tmp_path / "site"
    _build(runner, corpus, out, "--jobs", "2", "--no-cache")
    read = reader.read_corpus(corpus)
    expected = render.render_site(read, analyze.analyze(read))
    built = site_tree(out)
    del built[".corpus-site"]
    assert built == expected


def test_rebuilds_reuse_what_did_not_change(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for path in corpus.iterdir():
        (source / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "site"
    first = _build(runner, source, out)
    assert "0 per-document result(s) from the cache" in first
    assert len(_entries(tmp_path / ".corpus-site-cache", "read")) == 40
    inodes = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}

    again = _build(runner, source, out)
    assert again.startswith("Up to date: 40 document(s)")
    assert {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()} == inodes

    edited = source / "doc07.txt"
    edited.write_text("新写的一篇\n某县召开安全生产会议，部署冬季安全生产工作。\n", encoding="utf-8")
    after_edit = _build(runner, source, out)
    assert "78 per-document result(s) from the cache" in after_edit  # 39 cleanings + 39 segmentations
    rewritten = [p for p in out.rglob("*") if p.is_file() and inodes.get(p) != p.stat().st_ino]
    # Key terms and related documents come from statistics over the whole corpus, so other documents'
    # pages may change too; files that cannot depend on the edit (other documents' texts) stay.
    assert out / "docs" / "doc07.html" in rewritten
    assert out / "texts" / "doc07.zh-Hans.txt" in rewritten
    assert not [p for p in rewritten if p.parent == out / "texts" and not p.name.startswith("doc07.")]
    assert 0 < len(rewritten) < len(inodes)


def test_a_build_leaves_nothing_out_of_garbage_collections(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    """A build freezes the corpus and its analysis while it runs; `serve --watch` builds again and
    again in one process, which must not keep each build's objects."""
    _build(runner, corpus, tmp_path / "site", "--jobs", "1")
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("strict", [False, True])
def test_no_garbage_collection_runs_while_the_corpus_is_read_and_analysed(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strict: bool
) -> None:
    """What they make lives until the build ends; collections resume afterwards, and after a build
    that fails (`--strict` on a damaged corpus)."""
    collecting: list[bool] = []
    read_corpus, run_analysis = reader.read_corpus, analyze.analyze

    def reading(*args: Any, **kwargs: Any) -> Any:
        collecting.append(gc.isenabled())
        return read_corpus(*args, **kwargs)

    def analysing(*args: Any, **kwargs: Any) -> Any:
        collecting.append(gc.isenabled())
        return run_analysis(*args, **kwargs)

    monkeypatch.setattr(reader, "read_corpus", reading)
    monkeypatch.setattr(analyze, "analyze", analysing)
    source = copied(corpus, tmp_path / "in")
    (source / "empty.txt").write_text("", encoding="utf-8")  # a problem, which fails a strict build
    options = ["--strict"] if strict else []
    result = runner.invoke(cli, ["build", "--input", str(source), "--output", str(tmp_path / "s"), *options])
    assert result.exit_code == (1 if strict else 0), result.output
    assert collecting == ([False] if strict else [False, False]) and gc.isenabled()


def test_the_cache_never_lives_in_the_output(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = runner.invoke(
        cli, ["build", "--input", str(corpus), "--output", str(out), "--cache-dir", str(out / "cache")]
    )
    assert result.exit_code == 1 and "cannot live inside the output folder" in result.output


def _built_copy(runner: CliRunner, corpus: Path, tmp_path: Path, *options: str) -> tuple[Path, Path]:
    """A copy of the corpus to edit, and the site built from it (`site`, beside it)."""
    source, out = copied(corpus, tmp_path / "in"), tmp_path / "site"
    _build(runner, source, out, *options)
    return source, out


def _punctuation_edit(path: Path) -> None:
    text = decode(path.read_bytes()).text
    assert "。" in text
    path.write_text(text.replace("。", "！", 1), encoding="utf-8")


def _assert_same_as_a_fresh_build(runner: CliRunner, source: Path, out: Path) -> None:
    fresh = out.parent / "fresh"
    _build(runner, source, fresh, "--no-cache")
    assert site_tree(out) == site_tree(fresh)


def _pages(output: str) -> tuple[int, int]:
    match = re.search(r"(\d+) of (\d+) page\(s\) kept", output)
    assert match, output
    return int(match[1]), int(match[2])


def test_an_edit_renders_only_the_pages_that_depend_on_it(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    source = copied(corpus, tmp_path / "in")
    out = tmp_path / "site"
    assert _pages(_build(runner, source, out))[0] == 0
    _punctuation_edit(source / "doc08.txt")  # its first sentence ends beside terms other pages quote
    kept, pages = _pages(_build(runner, source, out))
    # The edited document's page in both scripts, and the few pages that quote its sentence.
    assert pages - 20 <= kept < pages - 2
    _assert_same_as_a_fresh_build(runner, source, out)


def test_a_longer_document_renders_only_the_pages_that_show_it(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    source, out = _built_copy(runner, corpus, tmp_path)
    edited = source / "doc05.txt"
    text = decode(edited.read_bytes()).text
    end = text.rindex("。") + 1  # in the body, never in a title or a doc-share header
    edited.write_text(text[:end] + "会议要求各地加强巡查。" + text[end:], encoding="utf-8")
    kept, pages = _pages(_build(runner, source, out))
    assert 0 < kept < pages - 2
    _assert_same_as_a_fresh_build(runner, source, out)


def _record_calls(
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    name: str,
    calls: list[object],
    what: Callable[..., object],
) -> None:
    """Put `what(*args)` in `calls` on each call of `module.name`, which still does its work."""
    function = getattr(module, name)

    def recorded(*args: Any, **keywords: Any) -> Any:
        calls.append(what(*args))
        return function(*args, **keywords)

    monkeypatch.setattr(module, name, recorded)


def test_an_edit_decodes_and_cleans_only_the_edited_file(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = _built_copy(runner, corpus, tmp_path, "--jobs", "1")
    decoded: list[object] = []
    _record_calls(monkeypatch, reader, "decode", decoded, lambda data: data)
    edited = source / "doc08.txt"  # its first sentence is in the body (doc07's is in a doc-share header)
    _punctuation_edit(edited)
    output = _build(runner, source, out, "--jobs", "1")
    assert decoded == [edited.read_bytes()]
    # Cleaned documents and their words: all but the edited one's.
    assert "78 per-document result(s) from the cache" in output


@pytest.mark.parametrize(
    ("edit", "recomputed"),
    [(_punctuation_edit, 0), (lambda path: path.write_text("新的一篇\n量子计算机研制成功。\n", "utf-8"), 1)],
    ids=["punctuation", "new words"],
)
def test_corpus_wide_steps_rerun_only_when_their_inputs_change(
    edit: Callable[[Path], object],
    recomputed: int,
    runner: CliRunner,
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A punctuation mark changes neither the search postings, the near-duplicate sketches, the
    collocation windows nor the word and n-gram counts (of which the frequency lists are made)."""
    source, out = _built_copy(runner, corpus, tmp_path, "--jobs", "1")
    calls: list[object] = []
    for name in ("search_index", "near_duplicates", "scored_collocates", "frequency_rows"):
        _record_calls(monkeypatch, analyze, name, calls, lambda *args, name=name: name)
    edit(source / "doc08.txt")
    _build(runner, source, out, "--jobs", "1")
    steps = ["frequency_rows", "frequency_rows", "near_duplicates", "scored_collocates", "search_index"]
    assert sorted(map(str, calls)) == steps * recomputed
    _assert_same_as_a_fresh_build(runner, source, out)


def test_a_rebuild_looks_for_concordance_lines_only_in_entries_of_the_edited_document(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache records which documents each entry's lines were found in: while they are as they
    were, a rebuild knows the lines' digest without finding them (nor does it find them for a page it
    keeps)."""
    source, out = _built_copy(runner, corpus, tmp_path, "--jobs", "1")
    searched: list[object] = []
    _record_calls(monkeypatch, concordance_module, "_concordance", searched, lambda texts, keyword: keyword)
    _punctuation_edit(source / "doc08.txt")
    _build(runner, source, out, "--jobs", "1")
    rebuilt_searched = set(searched)
    entries = [e for each in analyze.analyze(reader.read_corpus(source)).entries.values() for e in each]
    holding = {e.name for e in entries if "doc08" in e.documents}
    assert len(holding) < len(entries)
    assert rebuilt_searched and rebuilt_searched <= holding
    _assert_same_as_a_fresh_build(runner, source, out)


@pytest.mark.parametrize("lost", ["nothing", "a shard file", "the cached index and a shard file"])
def test_a_rebuild_whose_postings_did_not_change_leaves_the_cached_search_index_unread(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lost: str
) -> None:
    """Its shards are kept as they are in the output, under the index's key; one that is missing is
    made from the index the cache holds, or, if the cache lost it, from the documents' postings."""
    source, out = _built_copy(runner, corpus, tmp_path, "--jobs", "1")
    cached = tmp_path / ".corpus-site-cache"
    packs = sorted(cached.glob(f"search-index.*{cache.PACK_SUFFIX}"))
    inodes = [pack.stat().st_ino for pack in packs]
    if lost != "nothing":
        next((out / "search" / "shards").iterdir()).unlink()
    if lost == "the cached index and a shard file":
        for pack in packs:
            pack.unlink()
    loaded: list[object] = []
    _record_calls(monkeypatch, analyze, "_stored_shards", loaded, lambda *args: "loaded")
    read: list[object] = []
    _record_calls(monkeypatch, cache, "_read_pack", read, lambda path: path.name.split(".")[0])
    _punctuation_edit(source / "doc08.txt")
    _build(runner, source, out, "--jobs", "1")
    assert len(loaded) == (lost != "nothing")
    if lost == "nothing":
        assert "search-index" not in read and "read" in read
        assert [pack.stat().st_ino for pack in packs] == inodes  # nor written again
    _assert_same_as_a_fresh_build(runner, source, out)


def test_related_documents_are_scored_again_from_the_last_builds_state(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New words change the TF-IDF profiles; each rebuild starts from the state of the one before."""
    source, out = _built_copy(runner, corpus, tmp_path, "--jobs", "1")
    calls: list[Any] = []
    _record_calls(monkeypatch, analyze, "related_documents", calls, lambda *args: args)
    for sentence in ("量子计算机研制成功。", "深海探测器完成科考任务。"):
        edited = source / "doc08.txt"
        edited.write_text(decode(edited.read_bytes()).text + sentence, encoding="utf-8")
        _build(runner, source, out, "--jobs", "1")
    (first, _), (second, previous) = calls
    assert previous.unit == {doc_id: normalized(profile) for doc_id, profile in first.items()}
    assert second != first
    _assert_same_as_a_fresh_build(runner, source, out)


def test_an_edit_writes_only_the_edited_documents_downloads(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = _built_copy(runner, corpus, tmp_path, "--jobs", "1")
    written: list[object] = []
    _record_calls(monkeypatch, render, "document_text", written, lambda document: document.id)
    _punctuation_edit(source / "doc07.txt")
    _build(runner, source, out, "--jobs", "1")
    assert written == ["doc07"]
    _assert_same_as_a_fresh_build(runner, source, out)


def test_a_one_shot_rebuild_makes_its_data_files_in_a_helper_and_the_same_site(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The texts, search files and downloads are made by a forked helper while this process works out
    the pages; what the helper keyed, this process learns (the next rebuild keeps those files)."""
    source, out = _built_copy(runner, corpus, tmp_path, "--jobs", "2")
    makers = tmp_path / "makers"
    data_files = render._data_files

    def made_by(*args: Any) -> Any:
        with makers.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return data_files(*args)

    monkeypatch.setattr(render, "_data_files", made_by)
    _punctuation_edit(source / "doc08.txt")
    _build(runner, source, out, "--jobs", "2")
    assert [int(pid) for pid in makers.read_text().split()] != [os.getpid()]
    _assert_same_as_a_fresh_build(runner, source, out)
    written: list[object] = []
    _record_calls(monkeypatch, render, "document_text", written, lambda document: document.id)
    _punctuation_edit(source / "doc09.txt")
    _build(runner, source, out, "--jobs", "1")  # here, to be recorded
    assert written == ["doc09"]  # the other documents' files are known by the keys the helper gave


def _slow_cache_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each value loaded from the cache takes a moment more, so that the helper a rebuild forks
    begins its task before this process is done loading the other documents' and would make it
    itself (as `workers.made_aside` does when the helper has not begun)."""
    loaded = cache._loaded

    def slowly(data: bytes) -> Any:
        time.sleep(0.003)
        return loaded(data)

    monkeypatch.setattr(cache, "_loaded", slowly)


def test_a_one_shot_rebuild_segments_an_edited_document_in_a_helper(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It loads the segmenter's dictionary there, while this process loads the other documents'
    words from the cache."""
    source, out = _built_copy(runner, corpus, tmp_path, "--jobs", "2")
    makers = tmp_path / "makers"
    all_pickled_words = words_module._all_pickled_words

    def made_by(documents: list[Any]) -> Any:
        with makers.open("a") as log:
            log.write(" ".join([str(os.getpid()), *(document.id for document in documents)]) + "\n")
        return all_pickled_words(documents)

    monkeypatch.setattr(words_module, "_all_pickled_words", made_by)
    _slow_cache_loads(monkeypatch)
    edited = source / "doc08.txt"
    edited.write_text(decode(edited.read_bytes()).text + "量子计算机研制成功。", encoding="utf-8")
    _build(runner, source, out, "--jobs", "2")
    pid, *segmented = makers.read_text().split()
    assert int(pid) != os.getpid() and segmented == ["doc08"]
    _assert_same_as_a_fresh_build(runner, source, out)


def test_a_one_shot_rebuild_cleans_an_edited_document_in_a_helper(
    runner: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It loads OpenCC's dictionaries and compiles the rules' patterns there, while this process
    loads the other documents from the cache."""
    source, out = _built_copy(runner, corpus, tmp_path, "--jobs", "2")
    cleaners = tmp_path / "cleaners"
    load = reader._load

    def cleaned_by(task: Any) -> Any:
        with cleaners.open("a") as log:
            log.write(f"{os.getpid()} {task[0]}\n")
        return load(task)

    monkeypatch.setattr(reader, "_load", cleaned_by)
    _slow_cache_loads(monkeypatch)
    _punctuation_edit(source / "doc08.txt")
    _build(runner, source, out, "--jobs", "2")
    pid, cleaned = cleaners.read_text().split()
    assert int(pid) != os.getpid() and cleaned == "doc08"
    _assert_same_as_a_fresh_build(runner, source, out)


def test_a_new_first_document_renumbers_the_search_files(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    """Search files are numbered by place in the corpus: those that move are written again."""
    source, out = _built_copy(runner, corpus, tmp_path)
    (source / "a-first.txt").write_text("新的一篇\n2023年5月1日，某县召开会议。\n", encoding="utf-8")
    _build(runner, source, out)
    _assert_same_as_a_fresh_build(runner, source, out)


def test_a_page_missing_from_the_output_is_rendered_again(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    source, out = _built_copy(runner, corpus, tmp_path)
    (out / "docs" / "doc03.html").unlink()
    (out / "zh-Hant" / "terms").rename(tmp_path / "moved")
    _punctuation_edit(source / "doc39.txt")  # so that the site is not up to date
    kept, pages = _pages(_build(runner, source, out))
    assert kept < pages
    _assert_same_as_a_fresh_build(runner, source, out)


def test_a_page_replaced_by_a_link_is_rendered_again(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    source, out = _built_copy(runner, corpus, tmp_path)
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_text("not the page", encoding="utf-8")
    page = out / "docs" / "doc03.html"
    page.unlink()
    page.symlink_to(elsewhere)
    _punctuation_edit(source / "doc39.txt")  # so that the site is not up to date
    _build(runner, source, out)
    assert not page.is_symlink() and elsewhere.read_text(encoding="utf-8") == "not the page"
    _assert_same_as_a_fresh_build(runner, source, out)


def test_a_template_change_renders_every_page(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    source = copied(corpus, tmp_path / "in")
    out = tmp_path / "site"
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "404.html").write_text('{% extends "!default/404.html" %}', encoding="utf-8")
    _build(runner, source, out, "--templates", str(theme))
    (theme / "404.html").write_text('{% extends "!default/404.html" %}{# changed #}', encoding="utf-8")
    kept, pages = _pages(_build(runner, source, out, "--templates", str(theme)))
    assert kept == 0 and pages > 0
    assert _pages(_build(runner, source, out, "--templates", str(theme), "--force"))[0] == 0


def test_a_build_that_finds_its_site_up_to_date_loads_no_stage_library(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    """Neither Jinja, the segmenter, OpenCC nor the metadata reader: the check alone is run, in a
    fraction of a second."""
    out = tmp_path / "site"
    _build(runner, corpus, out)
    script = (
        "import sys\n"
        "from corpus_site.cli import cli\n"
        f"cli(['build', '--input', {str(corpus)!r}, '--output', {str(out)!r}], standalone_mode=False)\n"
        "print(sorted({'jinja2', 'rjieba', 'opencc', 'importlib.metadata'} & set(sys.modules)))\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert ran.stdout.startswith("Up to date") and ran.stdout.rstrip().endswith("[]"), ran.stdout


def test_an_upgraded_library_makes_cached_results_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.tool_digest()
    cache.tool_digest.cache_clear()
    installed = cache._installed_versions()
    upgraded = {**installed, "opencc": "9.9"}
    monkeypatch.setattr(cache, "_installed_versions", lambda: upgraded)
    try:
        assert cache.tool_digest() != before
    finally:
        cache.tool_digest.cache_clear()


@pytest.mark.parametrize(
    ("damaged", "entries", "still_cached"),
    # Per-document results: 40 of each. The corpus-wide steps' packs hold no per-document result.
    [("read", 40, 40), ("words", 40, 40), ("edges", 40, 80), ("search-index", 1, 80)],
)
def test_a_damaged_cache_is_rebuilt_not_trusted(
    runner: CliRunner, corpus: Path, tmp_path: Path, damaged: str, entries: int, still_cached: int
) -> None:
    out = tmp_path / "site"
    _build(runner, corpus, out)
    cached = tmp_path / ".corpus-site-cache"
    for pack in cached.glob(f"{damaged}.*{cache.PACK_SUFFIX}"):
        pack.write_bytes(b"not a pickle")
    again = _build(runner, corpus, out, "--force")
    assert re.search(rf"\b{still_cached} per-document result\(s\) from the cache", again)
    fresh = tmp_path / "fresh"
    _build(runner, corpus, fresh, "--no-cache")
    assert site_tree(out) == site_tree(fresh)
    assert len(_entries(cached, damaged)) == entries  # written again, whole


def test_lost_tables_are_made_again_when_a_step_needs_them(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    """The words are cached, their tables are not, and the collocations must be counted again."""
    out = tmp_path / "site"
    _build(runner, corpus, out)
    cached = tmp_path / ".corpus-site-cache"
    for kind in ("tables", "collocations"):
        for pack in cached.glob(f"{kind}.*{cache.PACK_SUFFIX}"):
            pack.unlink()
    _build(runner, corpus, out, "--force")
    _assert_same_as_a_fresh_build(runner, corpus, out)
    assert len(_entries(cached, "tables")) == 40


def test_page_keys_do_not_depend_on_the_process(corpus: Path, tmp_path: Path) -> None:
    """Keys are compared across builds, so string hashing (random per process) must not reach them:
    neither the pages' keys nor those the corpus-wide steps are cached by."""
    markers, step_keys = [], []
    for seed in ("1", "2"):
        out, cached = tmp_path / f"site{seed}", tmp_path / f"cache{seed}"
        command = [sys.executable, "-m", "corpus_site", "build", "--input", str(corpus), "--output", str(out)]
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([*command, "--cache-dir", str(cached), "-q"], check=True, env=environment)
        markers.append(json.loads((out / ".corpus-site").read_text(encoding="utf-8")))
        steps = ("search-index", "collocations", "ngram-list", "word-list", "related", "near-duplicates")
        step_keys.append({step: set(_entries(cached, step)) for step in steps})
    assert markers[0]["pages"] and markers[0]["pages"] == markers[1]["pages"]
    assert all(step_keys[0].values()) and step_keys[0] == step_keys[1]


def _entries(cached: Path, kind: str) -> dict[str, bytes]:
    """Every entry of one kind in a cache folder, from all its packs."""
    entries: dict[str, bytes] = {}
    for pack in cached.glob(f"{kind}.*{cache.PACK_SUFFIX}"):
        entries |= pickle.loads(pack.read_bytes())
    return entries

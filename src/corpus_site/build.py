"""The build as explicit stages: read (decode, clean, convert) → analyze → render → write.

Everything is read and checked before anything is written. A build whose inputs (documents, settings,
templates, tool version) are exactly those of the site already in the output folder stops after
hashing them: the site is up to date.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, ParamSpec

from corpus_site import urls
from corpus_site.cache import FORGETFUL, Cache, Memory, default_cache_dir, tool_digest
from corpus_site.discover import discover
from corpus_site.errors import BuildFailed, CorpusSiteError
from corpus_site.export import rule_totals
from corpus_site.model import Corpus, Problem, Severity
from corpus_site.pagekeys import PageKeys, theme_digest
from corpus_site.settings import Settings, load_settings
from corpus_site.writer import (
    check_output,
    keep_spare,
    linked_aside,
    placing_folder,
    plain_files,
    read_marker,
    write_site,
)

Params = ParamSpec("Params")
Progress = Callable[[str, int, int], None]
"""Called as (stage, done, total) while a long stage runs."""


@dataclass(slots=True, frozen=True)
class Summary:
    """What a build made, as the command line reports it."""

    documents: int
    """Documents built."""
    files: int
    """Files in the site."""
    rules: dict[str, int]
    """How often each cleaning rule fired."""
    skipped: dict[str, str]
    """Files not built, with the reason."""
    problems: list[Problem]
    """Warnings and errors, in file order."""


@dataclass(slots=True)
class BuildResult:
    """The summary, and whether anything had to be done."""

    summary: Summary
    """What the site holds."""
    up_to_date: bool = False
    """True when the output already was the site of these inputs, so nothing was written."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage."""
    cached: int = 0
    """Per-document results taken from the cache."""
    pages: int = 0
    """Pages in the site (each script counted)."""
    pages_kept: int = 0
    """Pages kept from the last build because what they are rendered from did not change."""


def _unfreezing(function: Callable[Params, BuildResult]) -> Callable[Params, BuildResult]:
    """Make the objects a build froze for its worker processes (`workers.parallel_iter`) collectable
    again when it ends, so a long-running `serve --watch` does not keep them."""

    @functools.wraps(function)
    def wrapper(*args: Params.args, **kwargs: Params.kwargs) -> BuildResult:
        try:
            return function(*args, **kwargs)
        finally:
            gc.unfreeze()

    return wrapper


@_unfreezing
def build(
    input_dir: Path,
    output_dir: Path,
    templates: Path | None = None,
    strict: bool = False,
    *,
    jobs: int = 1,
    force: bool = False,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    memory: Memory = FORGETFUL,
    progress: Progress | None = None,
    published: Callable[[], None] | None = None,
    save_later: Callable[[Callable[[], None]], None] | None = None,
    **overrides: Any,
) -> BuildResult:
    """Build the site for `input_dir` into `output_dir`.

    `overrides` are settings given on the command line (`base_url`, `traditional`, `title`); `jobs`
    worker processes share the per-document stages; `force` rebuilds even an up-to-date site; the
    per-document cache lives in `cache_dir` (default: beside the output) unless `use_cache` is off;
    `memory` keeps results in this process for the next build (a watching server's rebuilds); an
    empty one is filled even when the site is up to date. `published` is called once a new site is in
    place, before the cache is saved (a server reloads its pages then). `save_later`, if given, is
    handed the cache's save rather than the build doing it (a server saves once its inputs are
    quiet, so that an edit made at once is not kept waiting).
    """
    timings: dict[str, float] = {}
    remembering = memory.keeping and memory.empty  # the first build it keeps
    if not input_dir.is_dir():
        raise CorpusSiteError(f"{input_dir}: input folder not found")
    if templates is not None and not templates.is_dir():
        raise CorpusSiteError(f"{templates}: templates folder not found")
    with _timed(timings, "check"):
        settings = load_settings(input_dir, **overrides)
        check_output(output_dir)
        contents = read_inputs(input_dir, memory)
        key = inputs_key(contents, settings, templates, strict)
        cache = Cache(_cache_dir(output_dir, cache_dir) if use_cache else None, memory)
        recorded = read_marker(output_dir) or {}
    if not force and (previous := _summary_if_current(recorded, key, output_dir)) is not None:
        in_output = _pages_in_output(recorded, output_dir)
        if remembering:
            with _timed(timings, "remember"):
                _remember(
                    input_dir,
                    output_dir,
                    templates,
                    settings,
                    jobs,
                    cache,
                    contents,
                    recorded,
                    in_output,
                    save_later,
                )
        pages = _page_count(in_output)
        return BuildResult(previous, up_to_date=True, timings=timings, pages=pages, pages_kept=pages)
    known = recorded.get("digests") if not force else None
    known = known if isinstance(known, dict) else None
    # The old site's files are linked aside meanwhile, for the new site to start from.
    with linked_aside(output_dir, None if memory.keeping else known):
        # The stages' modules (the segmenter, OpenCC, Jinja) load only once there is something to build.
        from corpus_site.analyze import analyze
        from corpus_site.render import site_files

        with _collections_paused():
            corpus = _read_and_checked(input_dir, strict, jobs, progress, cache, contents, timings)
            with _timed(timings, "analyze"):
                analysis = analyze(corpus, jobs=jobs, cache=cache)
            _keep_out_of_collections()

        keys = PageKeys({} if force else _pages_in_output(recorded, output_dir))

        summary = summarize(corpus, 0, cache.memory)  # here, rather than once every page is in

        def marker(files: int) -> dict[str, Any]:
            return {
                "inputs": key,
                "pages": keys.current,
                "summary": _summary_record(replace(summary, files=files)),
            }

        with _timed(timings, "render and write"):
            files = site_files(
                corpus,
                analysis,
                settings,
                templates,
                jobs=jobs,
                progress=progress,
                keys=keys,
                memory=cache.memory,
                # A site made from nothing: the workers write the pages they render straight into it.
                placing=placing_folder(output_dir) if not known and not memory.keeping else None,
            )
            count = write_site(
                files,
                output_dir,
                marker=marker,
                known=known,
                again=memory.keeping,  # a process that builds again
            )
            if published is not None:
                published()
            _save(cache, save_later)
        return BuildResult(
            replace(summary, files=count),
            timings=timings,
            cached=cache.hits,
            pages=_page_count(keys.current),
            pages_kept=keys.kept,
        )


def _remember(
    input_dir: Path,
    output_dir: Path,
    templates: Path | None,
    settings: Settings,
    jobs: int,
    cache: Cache,
    contents: dict[str, bytes | None],
    recorded: dict[str, Any],
    in_output: dict[str, str],
    save_later: Callable[[Callable[[], None]], None] | None,
) -> None:
    """Do what the build of an up-to-date site did, but write nothing, into the cache's memory (every
    page comes as kept): the first rebuild after an edit then takes its results from memory like the
    later ones. The output is linked aside for that rebuild to start from (`keep_spare`), with the
    texts made here that it holds."""
    from corpus_site.analyze import analyze
    from corpus_site.reader import read_corpus
    from corpus_site.render import site_files

    corpus = read_corpus(input_dir, jobs=jobs, cache=cache, contents=contents)
    texts: dict[str, str] = {}
    if corpus.documents:
        analysis = analyze(corpus, jobs=jobs, cache=cache)
        keys = PageKeys(in_output)
        made = site_files(corpus, analysis, settings, templates, jobs=jobs, keys=keys, memory=cache.memory)
        texts = {path: content for path, content in made if isinstance(content, str)}
    _save(cache, save_later)
    if isinstance(digests := recorded.get("digests"), dict):
        keep_spare(output_dir, digests, texts)


def _save(cache: Cache, save_later: Callable[[Callable[[], None]], None] | None) -> None:
    if save_later is None:
        cache.save()
    else:
        save_later(cache.saved_later())


def _read_and_checked(
    input_dir: Path,
    strict: bool,
    jobs: int,
    progress: Progress | None,
    cache: Cache,
    contents: Mapping[str, bytes | None],
    timings: dict[str, float],
) -> Corpus:
    """The corpus read, unless it has problems under `strict` or no document could be built."""
    from corpus_site.reader import read_corpus

    with _timed(timings, "read"):
        corpus = read_corpus(input_dir, jobs=jobs, progress=progress, cache=cache, contents=contents)
    if strict and corpus.problems:
        problems = corpus.problems
        raise BuildFailed(f"{len(problems)} problem(s) with --strict; nothing written", problems)
    if not corpus.documents:
        raise BuildFailed(f"{input_dir}: no document could be built; nothing written", corpus.problems)
    return corpus


@contextmanager
def _collections_paused() -> Iterator[None]:
    """No garbage collection while the corpus and its analysis are made: nearly all they allocate
    lives until the build ends, so each collection meanwhile would walk a growing heap for little
    to free (a tenth of a second in a rebuild after one edit). Once made, they are frozen
    (`_keep_out_of_collections`), and collections resume."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _keep_out_of_collections() -> None:
    """Move what exists now, which lives until the build ends (the corpus, then its analysis), out of
    the garbage collector's reach, where each later collection would walk its millions of objects
    again (collections took a tenth of a rebuild after one edit; half as much with this). `build`
    unfreezes them at its end."""
    gc.freeze()


def _cache_dir(output_dir: Path, cache_dir: Path | None) -> Path:
    chosen = (cache_dir or default_cache_dir(output_dir)).absolute()
    if chosen.is_relative_to(output_dir.absolute()):
        raise CorpusSiteError(f"{chosen}: the cache cannot live inside the output folder {output_dir}")
    return chosen


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - started


def summarize(corpus: Corpus, files: int, memory: Memory = FORGETFUL) -> Summary:
    rules = rule_totals(corpus, memory)
    return Summary(len(corpus.documents), files, rules, corpus.skipped, corpus.problems)


def read_inputs(input_dir: Path, memory: Memory = FORGETFUL) -> dict[str, bytes | None]:
    """Every input file's bytes by path in the folder (None for one that cannot be read), read once
    for both the up-to-date check and the reader. In a process that builds again (`memory`), a file
    whose size, times and inode are those it had when the last build read it is not read again."""
    root = os.fspath(input_dir)
    relatives = _all_files(input_dir)
    return {relative: _input_bytes(os.path.join(root, relative), memory) for relative in relatives}


RECENT_NS = 2_000_000_000
"""A file changed this recently when it was read may change again within its clock's tick, leaving
its size and times as they were: it is read again next time whatever they say."""


def _input_bytes(path: str, memory: Memory) -> bytes | None:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    signature = (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev)
    last: tuple[tuple[int, ...], bytes] | None = memory.get("input file", path)
    if last is not None and last[0] == signature:
        data = last[1]
    else:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
    if time.time_ns() - found.st_mtime_ns > RECENT_NS:
        memory.put("input file", path, (signature, data))
    return data


def inputs_key(
    contents: Mapping[str, bytes | None], settings: Settings, templates: Path | None, strict: bool
) -> str:
    """A digest of everything a site depends on: each input file's path and bytes (`read_inputs`),
    the settings, the templates (the user's and the default theme) and the tool (its code and the
    versions of the libraries that shape its results, `cache.tool_digest`)."""
    digest = hashlib.sha256()
    digest.update(json.dumps([tool_digest(), asdict(settings), strict], sort_keys=True).encode())
    for relative, data in contents.items():
        digest.update(b"\0" + relative.encode() + b"\0")
        digest.update(data or b"")
    digest.update(theme_digest(templates).encode())
    return digest.hexdigest()


def _all_files(root: Path) -> list[str]:
    """The input files by path relative to root: the documents, and what describes or configures them."""
    found = discover(root)
    extra = [name for name in ("README.md", "corpus-site.toml") if (root / name).is_file()]
    return sorted([*found.paths, *extra], key=lambda relative: relative.split("/"))


def _pages_in_output(recorded: dict[str, Any], output_dir: Path) -> dict[str, str]:
    """The keys the last build recorded for its pages, of those whose file is still there."""
    pages = recorded.get("pages")
    if not isinstance(pages, dict):
        return {}
    present = plain_files(output_dir)
    return {path: key for path, key in pages.items() if isinstance(key, str) and path in present}


def _page_count(paths: Iterable[str]) -> int:
    """Pages among keyed outputs (a document's downloads are keyed too)."""
    return sum(map(urls.is_page, paths))


def _summary_record(summary: Summary) -> dict[str, Any]:
    record = asdict(summary)
    record["problems"] = [
        {"path": p.path, "message": p.message, "line": p.line, "severity": p.severity.value}
        for p in summary.problems
    ]
    return record


def _summary_if_current(recorded: dict[str, Any], key: str, output_dir: Path) -> Summary | None:
    """The last build's summary when it was made from these very inputs and its site is there."""
    if recorded.get("inputs") != key or not (output_dir / urls.INDEX).is_file():
        return None
    record = recorded["summary"]
    problems = [
        Problem(p["path"], p["message"], p["line"], Severity(p["severity"])) for p in record["problems"]
    ]
    return Summary(record["documents"], record["files"], record["rules"], record["skipped"], problems)

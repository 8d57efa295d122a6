"""The command line; the only module that prints."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from corpus_site import __version__
from corpus_site.build import BuildResult, build
from corpus_site.cache import Memory, default_cache_dir
from corpus_site.errors import BuildFailed, CorpusSiteError
from corpus_site.model import Problem, Severity
from corpus_site.variants import DEFAULT_TRADITIONAL, TRADITIONAL_CONFIGS
from corpus_site.workers import default_jobs
from corpus_site.writer import discard_spares, written_folders

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES = """\b
Exit status:
  0  the site was built (warnings, if any, are printed)
  1  the build failed: bad arguments, an output folder it may not replace,
     no document left, or any problem under --strict
  2  usage error"""


CHECK_EXIT_CODES = """\b
Exit status:
  0  no errors (warnings, if any, are printed)
  1  some file cannot be built, or any warning under --strict
  2  usage error (such as a missing input folder)"""

SERVE_EXIT_CODES = """\b
Exit status:
  0  stopped with Ctrl-C
  1  no site to serve, or the port cannot be opened
  2  usage error"""


def _print_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _summary(result: BuildResult, output: Path) -> str:
    summary = result.summary
    rules = ", ".join(f"{rule} {count}" for rule, count in summary.rules.items()) or "none"
    done = "Up to date:" if result.up_to_date else "Built"
    lines = [
        f"{done} {summary.documents} document(s) in {output} ({summary.files} files).",
        f"Cleaning rules fired: {rules}.",
    ]
    if summary.skipped:
        lines.append(f"Skipped {len(summary.skipped)} file(s):")
        lines += [f"  {path}: {reason}" for path, reason in summary.skipped.items()]
    if summary.problems:
        lines.append(f"{len(summary.problems)} warning(s) or error(s) above; details in report.json.")
    return "\n".join(lines)


class _ProgressLine:
    """One line on standard error, rewritten as a long stage advances; silent unless a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.enabled:
            width = 30
            filled = width * done // max(total, 1)
            click.echo(
                f"\r{stage:<7} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", err=True, nl=False
            )
            self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("\r\033[K", err=True, nl=False)


def _input_option(help: str, **path: bool) -> Callable[[F], F]:
    """`--input DIR`, the folder of documents, as every command takes it."""
    return click.option(
        "--input",
        "input_dir",
        type=click.Path(path_type=Path, **path),
        default=Path("seeds"),
        show_default=True,
        help=help,
    )


def _output_option(help: str) -> Callable[[F], F]:
    """`--output DIR`, the site folder, as every command takes it."""
    return click.option(
        "--output",
        "output_dir",
        type=click.Path(path_type=Path),
        default=Path("build"),
        show_default=True,
        help=help,
    )


def _jobs_option() -> Callable[[F], F]:
    """`--jobs N`, the worker processes of a build (or of `serve --watch`'s rebuilds)."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(1),
        default=None,
        help="Worker processes for the per-document stages  [default: all cores]",
    )


def _templates_option(help: str) -> Callable[[F], F]:
    return click.option("--templates", type=click.Path(path_type=Path), default=None, help=help)


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="corpus-site")
def cli() -> None:
    """Turn a folder of scraped Chinese documents into a clean, indexed static website."""


@cli.command("build", epilog=EXIT_CODES)
@_input_option("Folder of source documents.")
@_output_option("Folder to write the site into (replaced only if corpus-site made it).")
@_templates_option("Folder of templates overriding the default theme by name.")
@click.option(
    "--base-url",
    default=None,
    help="Public URL of the site (http or https), for sitemap.xml; links stay relative.",
)
@click.option(
    "--traditional",
    type=click.Choice(TRADITIONAL_CONFIGS),
    default=None,
    help=f"OpenCC conversion for the 繁體 pages  [default: {DEFAULT_TRADITIONAL}]",
)
@click.option("--title", default=None, help="The site's name  [default: 文献库]")
@click.option("--strict", is_flag=True, help="Fail, writing nothing, on any warning.")
@_jobs_option()
@click.option("--force", is_flag=True, help="Rebuild even when the site is up to date.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder for per-document results, never inside the output  [default: .corpus-site-cache beside it]",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the per-document cache.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--verbose", "-v", is_flag=True, help="Also print the time each stage took.")
def build_command(
    input_dir: Path,
    output_dir: Path,
    templates: Path | None,
    base_url: str | None,
    traditional: str | None,
    title: str | None,
    strict: bool,
    jobs: int | None,
    force: bool,
    cache_dir: Path | None,
    no_cache: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the site from INPUT into OUTPUT.

    Settings may also come from INPUT/corpus-site.toml (keys title, traditional, base_url, about);
    options given here win. The about page shows INPUT/README.md unless `about` names another file.
    """
    progress = _ProgressLine(enabled=not quiet and sys.stderr.isatty())
    try:
        result = build(
            input_dir,
            output_dir,
            templates,
            strict,
            jobs=jobs or default_jobs(),
            force=force,
            cache_dir=cache_dir,
            use_cache=not no_cache,
            progress=progress,
            base_url=base_url,
            traditional=traditional,
            title=title,
        )
    except BuildFailed as failure:
        progress.close()
        _print_problems(failure.problems)
        raise
    progress.close()
    _print_problems(result.summary.problems)
    if not quiet:
        click.echo(_summary(result, output_dir))
    if verbose:
        stages = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.timings.items())
        click.echo(
            f"Stages: {stages}; {result.cached} per-document result(s) from the cache; "
            f"{result.pages_kept} of {result.pages} page(s) kept as they were."
        )


@cli.command("check", epilog=CHECK_EXIT_CODES)
@_input_option("Folder of source documents.", exists=True, file_okay=False)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check_command(input_dir: Path, strict: bool) -> None:
    """Report a corpus's problems without building: one line per problem, `file:line: severity: what`."""
    from corpus_site.check import check_corpus  # the reading stages load only for this command

    corpus, problems = check_corpus(input_dir)
    _print_problems(problems)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    click.echo(
        f"{len(corpus.documents)} document(s) would build; "
        f"{errors} error(s), {len(problems) - errors} warning(s).",
        err=True,
    )
    if errors or (strict and problems):
        raise SystemExit(1)


@cli.command("serve", epilog=SERVE_EXIT_CODES)
@_output_option("The built site to serve.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default)."
)
@click.option(
    "--watch", is_flag=True, help="Rebuild from --input when a document or template changes; reload pages."
)
@_input_option("Folder of source documents (with --watch).")
@_templates_option("Templates folder (with --watch).")
@_jobs_option()
@click.option("--quiet", "-q", is_flag=True, help="Do not log requests.")
def serve_command(
    output_dir: Path,
    port: int,
    host: str,
    watch: bool,
    input_dir: Path,
    templates: Path | None,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Serve the built site for preview: only its own files, never a folder listing."""
    from corpus_site import serve  # the HTTP modules load only for this command

    reloads = serve.Reloads() if watch else None
    jobs = jobs or default_jobs()
    memory = Memory()  # what one rebuild keeps for the next
    unsaved = _UnsavedCache()
    stop, ready = threading.Event(), threading.Event()
    watcher: threading.Thread | None = None
    if reloads is not None:
        # Watching starts before the first build, so that an edit made while it runs is not missed.
        rebuild = functools.partial(_rebuild, input_dir, output_dir, templates, jobs, memory, unsaved)
        watching = threading.Event()
        watched = [input_dir, *([templates] if templates else [])]
        when_quiet = functools.partial(_quiet, unsaved, memory, stop)
        written = [*written_folders(output_dir), default_cache_dir(output_dir)]
        arguments = (watched, rebuild, stop, reloads, watching, ready, when_quiet, written)
        watcher = threading.Thread(target=serve.watch, args=arguments, daemon=True)
        watcher.start()
        while watcher.is_alive() and not watching.wait(0.05):
            pass
        # Its cache saved before serving: edits made at once are not kept waiting by that save.
        _rebuild(input_dir, output_dir, templates, jobs, memory, None, None)
        # A full collection now, over the millions of objects that build left: otherwise the first
        # one comes during the first edit's rebuild (0.16 s on 2,000 documents), and later ones,
        # measured against that many objects, seldom come at all.
        gc.collect()
        ready.set()
    elif not (output_dir / "index.html").is_file():
        raise CorpusSiteError(f"{output_dir}: no site here; run `corpus-site build` first (or use --watch)")
    try:
        server = serve.make_server(output_dir, host, port, reloads, quiet)
    except OSError as error:
        stop.set()
        raise CorpusSiteError(f"cannot listen on {host}:{port}: {error.strerror}") from error
    click.echo(f"Serving {output_dir} at http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)")
    # Stopped with Ctrl-C or SIGTERM, the server saves its cache and tidies up (the old site its
    # rebuilds keep); killed, it leaves that to the next build. Its worker processes take SIGTERM's
    # default back (`workers`), so that their pool can still end them.
    default_termination = signal.signal(signal.SIGTERM, _interrupted)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, default_termination)  # a second SIGTERM ends it at once
        stop.set()
        server.server_close()
        if watcher is not None:
            watcher.join()  # a rebuild under way ends first
            discard_spares()


def _interrupted(signal_number: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _rebuild(
    input_dir: Path,
    output_dir: Path,
    templates: Path | None,
    jobs: int,
    memory: Memory,
    unsaved: _UnsavedCache | None,
    published: Callable[[], None] | None,
) -> None:
    started = time.perf_counter()
    try:
        result = build(
            input_dir,
            output_dir,
            templates,
            jobs=jobs,
            memory=memory,
            published=published,
            save_later=unsaved.leave if unsaved is not None else None,
        )
    except CorpusSiteError as error:
        click.echo(f"rebuild failed: {error.format_message()}", err=True)
        return
    _print_problems(result.summary.problems)
    seconds = time.perf_counter() - started
    state = "Up to date" if result.up_to_date else "Rebuilt"
    click.echo(f"{state}: {result.summary.documents} document(s) in {seconds:.2f} s.")


WARM_SECONDS = 0.05
"""How long a server works, each time its inputs have been quiet a while, on what its next rebuild
may need: an edit saved meanwhile waits no longer than that."""


def _quiet(unsaved: _UnsavedCache, memory: Memory, stop: threading.Event) -> None:
    """What a server does while its inputs are quiet: save the cache its last build left unsaved,
    then, a little at a time, work that its next rebuild may need (`analyze.warm`)."""
    unsaved.save()
    if not stop.is_set():
        from corpus_site.analyze import warm  # loaded by the first build already

        warm(memory, WARM_SECONDS)


class _UnsavedCache:
    """The cache save a server's last build left for when its inputs are quiet: edits made one
    after the other are rebuilt without waiting for it."""

    def __init__(self) -> None:
        self._save: Callable[[], None] | None = None

    def leave(self, save: Callable[[], None]) -> None:
        self._save = save

    def save(self) -> None:
        save, self._save = self._save, None
        if save is None:
            return
        try:
            save()
        except OSError as error:  # the site is served all the same; the next save tries again
            click.echo(f"cache not saved: {error}", err=True)


def main() -> None:
    """The `corpus-site` command. Its process ends without tearing the interpreter down (freeing the
    segmenter's and OpenCC's dictionaries, a last garbage collection), which takes a fifth of a
    second after rebuilding 2,000 documents: by then every file is written and closed, and worker
    pools are shut; the output streams are flushed first. Under a profiler or a tracer (cProfile,
    pyinstrument, coverage), which write their results as the interpreter ends, it ends as usual."""
    try:
        cli(prog_name="corpus-site")
        status: int | str | None = 0
    except SystemExit as done:
        status = done.code
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)
    if isinstance(status, str):  # as the interpreter does with such a status
        click.echo(status, err=True)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can reach it
            stream.flush()
    os._exit(status or 0)

"""Per-document stages spread over worker processes, with results in input order.

Results are identical to a one-process run: each item is handled by the same pure function, and
`parallel_map` returns results in the order of its items. Workers are forked, so they start with
everything the parent has loaded (the segmenter's dictionary, OpenCC, the corpus being rendered),
the items included: only their indices travel to the workers, and only the results come back.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 8
"""Below this many items per worker, starting processes costs more than it saves."""


def default_jobs() -> int:
    """All the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parallel_map(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> list[Result]:
    """`[function(item) for item in items]`, over `jobs` forked processes when that pays."""
    return list(parallel_iter(function, items, jobs, progress))


def parallel_iter(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Result]:
    """`function(item)` for each item in order, as each is ready, so results need not all be held."""
    return _results(function, items, jobs, progress, announce=False)


def started(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Result]:
    """`parallel_iter`, whose workers start now rather than when its first result is asked for: this
    process does other work while they run."""
    results = _results(function, items, jobs, progress, announce=True)
    next(results)  # runs up to the start of the workers
    return results


_STARTED = object()


def _results(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None] | None,
    announce: bool,
) -> Iterator[Any]:
    """`parallel_iter`'s results, after `_STARTED` once the workers are at work if `announce`."""
    workers = min(jobs, len(items) // MIN_ITEMS_PER_WORKER)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        if announce:
            yield _STARTED
        for done, item in enumerate(items, 1):
            yield function(item)
            if progress and done % 50 == 0:
                progress(done)
        return
    chunk = max(1, min(64, len(items) // (workers * 8)))
    with _forked_pool(function, items, workers) as pool:
        results = pool.imap(_run_one, range(len(items)), chunksize=chunk)
        if announce:
            yield _STARTED
        for done, result in enumerate(results, 1):
            yield result
            if progress and done % 50 == 0:
                progress(done)


def finish(results: Iterator[Any]) -> None:
    """Run `parallel_iter`'s results to their end once all are taken, so that its workers are told
    to stop and end on their own (a pool dropped half-way is terminated instead)."""
    if next(results, _END) is not _END:
        raise ValueError("results were left over")


_END = object()


@contextmanager
def _forked_pool(
    function: Callable[[Any], Any], items: Sequence[Any], workers: int
) -> Iterator[multiprocessing.pool.Pool]:
    """Forked workers that run `_run_one(index)`: `function` on `items[index]`, both found in this
    module (only indices are sent)."""
    global _TASK
    _TASK = (function, items)
    # What exists now lives through the stage: kept out of garbage collections, in the workers (whose
    # collections would otherwise touch, and so copy, every inherited page) and in this process.
    # `build` unfreezes at its end.
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_default_termination)
    try:
        yield pool
        # Work done: the workers are told to stop, and end on their own. Terminating them (what the
        # pool's `with` does) takes the queue's lock first and sends SIGTERM, which a worker must not
        # ignore: one forked from a thread other than the main one never runs a Python handler.
        pool.close()
        # Waited for by a thread: a worker forked from a large process takes a while to end (its
        # memory is let go page by page), and nothing here needs it gone.
        threading.Thread(target=pool.join, name="corpus-site pool join", daemon=True).start()
    except BaseException:
        pool.terminate()
        raise
    finally:
        _TASK = None


_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _default_termination() -> None:
    """A worker ends on SIGTERM (its pool's `terminate`), whatever handler its parent set."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_one(index: int) -> Any:
    assert _TASK is not None
    function, items = _TASK
    return function(items[index])


def run_concurrently(tasks: Sequence[Callable[[], Any]], jobs: int) -> list[Any]:
    """`[task() for task in tasks]`, for a stage's independent corpus-wide steps: the first task runs
    in this process (its result, however large, need not come back from another), meanwhile the
    others run in up to `jobs` forked workers, in the order given. The steps are few and uneven, so
    one worker per core, beside this process, finishes sooner than leaving a core to this process."""
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [task() for task in tasks]
    with _forked_pool(_call, tasks, min(jobs, len(tasks) - 1)) as pool:
        others = pool.map_async(_run_one, range(1, len(tasks)), chunksize=1)
        first = tasks[0]()
        return [first, *others.get()]


def _call(task: Callable[[], Any]) -> Any:
    return task()

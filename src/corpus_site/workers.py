"""Per-document stages spread over worker processes, with results in input order.

Results are identical to a one-process run: each item is handled by the same pure function, and
`parallel_map` returns results in the order of its items. Workers are forked, so they start with
everything the parent has loaded (the segmenter's dictionary, OpenCC, the corpus being rendered),
the items included: only their indices travel to the workers, and only the results come back.
`parallel_iter` hands the items to a pool; `shared` (a rebuild's changed pages) has this process
take part, beside helpers that take the items in turn.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import multiprocessing
import multiprocessing.connection
import multiprocessing.pool
import multiprocessing.process
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any, TypeVar, cast

from corpus_site.errors import CorpusSiteError

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
    return _results(function, items, jobs, progress)


def shared(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Result]:
    """`parallel_iter`, for work this process takes a share of: `jobs - 1` forked helpers start now and
    take the items in turn, and this process, when it asks for a result that is not ready, takes
    the next item nobody took rather than wait. Made where it was made last, an item costs less in
    this process than in a helper, whose first touch of each inherited page copies it."""
    results = _shared_results(function, items, jobs, progress)
    next(results)  # runs up to the start of the helpers
    return results


@contextmanager
def made_aside(task: Callable[[], Result], jobs: int) -> Iterator[Callable[[], Result]]:
    """`task()` begun now by a forked helper, while this process goes on with other work: the block
    is handed the call that gives its result (or raises what it raised), which makes it here if the
    helper has not begun it by then. With one job, or where processes cannot be forked, that call
    makes it here. A helper whose result the block did not take is stopped."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield task
        return
    share = _Share(_call, [task], 1)
    try:
        yield lambda: cast(Result, share.result(0))
    except BaseException:
        share.stop()
        raise
    share.end()


_STARTED = object()


def _shared_results(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None] | None,
) -> Iterator[Any]:
    helpers = min(jobs, len(items) // MIN_ITEMS_PER_WORKER) - 1  # this process is one of the workers
    if helpers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield _STARTED
        yield from parallel_iter(function, items, 1, progress)
        return
    share = _Share(function, items, helpers)
    try:
        yield _STARTED
        yield from _reported(map(share.result, range(len(items))), progress)
    except BaseException:
        share.stop()
        raise
    share.end()


class _Share:
    """Items taken in turn, through a counter in shared memory, by forked helpers and by this
    process; the helpers' results come back through a pipe each, read by a thread here."""

    def __init__(self, function: Callable[[Any], Any], items: Sequence[Any], helpers: int) -> None:
        self._function, self._items = function, items
        context = multiprocessing.get_context("fork")
        self._next = context.Value("q", 0)
        self._done: dict[int, tuple[bool, Any]] = {}
        self._ready = threading.Condition()
        self._ended = False
        gc.freeze()  # as for a pool (`_forked_pool`); `build` unfreezes at its end
        self._helpers: list[multiprocessing.process.BaseProcess] = []
        readers: list[Connection] = []
        try:
            for _ in range(helpers):
                reader, writer = context.Pipe(duplex=False)
                _widen(writer)
                arguments = (function, items, self._next, writer, [*readers, reader])
                helper = context.Process(target=_help, args=arguments, name="corpus-site helper", daemon=True)
                helper.start()
                writer.close()  # the helper holds the only writing end: its exit ends the reading
                self._helpers.append(helper)
                readers.append(reader)
        except BaseException:  # no process left to fork: those started would wait on full pipes
            self.stop()
            raise
        receiving = threading.Thread(target=self._receive, args=(readers,), name="corpus-site results")
        receiving.daemon = True
        receiving.start()

    def result(self, index: int) -> Any:
        """The result for `items[index]`, made here if need be."""
        while True:
            with self._ready:
                if index in self._done:
                    return _outcome(self._done.pop(index))
            if (taken := _take(self._next, len(self._items), lost=self._lost)) is not None:
                made = _attempt(self._function, self._items[taken])
                if taken == index:
                    return _outcome(made)
                with self._ready:
                    self._done[taken] = made
                continue
            with self._ready:
                self._ready.wait_for(lambda: index in self._done or self._ended)
                if index not in self._done:
                    raise WorkerLost("a worker process ended before giving back its work (killed?)")

    def _lost(self) -> bool:
        """True when a helper has ended otherwise than by finishing its work."""
        return any(helper.exitcode not in (None, 0) for helper in self._helpers)

    def end(self) -> None:
        """Let the helpers, their work done, be waited for by a thread (see `_forked_pool`)."""
        threading.Thread(target=_join_all, args=(self._helpers,), daemon=True).start()

    def stop(self) -> None:
        """End the helpers now: the rest of the work is not wanted."""
        lock = self._next.get_lock()
        if lock.acquire(timeout=ORPHAN_CHECK_SECONDS):  # not when a helper died holding it
            try:
                self._next.value = len(self._items)
            finally:
                lock.release()
        for helper in self._helpers:
            helper.terminate()
        self.end()

    def _receive(self, readers: list[Connection]) -> None:
        while readers:
            for ready in multiprocessing.connection.wait(readers):
                reader = cast(Connection, ready)
                try:
                    index, made = reader.recv()
                except (EOFError, OSError):  # the helper ended
                    readers.remove(reader)
                    reader.close()
                    continue
                with self._ready:
                    self._done[index] = made
                    self._ready.notify_all()
        with self._ready:
            self._ended = True
            self._ready.notify_all()


PIPE_BYTES = 1 << 20
"""What a helper's pipe holds (the most Linux lets any process ask for): a helper goes on with its
next item while its last result waits there, rather than until the thread reading it gets a turn
from this busy process, 64 KiB at a time."""


def _widen(connection: Any) -> None:
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):
            fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _join_all(processes: list[multiprocessing.process.BaseProcess]) -> None:
    for process in processes:
        process.join()


class WorkerLost(CorpusSiteError):
    """A helper process ended (killed, out of memory) before giving back an item it took."""


def _take(
    counter: Any, count: int, parent: int | None = None, lost: Callable[[], bool] | None = None
) -> int | None:
    """The next item nobody took, counted as taken; in a helper, None once the process that forked
    it is gone (killed while it held the counter's lock, say). In the process that forked the
    helpers, WorkerLost once `lost` tells that one of them died: it may have held the lock, which
    would then never be released."""
    lock = counter.get_lock()
    while not lock.acquire(timeout=ORPHAN_CHECK_SECONDS):
        if parent is not None and os.getppid() != parent:
            return None
        if lost is not None and lost():
            raise WorkerLost("a worker process ended while the work was shared out (killed?)")
    try:
        index: int = counter.value
        if index >= count:
            return None
        counter.value = index + 1
    finally:
        lock.release()
    return index


ORPHAN_CHECK_SECONDS = 1.0
"""How often a process waiting for the counter's lock checks that the helper, or the process that
forked it, lives."""


def _attempt(function: Callable[[Any], Any], item: Any) -> tuple[bool, Any]:
    try:
        return True, function(item)
    except Exception as error:  # given back, and raised where the result is asked for
        return False, error


def _outcome(made: tuple[bool, Any]) -> Any:
    succeeded, value = made
    if not succeeded:
        raise value
    return value


def _help(
    function: Callable[[Any], Any],
    items: Sequence[Any],
    counter: Any,
    writer: Connection,
    readers: list[Connection],
) -> None:
    """A helper's life: take items until none is left, sending each result back."""
    _default_termination()
    # Ctrl-C reaches the whole process group: the process that forked the helper decides (a server
    # finishes its rebuild; a build stops its helpers with SIGTERM).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for reader in readers:  # inherited; held open here, a killed parent's pipe would never break
        reader.close()
    parent = os.getppid()
    try:
        while (index := _take(counter, len(items), parent)) is not None:
            made = _attempt(function, items[index])
            try:
                message = ForkingPickler.dumps((index, made))
            except Exception as error:  # a result or an error that does not pickle
                failure = RuntimeError(f"{type(error).__name__}: {error}")
                message = ForkingPickler.dumps((index, (False, failure)))
            writer.send_bytes(message)
    except BrokenPipeError:  # the results are no longer wanted, or their reader was killed
        pass
    finally:
        writer.close()


def _results(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None] | None,
) -> Iterator[Any]:
    workers = min(jobs, len(items) // MIN_ITEMS_PER_WORKER)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from _reported(map(function, items), progress)
        return
    chunk = max(1, min(64, len(items) // (workers * 8)))
    with _forked_pool(function, items, workers) as pool:
        yield from _reported(pool.imap(_run_one, range(len(items)), chunksize=chunk), progress)


def _reported(results: Iterable[Any], progress: Callable[[int], None] | None) -> Iterator[Any]:
    """`results` as they come, with `progress` told how many came, every 50."""
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

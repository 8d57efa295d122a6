"""Worker processes: results in the order of the work given, whatever process did it."""

from __future__ import annotations

import multiprocessing.pool
import os
import signal
import time
from functools import partial
from pathlib import Path

import pytest

from corpus_site import workers
from corpus_site.workers import finish, parallel_iter, parallel_map, run_concurrently, started


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * value


def test_concurrent_tasks_give_their_results_in_order() -> None:
    tasks = [partial(_pid_and, n) for n in range(5)]
    results = run_concurrently(tasks, jobs=2)
    assert [value for _, value in results] == [0, 1, 4, 9, 16]
    assert results[0][0] == os.getpid()  # the first task runs here
    assert {pid for pid, _ in results[1:]} != {os.getpid()}


def test_one_job_runs_every_task_here() -> None:
    results = run_concurrently([partial(_pid_and, n) for n in range(3)], jobs=1)
    assert results == [(os.getpid(), 0), (os.getpid(), 1), (os.getpid(), 4)]


def test_parallel_map_keeps_the_items_order() -> None:
    assert parallel_map(abs, list(range(-40, 40)), jobs=2) == [abs(n) for n in range(-40, 40)]


def test_results_taken_one_by_one_end_with_the_workers_stopped_not_killed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminated: list[object] = []
    monkeypatch.setattr(multiprocessing.pool.Pool, "terminate", lambda pool: terminated.append(pool))
    results = parallel_iter(abs, list(range(-40, 40)), jobs=2)
    taken = [next(results) for _ in range(80)]
    finish(results)
    assert taken == [abs(n) for n in range(-40, 40)]
    assert terminated == [] and workers._TASK is None


def test_finishing_results_not_all_taken_is_a_bug() -> None:
    results = parallel_iter(abs, list(range(-40, 40)), jobs=2)
    next(results)
    with pytest.raises(ValueError, match="left over"):
        finish(results)
    assert len(list(results)) == 78  # the rest, taken so the pool ends


def _touch(folder: str, n: int) -> int:
    with open(os.path.join(folder, str(n)), "w"):
        pass
    return n


def test_started_workers_work_before_their_first_result_is_asked_for(tmp_path: Path) -> None:
    results = started(partial(_touch, str(tmp_path)), list(range(40)), jobs=2)
    waited = 0.0
    while len(list(tmp_path.iterdir())) < 40 and waited < 30:
        time.sleep(0.05)
        waited += 0.05
    assert len(list(tmp_path.iterdir())) == 40  # all done, none asked for
    assert list(results) == list(range(40))


@pytest.mark.parametrize("jobs", [1, 2])
def test_started_work_gives_its_results_in_order(jobs: int) -> None:
    results = started(abs, list(range(-40, 40)), jobs=jobs)
    assert list(results) == [abs(n) for n in range(-40, 40)]
    assert workers._TASK is None


def _termination_handler(_: int) -> str:
    return repr(signal.getsignal(signal.SIGTERM))


def test_workers_end_on_sigterm_whatever_handler_their_parent_set() -> None:
    """A server handles SIGTERM to stop in order; its workers must not inherit that, or their pool
    could not end them."""
    previous = signal.signal(signal.SIGTERM, lambda number, frame: None)
    try:
        found = parallel_map(_termination_handler, list(range(32)), 2)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert set(found) == {repr(signal.SIG_DFL)}

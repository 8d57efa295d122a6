"""Worker processes: results in the order of the work given, whatever process did it."""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from corpus_site import workers
from corpus_site.workers import finish, made_aside, parallel_iter, parallel_map, run_concurrently, shared


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


def _slowly(value: int) -> tuple[int, int]:
    time.sleep(0.005)
    return os.getpid(), value


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_shared_work_gives_its_results_in_order(jobs: int) -> None:
    results = shared(abs, list(range(-40, 40)), jobs=jobs)
    assert list(results) == [abs(n) for n in range(-40, 40)]


def test_shared_work_is_done_here_too_while_a_result_is_not_ready() -> None:
    results = list(shared(_slowly, list(range(64)), jobs=2))
    assert [value for _, value in results] == list(range(64))
    assert os.getpid() in {pid for pid, _ in results}
    assert len({pid for pid, _ in results}) == 2


def test_shared_work_starts_in_helpers_before_a_result_is_asked_for(tmp_path: Path) -> None:
    results = shared(partial(_touch, str(tmp_path)), list(range(40)), jobs=2)
    waited = 0.0
    while len(list(tmp_path.iterdir())) < 40 and waited < 30:
        time.sleep(0.05)
        waited += 0.05
    assert len(list(tmp_path.iterdir())) == 40  # all done by the helper, none asked for
    assert list(results) == list(range(40))


def test_shared_work_with_few_items_forks_nothing() -> None:
    results = list(shared(_pid_and, list(range(workers.MIN_ITEMS_PER_WORKER * 2 - 1)), jobs=4))
    assert {pid for pid, _ in results} == {os.getpid()}


def _fails_on_seven(value: int) -> int:
    if value == 7:
        raise ValueError("seven")
    return value


def test_an_error_in_shared_work_is_raised_where_its_result_is_taken() -> None:
    results = shared(_fails_on_seven, list(range(40)), jobs=2)
    assert [next(results) for _ in range(7)] == list(range(7))
    with pytest.raises(ValueError, match="seven"):
        next(results)


def _dies_in_a_helper(parent: int, value: int) -> int:
    if os.getpid() != parent:
        os._exit(1)
    time.sleep(0.005)  # long enough for the helper to take an item
    return value


def test_a_helper_that_dies_does_not_leave_its_item_waited_for_forever() -> None:
    results = shared(partial(_dies_in_a_helper, os.getpid()), list(range(40)), jobs=2)
    with pytest.raises(workers.WorkerLost):
        list(results)


def test_a_helper_killed_holding_the_shared_counter_is_an_error_not_a_hang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    take = workers._take

    def dies_holding_it_in_a_helper(
        counter: Any, count: int, parent: int | None = None, lost: Callable[[], bool] | None = None
    ) -> int | None:
        if parent is None:  # this process takes items as before
            return take(counter, count, parent, lost)
        counter.get_lock().acquire()
        os.kill(os.getpid(), signal.SIGKILL)
        return None

    monkeypatch.setattr(workers, "_take", dies_holding_it_in_a_helper)  # the helpers fork with it
    results = shared(_slowly, list(range(400)), jobs=2)
    outcome: list[BaseException] = []

    def take_all() -> None:
        try:
            list(results)
        except BaseException as error:
            outcome.append(error)

    taker = threading.Thread(target=take_all, daemon=True)
    taker.start()
    taker.join(30)
    assert not taker.is_alive(), "waited for a lock a dead helper holds"
    assert outcome and isinstance(outcome[0], workers.WorkerLost)


def _made_by(started: Path) -> int:
    started.touch()
    return os.getpid()


def _fails() -> int:
    raise ValueError("made aside")


def test_work_made_aside_is_made_by_a_helper_meanwhile_or_here_with_one_job(tmp_path: Path) -> None:
    started = tmp_path / "started"
    with made_aside(partial(_made_by, started), jobs=2) as result:
        deadline = time.monotonic() + 10
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)  # this process does other work meanwhile
        assert started.exists() and result() != os.getpid()
    with made_aside(partial(_made_by, tmp_path / "here"), jobs=1) as result:
        assert not (tmp_path / "here").exists()  # made only when asked for
        assert result() == os.getpid()
    with made_aside(_fails, jobs=2) as result, pytest.raises(ValueError, match="made aside"):
        result()


def test_work_made_aside_whose_result_is_not_taken_is_stopped() -> None:
    with pytest.raises(RuntimeError), made_aside(partial(time.sleep, 30), jobs=2):
        raise RuntimeError("the build failed")
    time.sleep(0.2)
    helpers = [p for p in multiprocessing.active_children() if p.name == "corpus-site helper"]
    assert not [p for p in helpers if p.is_alive()]


def test_shared_work_dropped_half_way_ends_its_helpers() -> None:
    results = shared(_slowly, list(range(4000)), jobs=2)  # 20 s of work, were it all done
    next(results)
    helpers = [p for p in multiprocessing.active_children() if p.name == "corpus-site helper"]
    results.close()  # type: ignore[attr-defined]
    waited = 0.0
    while any(helper.is_alive() for helper in helpers) and waited < 10:
        time.sleep(0.05)
        waited += 0.05
    assert helpers and not any(helper.is_alive() for helper in helpers)


def _pid_and_signal_handlers(_: int) -> tuple[int, str, str]:
    time.sleep(0.002)
    return os.getpid(), repr(signal.getsignal(signal.SIGTERM)), repr(signal.getsignal(signal.SIGINT))


def test_helpers_end_on_sigterm_and_leave_ctrl_c_to_the_process_that_forked_them() -> None:
    """A server finishes its rebuild on Ctrl-C, which reaches every process of its group: the
    helpers must not die of it, nor keep a SIGTERM handler their pool could not end them with."""
    previous = signal.signal(signal.SIGTERM, lambda number, frame: None)
    try:
        found = list(shared(_pid_and_signal_handlers, list(range(64)), 2))
    finally:
        signal.signal(signal.SIGTERM, previous)
    in_helpers = {(term, interrupt) for pid, term, interrupt in found if pid != os.getpid()}
    assert in_helpers == {(repr(signal.SIG_DFL), repr(signal.SIG_IGN))}


def _unpicklable_in_a_helper(parent: int, value: int) -> object:
    time.sleep(0.005)  # long enough for the helper to take items
    return value if os.getpid() == parent else (lambda: value)


def test_a_result_that_cannot_come_back_from_a_helper_is_an_error_not_a_hang() -> None:
    results = shared(partial(_unpicklable_in_a_helper, os.getpid()), list(range(64)), jobs=2)
    with pytest.raises(RuntimeError, match="pickle"):
        list(results)


_KILLED_PARENT = """
import multiprocessing, os, signal, sys, time
from corpus_site.workers import shared

def slow(n):
    time.sleep(0.05)
    return b"x" * 400_000  # a few results fill the pipe: a helper then waits on it

results = shared(slow, list(range(400)), jobs=2)
time.sleep(0.5)
print(*[p.pid for p in multiprocessing.active_children()], flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_helpers_of_a_killed_process_end_rather_than_wait_forever() -> None:
    """A build killed (SIGKILL) while helpers render its pages: their pipe breaks, and they end."""
    process = subprocess.Popen([sys.executable, "-c", _KILLED_PARENT], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    helpers = [int(pid) for pid in process.stdout.readline().split()]
    process.wait(30)
    try:
        waited = 0.0
        while any(map(_running, helpers)) and waited < 10:
            time.sleep(0.05)
            waited += 0.05
        assert helpers and not any(map(_running, helpers))
    finally:
        for pid in filter(_running, helpers):
            os.kill(pid, signal.SIGKILL)
        process.stdout.close()

"""ruff and mypy run as part of the tests, so CI checks style and types too."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True)


def test_ruff_lint() -> None:
    done = _run(sys.executable, "-m", "ruff", "check", "src", "tests", "bench", "scripts")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format() -> None:
    done = _run(sys.executable, "-m", "ruff", "format", "--check", "src", "tests", "bench", "scripts")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict() -> None:
    done = _run(sys.executable, "-m", "mypy")
    assert done.returncode == 0, done.stdout + done.stderr

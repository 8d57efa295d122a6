"""Measure how well the loader recovers damaged documents whose clean text is known.

    python bench/accuracy.py [--documents 300] [--seed 1]

Generates articles from bench/damage.py's word lists, damages them (web-page and doc-share
layouts, pinyin, commas, stray spaces, both scripts, five encodings), writes them to a temporary
folder, reads that folder like a build does, and prints text, title, date, author and source
accuracy. Text accuracy is 1 - (characters edited / clean characters) on the canonical text, with
the edits counted from difflib's opcodes (an upper bound on the edit distance).
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from damage import Article, damaged_file, make_article, to_script

from corpus_site.convert import to_simplified
from corpus_site.reader import read_corpus


def edits(a: str, b: str) -> int:
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    clean: dict[str, Article] = {}
    stating: set[str] = set()
    with tempfile.TemporaryDirectory() as folder:
        for index in range(args.documents):
            article = make_article(rng)
            name = f"doc{index:05d}.txt"
            traditional = rng.random() < 0.4
            damaged = damaged_file(to_script(article, traditional), rng, traditional)
            (Path(folder) / name).write_bytes(damaged.data)
            clean[name] = article
            if damaged.states_metadata:
                stating.add(name)
        corpus = read_corpus(Path(folder))
    documents = {d.source_file: d for d in corpus.documents}
    chars = edited = 0
    hits = {"title": 0, "date": 0, "author": 0, "source": 0}
    stated = {"date": 0, "author": 0, "source": 0}
    for name, article in clean.items():
        truth = "\n".join(article.paragraphs)
        chars += len(truth)
        document = documents.get(name)
        if document is None:
            edited += len(truth)
            continue
        edited += edits(truth, "\n".join(p.text for p in document.paragraphs))
        hits["title"] += document.metadata.title == to_simplified(article.title)
        if name in stating:
            for key in stated:
                stated[key] += 1
            hits["date"] += document.metadata.date == article.date
            hits["author"] += document.metadata.author == article.author
            hits["source"] += document.metadata.source == article.source
    print(f"documents: {len(clean)} generated, {len(documents)} built, {len(corpus.skipped)} skipped")
    print(f"text: {100 * (1 - edited / chars):.3f}% of {chars} characters")
    print(f"titles: {100 * hits['title'] / len(clean):.1f}%")
    for key, count in stated.items():
        print(
            f"{key}s (where the page states them, {count} documents): {100 * hits[key] / max(count, 1):.1f}%"
        )


if __name__ == "__main__":
    main()

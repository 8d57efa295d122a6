"""A golden document page: the rendered HTML of a small damaged file, compared byte for byte.

Set CORPUS_SITE_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then review
the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus_site.analyze import analyze
from corpus_site.reader import read_corpus
from corpus_site.render import render_site

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("page", ["docs/sample.html", "index.html", "corpus.jsonl"])
def test_golden_output(page: str) -> None:
    corpus = read_corpus(GOLDEN / "input")
    files = render_site(corpus, analyze(corpus))
    expected = GOLDEN / "output" / page
    if os.environ.get("CORPUS_SITE_UPDATE_GOLDEN"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_bytes(files[page])
    assert files[page].decode("utf-8") == expected.read_text(encoding="utf-8")

"""The build as explicit stages: read (decode, clean, convert) → render → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus_site.analyze import analyze
from corpus_site.errors import BuildFailed, CorpusSiteError
from corpus_site.model import Corpus
from corpus_site.reader import read_corpus
from corpus_site.render import render_site
from corpus_site.settings import load_settings
from corpus_site.writer import check_output, write_site


@dataclass(slots=True, frozen=True)
class BuildResult:
    """What a build made."""

    corpus: Corpus
    """The documents and problems."""
    files: int
    """Files written."""


def build(
    input_dir: Path,
    output_dir: Path,
    templates: Path | None = None,
    strict: bool = False,
    **overrides: Any,
) -> BuildResult:
    """Build the site for `input_dir` into `output_dir`; check everything before writing anything.

    `overrides` are settings given on the command line (`base_url`, `traditional`, `title`).
    """
    if not input_dir.is_dir():
        raise CorpusSiteError(f"{input_dir}: input folder not found")
    if templates is not None and not templates.is_dir():
        raise CorpusSiteError(f"{templates}: templates folder not found")
    settings = load_settings(input_dir, **overrides)
    check_output(output_dir)
    corpus = read_corpus(input_dir)
    if strict and corpus.problems:
        raise BuildFailed(
            f"{len(corpus.problems)} problem(s) with --strict; nothing written", corpus.problems
        )
    if not corpus.documents:
        raise BuildFailed(f"{input_dir}: no document could be built; nothing written", corpus.problems)
    files = render_site(corpus, analyze(corpus), settings, templates)
    write_site(files, output_dir)
    return BuildResult(corpus, len(files))

"""The build as explicit stages: read (decode, clean, convert) → render → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpus_site.errors import BuildFailed, CorpusSiteError
from corpus_site.model import Corpus
from corpus_site.reader import read_corpus
from corpus_site.render import render_site
from corpus_site.writer import check_output, write_site


@dataclass(slots=True, frozen=True)
class BuildResult:
    """What a build made."""

    corpus: Corpus
    """The documents and problems."""
    files: int
    """Files written."""


def build(
    input_dir: Path, output_dir: Path, templates: Path | None = None, strict: bool = False
) -> BuildResult:
    """Build the site for `input_dir` into `output_dir`; check everything before writing anything."""
    if not input_dir.is_dir():
        raise CorpusSiteError(f"{input_dir}: input folder not found")
    if templates is not None and not templates.is_dir():
        raise CorpusSiteError(f"{templates}: templates folder not found")
    check_output(output_dir)
    corpus = read_corpus(input_dir)
    if strict and corpus.problems:
        raise BuildFailed(
            f"{len(corpus.problems)} problem(s) with --strict; nothing written", corpus.problems
        )
    if not corpus.documents:
        raise BuildFailed(f"{input_dir}: no document could be built; nothing written", corpus.problems)
    files = render_site(corpus, templates)
    write_site(files, output_dir)
    return BuildResult(corpus, len(files))

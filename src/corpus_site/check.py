"""`corpus-site check`: a corpus's problems, found without building anything.

Everything a build would warn about (encodings, empty, binary or boilerplate-only files, symlinks that
leave the folder), plus what a reader would miss: documents without a stated title or a date, and files
whose cleaned text is the same as another file's.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from corpus_site.model import Corpus, Problem, Severity
from corpus_site.reader import read_corpus


def document_problems(corpus: Corpus) -> list[Problem]:
    """Warnings about the documents that did build."""
    problems: list[Problem] = []
    first_with: dict[str, str] = {}
    for document in corpus.documents:
        path, first_line = document.source_file, document.paragraphs[0].line
        if document.metadata.title_inferred:
            problems.append(Problem(path, "no title stated; inferred from the first sentence", first_line))
        if document.metadata.date is None:
            problems.append(Problem(path, "no date found in the metadata or the opening of the text"))
        digest = hashlib.sha256("\n".join(p.text for p in document.paragraphs).encode()).hexdigest()
        if digest in first_with:
            problems.append(Problem(path, f"same text as {first_with[digest]}"))
        else:
            first_with[digest] = path
    return problems


def check_corpus(input_dir: Path) -> tuple[Corpus, list[Problem]]:
    """The corpus as a build would read it, and every problem, sorted by file and line."""
    corpus = read_corpus(input_dir)
    problems = [*corpus.problems, *document_problems(corpus)]
    problems.sort(key=lambda p: (p.path, p.line or 0, p.severity != Severity.ERROR, p.message))
    return corpus, problems

"""Find the document files of an input folder: sorted, hidden folders skipped, links leading outside
it reported and not followed. Kept apart from reading so that the up-to-date check stays light."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus_site.model import Problem

DOCUMENT_SUFFIXES = frozenset({".txt", ".text", ""})
NOT_DOCUMENTS = frozenset({"readme.md", "corpus-site.toml"})
"""Files beside the corpus that describe or configure it."""


@dataclass(slots=True, frozen=True)
class Found:
    """Candidate document files and the problems met while walking."""

    paths: tuple[str, ...]
    """Relative paths, sorted."""
    problems: tuple[Problem, ...]


def _walk(root: Path) -> Iterator[tuple[Path, bool]]:
    """Every file under root in sorted order, with whether it is a link leading outside root."""
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            path = Path(folder) / name
            outside = path.is_symlink() and not path.resolve().is_relative_to(real_root)
            yield path, outside


def discover(root: Path) -> Found:
    """The document files of an input folder, and why any others were passed over."""
    paths: list[str] = []
    problems: list[Problem] = []
    for path, outside in _walk(root):
        relative = path.relative_to(root).as_posix()
        if outside:
            problems.append(Problem(relative, "symbolic link to outside the input folder, not followed"))
        elif relative.lower() in NOT_DOCUMENTS:
            continue
        elif path.suffix.lower() not in DOCUMENT_SUFFIXES:
            problems.append(Problem(relative, f"skipped: not a text document ({path.suffix})"))
        else:
            paths.append(relative)
    return Found(tuple(paths), tuple(problems))

"""Find the document files of an input folder: sorted, hidden folders and sites corpus-site wrote
skipped, links leading outside it reported and not followed. Kept apart from reading so that the
up-to-date check stays light."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus_site.model import Problem
from corpus_site.urls import MARKER

DOCUMENT_SUFFIXES = frozenset({".txt", ".text", ""})
NOT_DOCUMENTS = frozenset({"readme.md", "corpus-site.toml"})
"""Files beside the corpus that describe or configure it."""


@dataclass(slots=True, frozen=True)
class Found:
    """Candidate document files and the problems met while walking."""

    paths: tuple[str, ...]
    """Relative paths, sorted."""
    problems: tuple[Problem, ...]


def _walk(root: Path) -> Iterator[tuple[str, bool]]:
    """Every file under root in sorted order, as a path relative to it, with whether it is a link
    leading outside root. Folders are walked as `os.walk` does (links to folders are not followed;
    a folder that cannot be read is passed over), with `os.scandir`'s entries: the names and kinds
    come with the listing, without a call to the system for each of thousands of files. A folder
    below root that holds a site corpus-site wrote (its marker file) is passed over whole."""
    real_root = root.resolve()
    folders = [(os.fspath(root), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        if prefix and any(entry.name == MARKER and not _is_folder(entry) for entry in entries):
            # a site built into a folder inside the input folder is no part of the corpus
            continue
        below = []
        for entry in entries:
            if _is_folder(entry):
                if not entry.is_symlink() and not entry.name.startswith(".") and entry.name != "__pycache__":
                    below.append((entry.path, f"{prefix}{entry.name}/"))
                continue
            yield prefix + entry.name, entry.is_symlink() and not _leads_into(entry.path, real_root)
        folders.extend(reversed(below))  # the first subfolder is walked next


def _leads_into(link: str, real_root: Path) -> bool:
    """True when a link's target lies under the (resolved) root folder; a link in a loop, which leads
    nowhere, counts as inside, and reading it reports the loop."""
    return Path(os.path.realpath(link)).is_relative_to(real_root)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _suffix(name: str) -> str:
    """`PurePath(name).suffix`, without making a path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def discover(root: Path) -> Found:
    """The document files of an input folder, and why any others were passed over."""
    paths: list[str] = []
    problems: list[Problem] = []
    for relative, outside in _walk(root):
        suffix = _suffix(relative.rpartition("/")[2])
        if outside:
            problems.append(Problem(relative, "symbolic link to outside the input folder, not followed"))
        elif relative.lower() in NOT_DOCUMENTS:
            continue
        elif suffix.lower() not in DOCUMENT_SUFFIXES:
            problems.append(Problem(relative, f"skipped: not a text document ({suffix})"))
        else:
            paths.append(relative)
    return Found(tuple(paths), tuple(problems))

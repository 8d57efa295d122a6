"""Document ids from file names: readable, URL-safe, unique, never transliterated."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

_UNSAFE = re.compile(r"[^\w\-]+", re.UNICODE)


def slug_of(relative_path: str) -> str:
    """`news/第 1 篇.txt` → `news-第-1-篇`; a name with nothing usable gives `document`."""
    path = PurePosixPath(relative_path)
    stem = str(path.with_suffix("")) if path.suffix.lower() in {".txt", ".text"} else str(path)
    slug = _UNSAFE.sub("-", stem.replace("/", "-")).strip("-_.").lower()
    return slug or "document"


def unique_ids(relative_paths: Iterable[str]) -> dict[str, str]:
    """An id per path; a clash gets `-2`, `-3`… in path order, so ids never depend on walk order."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for path in sorted(relative_paths):
        base = candidate = slug_of(path)
        count = 1
        while candidate in taken:
            count += 1
            candidate = f"{base}-{count}"
        taken.add(candidate)
        ids[path] = candidate
    return ids

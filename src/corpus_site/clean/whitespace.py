"""normalize_whitespace: one kind of space, no invisible characters, no indentation."""

from __future__ import annotations

import re

from corpus_site.clean.base import Context, Step, per_line
from corpus_site.model import Line

NAME = "normalize_whitespace"
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f]+")
_WIDE_SPACE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACES = re.compile(" {2,}")


def _fix(text: str) -> tuple[str, list[tuple[str, str]]]:
    changes = [(m.group(), "") for m in _INVISIBLE.finditer(text)]
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", _WIDE_SPACE.sub(" ", text)).strip()
    return text, changes


def normalize_whitespace(lines: tuple[Line, ...], context: Context) -> Step:
    """Drop invisible characters (noted), unify spaces, strip indentation and blank lines."""
    return per_line(NAME, _fix, lines)

"""normalize_whitespace: one kind of space, no invisible characters, no indentation.

An ideographic space between two phrases of a title or a heading stays, one of it: it separates
them as the page set them apart. So do two plain spaces or more between the columns of a short line.
"""

from __future__ import annotations

import re

from corpus_site.clean.base import HAN, Context, Step, per_line, sub_noting
from corpus_site.model import Line

NAME = "normalize_whitespace"
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f]+")
_WIDE_SPACE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACES = re.compile(" {2,}")


_PHRASE_SPACE = re.compile(f"(?<=[{HAN}])\u3000+(?=[{HAN}])")
"""An ideographic space between two phrases of a title or a heading (`全面推进乡村振兴　加快建设农业强县`),
which a stray space inside a word, always a plain one, does not look like."""
_COLUMN_GAP = re.compile(f"(?<=[{HAN}])[ \u00a0]{{2,}}(?=[{HAN}])")
"""Two plain spaces or more between two phrases of such a line: the gap between a table's columns
(`张伟  县委书记`), kept as one ideographic space; a stray space is a single one."""
_FIELD_KEY = re.compile(f"^\\s*[{HAN}]{{1,4}}[:：]")
"""A field's key (`標題：`), whose value may be a title of two phrases."""
MAX_PHRASED = 60
_SENTENCE_MARK = re.compile("[，。；！？、：,;!?:]")
"""Marks of a sentence, or of a line of fields (`作者：张三　来源：新华社`), where a space is a space."""


def _fix(text: str) -> tuple[str, list[tuple[str, str]]]:
    changes = [(m.group(), "") for m in _INVISIBLE.finditer(text)]
    text = _INVISIBLE.sub("", text)
    key = _FIELD_KEY.match(text)
    value = text[key.end() :] if key else text
    phrased = len(value.strip()) <= MAX_PHRASED and not _SENTENCE_MARK.search(value)
    if phrased:
        text = sub_noting(_COLUMN_GAP, "\u3000", text, changes)
    parts = _PHRASE_SPACE.split(text) if phrased else [text]
    text = "\u3000".join(_SPACES.sub(" ", _WIDE_SPACE.sub(" ", part)) for part in parts).strip()
    return text, changes


def normalize_whitespace(lines: tuple[Line, ...], context: Context) -> Step:
    """Drop invisible characters (noted), unify spaces, strip indentation and blank lines."""
    return per_line(NAME, _fix, lines)

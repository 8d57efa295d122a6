"""take_title_line: a first line that reads as a title becomes the title; a repeat of it goes."""

from __future__ import annotations

import re

from corpus_site.clean.base import HAN, Context, Step, squeeze
from corpus_site.model import Line, Note

NAME = "take_title_line"
MIN_TITLE = 4
MAX_TITLE = 60
_NOT_TITLE_END = tuple("，,；;：:、。.")
_HAS_HAN = re.compile(f"[{HAN}]")


def looks_like_title(text: str) -> bool:
    """A short line with Han text that ends no sentence and holds no full stop."""
    squeezed = squeeze(text)
    return (
        MIN_TITLE <= len(squeezed) <= MAX_TITLE
        and bool(_HAS_HAN.search(squeezed))
        and not squeezed.endswith(_NOT_TITLE_END)
        and "。" not in squeezed
    )


def _drop_repeat(lines: list[Line], title: str, notes: list[Note]) -> None:
    """Drop a body line that repeats the title, or cut the title off the front of the first line."""
    if not lines:
        return
    first = lines[0]
    if squeeze(first.text) == squeeze(title):
        notes.append(Note(NAME, first.number, first.text))
        del lines[0]
    elif first.text.startswith(title + " "):
        notes.append(Note(NAME, first.number, title + " "))
        lines[0] = Line(first.number, first.text[len(title) + 1 :])


def take_title_line(lines: tuple[Line, ...], context: Context) -> Step:
    """Take the first line as title when it reads as one; drop the body's repeat of a known title."""
    remaining = list(lines)
    notes: list[Note] = []
    fields: dict[str, str] = {}
    title = context.fields.get("title")
    if title is None and len(remaining) > 1 and looks_like_title(remaining[0].text):
        first = remaining.pop(0)
        notes.append(Note(NAME, first.number, first.text))
        title = fields["title"] = first.text
    if title:
        _drop_repeat(remaining, title, notes)
    return Step(tuple(remaining), tuple(notes), fields)

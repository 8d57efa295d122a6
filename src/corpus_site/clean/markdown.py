"""strip_markdown_marks: Markdown that a converter wrote for the page (`**一、加强领导**`,
`![图片](…/a.jpg)`, `[原文](https://…)`, `## 标题`) made plain text again.

A picture goes with its address; a link keeps its words; emphasis keeps what it stressed; a heading's
`#` marks go. Only whole marks count: a link or a picture needs its address (`[1]` and `【注】` stay),
emphasis its closing pair, and a heading's marks a space after them (a post's `#话题#` stays).
"""

from __future__ import annotations

import re

from corpus_site.clean.base import Changes, Context, Step, per_line, sub_noting
from corpus_site.model import Line

NAME = "strip_markdown_marks"
_TITLE = r'(?:\s+"[^"\n]*")?'
_PICTURE = re.compile(rf"!\[[^\[\]\n]{{0,100}}\]\([^()\s]{{1,500}}{_TITLE}\)")
_LINK = re.compile(
    rf"\[(?P<words>[^\[\]\n]{{1,200}})\]\((?:https?://|www\.|/|\./|\.\./|#)[^()\s]{{0,500}}{_TITLE}\)"
)
_EMPHASIS = re.compile(
    r"(?:^|(?<=[\s，。、；：！？“”‘’（）《》【】,.;:!?()\[\]]))"
    r"(?:\*\*(?P<words>[^*\s][^*\n]{0,199}?)\*\*|__(?P<underscored>[^_\s][^_\n]{0,199}?)__)"
)
"""Emphasis opened at the line's start or after a space or a punctuation mark: a name masked after
its surname (`张**同志、李**同志`) is no emphasis."""
_HEADING = re.compile(r"^\s*#{1,6}\s+(?=\S)")
_MARKS = ("*", "_", "[", "#")
"""What a line must hold for any of the patterns to find something."""


def _fix(text: str) -> tuple[str, Changes]:
    changes: Changes = []
    if not any(mark in text for mark in _MARKS):  # most lines: nothing to look for
        return text, changes
    text = sub_noting(_PICTURE, "", text, changes)
    text = sub_noting(_LINK, r"\g<words>", text, changes)
    text = sub_noting(_EMPHASIS, lambda m: m["words"] or m["underscored"], text, changes)
    text = sub_noting(_HEADING, "", text, changes)
    return (text.strip() if changes else text), changes


def strip_markdown_marks(lines: tuple[Line, ...], context: Context) -> Step:
    """Make Markdown's pictures, links, emphasis and heading marks plain text."""
    return per_line(NAME, _fix, lines)

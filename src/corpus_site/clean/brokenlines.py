"""join_broken_lines: a line that breaks off after a comma goes on in the next (`会议指出，` / `要…`).

No paragraph ends with a comma or an enumeration comma: a page that wrapped its text, or a copy
that kept the wrapping, left the rest of the sentence on the next line. A line that ends with a
colon (`各乡镇人民政府：`) or a semicolon stays, as it ends a salutation or an item, and so do the
lines of a poem, short and of one length. A line that starts with an item's number starts an item.

A page wrapped at a fixed width (a PDF's or a word processor's lines, copied as they were) leaves
lines as wide as each other that break off mid-sentence, without a comma: each goes on in the next.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from corpus_site.clean.base import HAN, NUMERALS, SENTENCE_CLOSE, Context, Step
from corpus_site.model import Line, Note

NAME = "join_broken_lines"
_OPEN_END = re.compile(r"[,，、]\s*$")
_CONTINUES = re.compile(rf"^\s*[{HAN}“‘《（(\d]")
_ITEM = re.compile(
    rf"^\s*(?:\d{{1,2}}\s?[、.．](?!\d)|[（(][{NUMERALS}\d]{{1,3}}[)）]|[{NUMERALS}]{{1,3}}、)"
)
"""A list's item number (`3、`, `（三）`, `三、`): a line that starts with one starts an item, whatever
ends the line above."""


VERSE_LINE = 12
"""The longest line of verse: a poem's lines, ending with commas, are short and of one length."""


_VERSE_LINE = re.compile(rf"[{HAN}]+[，,。！？!?；;]")
"""A line of a poem: characters, and the mark that ends the line; no figures, no enumeration comma."""


def _verse(first: str, second: str) -> bool:
    """True for two lines of a poem (`床前明月光，` / `疑是地上霜。`), which are as set, not broken."""
    first, second = first.strip(), second.strip()
    return (
        len(first) == len(second) <= VERSE_LINE
        and bool(_VERSE_LINE.fullmatch(first))
        and bool(_VERSE_LINE.fullmatch(second))
    )


MIN_WRAP = 20
"""Characters, at least, of a line a page wrapped at a fixed width (a heading is shorter)."""
WRAP_SLACK = 3
"""Characters by which two wrapped lines' lengths may differ: figures and Latin letters take half the
room of a character, and a mark is kept at a line's end, never at the start of the next."""
_SENTENCE_CLOSE = tuple(SENTENCE_CLOSE + "!?;:")


def _wrapped(lines: tuple[Line, ...]) -> set[int]:
    """Indexes of lines a page wrapped at a fixed width, mid-sentence: long, open at the end, followed
    at once by more text, and as long as another such line (within `WRAP_SLACK`): lines the page's
    width broke, not one long line by chance."""
    open_lines: dict[int, int] = {}  # index: length
    for index in range(len(lines) - 1):
        text, following = lines[index].text, lines[index + 1].text
        if (
            len(text.strip()) >= MIN_WRAP
            and not text.rstrip().endswith(_SENTENCE_CLOSE)
            and following.strip()
            and not _ITEM.match(text)
            and not _ITEM.match(following)
            # Fields one to a line (`留言时间：…` / `留言内容：…`) may be as long, and are no wrapping.
            and not _FIELD.match(text)
            and not _FIELD.match(following)
            # A title is as long, but holds no mark; a wrapped line without one goes on a wrapped line.
            and (_MARK.search(text) or index - 1 in open_lines)
        ):
            open_lines[index] = len(text.strip())
    counts = Counter(open_lines.values())
    return {
        index
        for index, length in open_lines.items()
        if sum(counts[near] for near in range(length - WRAP_SLACK, length + WRAP_SLACK + 1)) >= 2
    }


_FIELD = re.compile(rf"^\s*[{HAN}]{{1,6}}[:：]")
_MARK = re.compile(r"[，、。；：！？,;:!?“”（）()]")


@dataclass(slots=True)
class _Joined:
    """A line other lines are being joined to, kept in parts: joining many lines costs their length
    once, not once per line joined."""

    first: Line
    """The line the others are joined to."""
    parts: list[str]
    """Its text and each joined line's, in order."""
    joins: list[tuple[int, int]] = field(default_factory=list)
    """(offset in the joined text, source line number) of each line joined."""
    length: int = 0
    """Characters in `parts`."""

    def join(self, line: Line) -> None:
        head = self.parts[-1].rstrip()
        self.length -= len(self.parts[-1]) - len(head)
        self.parts[-1] = head
        self.joins.append((self.length, line.number))
        text = line.text.lstrip()
        self.parts.append(text)
        self.length += len(text)

    def line(self) -> Line:
        return Line(self.first.number, "".join(self.parts), (*self.first.joins, *self.joins))


def _goes_on(joined: _Joined, line: Line) -> bool:
    """True when the line goes on with the sentence the joined line breaks off after a comma."""
    end = joined.parts[-1]
    return bool(
        _OPEN_END.search(end)
        and _CONTINUES.match(line.text)
        and not _ITEM.match(line.text)
        and not (len(joined.parts) == 1 and _verse(end, line.text))
    )


def _last_with_text(joined: list[_Joined | Line]) -> tuple[int, _Joined] | None:
    """The last line with text so far, and where it is (blank lines may follow it)."""
    for index in range(len(joined) - 1, -1, -1):
        if isinstance(item := joined[index], _Joined):
            return index, item
    return None


def join_broken_lines(lines: tuple[Line, ...], context: Context) -> Step:
    """Join each line that ends with a comma, or that a page wrapped, to the text that goes on.

    Blank lines after a comma go; a wrapped line is joined to the line right after it."""
    joined: list[_Joined | Line] = []  # a line with text is a `_Joined`; a blank line is kept as it is
    notes: list[Note] = []
    wrapped = _wrapped(lines)
    for index, line in enumerate(lines):
        last = _last_with_text(joined)
        if last is not None and (index - 1 in wrapped or _goes_on(last[1], line)):
            notes.append(Note(NAME, line.number, "\n"))
            del joined[last[0] + 1 :]
            last[1].join(line)
        elif line.text.strip():
            joined.append(_Joined(line, [line.text], length=len(line.text)))
        else:
            joined.append(line)
    return Step(tuple(j.line() if isinstance(j, _Joined) else j for j in joined), tuple(notes))

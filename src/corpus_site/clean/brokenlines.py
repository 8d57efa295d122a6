"""join_broken_lines: a line that breaks off after a comma goes on in the next (`会议指出，` / `要…`).

No paragraph ends with a comma or an enumeration comma: a page that wrapped its text, or a copy
that kept the wrapping, left the rest of the sentence on the next line. A line that ends with a
colon (`各乡镇人民政府：`) or a semicolon stays, as it ends a salutation or an item, and so do the
lines of a poem, short and of one length. A line that starts with an item's number starts an item.
"""

from __future__ import annotations

import re

from corpus_site.clean.base import HAN, Context, Step, last_with_text
from corpus_site.model import Line, Note

NAME = "join_broken_lines"
_OPEN_END = re.compile(r"[,，、]\s*$")
_CONTINUES = re.compile(rf"^\s*[{HAN}“‘《（(\d]")
_NUMERAL = "一二三四五六七八九十"
_ITEM = re.compile(
    rf"^\s*(?:\d{{1,2}}\s?[、.．](?!\d)|[（(][{_NUMERAL}\d]{{1,3}}[)）]|[{_NUMERAL}]{{1,3}}、)"
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


def join_broken_lines(lines: tuple[Line, ...], context: Context) -> Step:
    """Join each line that ends with a comma to the next line when that line goes on with text.

    Blank lines between the two go."""
    joined: list[Line] = []
    notes: list[Note] = []
    for line in lines:
        last = last_with_text(joined)
        if (
            last is not None
            and _OPEN_END.search(joined[last].text)
            and _CONTINUES.match(line.text)
            and not _ITEM.match(line.text)
            and not _verse(joined[last].text, line.text)
        ):
            previous, head = joined[last], joined[last].text.rstrip()
            notes.append(Note(NAME, line.number, "\n"))
            del joined[last + 1 :]
            joined[last] = Line(
                previous.number, head + line.text.lstrip(), (*previous.joins, (len(head), line.number))
            )
        else:
            joined.append(line)
    return Step(tuple(joined), tuple(notes))

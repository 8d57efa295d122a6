"""split_run_on_text: text that lost its line breaks is split back into paragraphs.

Converters that flatten a document replace its line breaks with spaces. In a long line with
several such spaces, a space is a paragraph break when a sentence ends before it, an outline
marker (`一、` `（一）` `第一，` `一是`) or a salutation (`同志们：`) follows it, an outline heading
(`三、加强监测预警`) ends before it, a date closing the text follows it (and is then the document's
date), or it stands between two long runs of Han characters (headings); on the document's first
line, the first space breaks after a title (`某局召开会议 会议指出，…`). Other spaces are left to
remove_stray_spaces.

A converter may also drop the line breaks without leaving a space: in a long line whose outline
runs on after full stops (`…三点意见。一、清醒认识…。二、突出抓好…`), each heading marker after a
full stop opens a paragraph, and so does one after the colon that announces such an outline
(`通知如下：一、…`), and a first subheading run on after its heading (`一、主要成效（一）…`).
"""

from __future__ import annotations

import re

from corpus_site.clean.base import HAN, HAN_CHAR, NUMERALS, Context, Step, last_with_text
from corpus_site.dates import parse_date
from corpus_site.model import Line, Note

NAME = "split_run_on_text"
MIN_LENGTH = 100
"""Shorter lines are never split."""
MIN_BREAKS = 3
"""A line is run-on text only with at least this many breaking spaces."""
HEADING_RUN = 6
"""Han characters needed on both sides of a space for it to separate headings."""

OUTLINE_MARKER = re.compile(
    rf"[{NUMERALS}]+、|[（(]\s*[{NUMERALS}]+\s*[)）]|第[{NUMERALS}]+[，,、：:]|[{NUMERALS}]是|"
    r"(?:首先|其次|再次|最后)[，,]|\d{1,2}[、．]"
)
_SPACE = re.compile(r"\s+")
_SALUTATION = re.compile(rf"[{HAN}、]{{1,10}}[：:]")
_ADDRESSEES = re.compile(rf"(?:各[{HAN}、，,]{{1,24}}|[{HAN}、]{{0,8}}们)[：:]")
"""Whom a notice or a speech addresses, before its first sentence with no space after it:
`各乡镇：为做好…`, `同志们：今天…`."""
_HAN_RUN_END = re.compile(rf"[{HAN}]{{{HEADING_RUN}}}$")
# A heading's marker (`三、` `（三）`, not `三是` or `第三，`, which open sentences) and a few words.
# A heading may hold one comma between two phrases (`一、认清形势，增强责任感`).
_HEADING_PHRASE = r"[^\s，。；！？,;!?]"
_HEADING_END = re.compile(
    rf"(?:^|\s)(?:[{NUMERALS}]+、|[（(][{NUMERALS}]+[)）])"
    rf"(?:{_HEADING_PHRASE}{{4,20}}|{_HEADING_PHRASE}{{2,10}}[，,]{_HEADING_PHRASE}{{2,20}})$"
)
_CLOSING_DATE = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_HAN_RUN_START = re.compile(rf"^[{HAN}]{{{HEADING_RUN}}}")


# Every test below looks at most this far either side of a space. Slicing a window, not the rest of
# the line, keeps a 30,000-character run-on line linear instead of quadratic.
_WINDOW = 32


def _is_break_at(text: str, space: re.Match[str]) -> bool:
    before = text[max(0, space.start() - _WINDOW) : space.start()]
    after = text[space.end() : space.end() + _WINDOW]
    return bool(
        before.endswith(tuple("。！？；：…"))
        or re.search(r"[。！？；：…][”’」』]$", before)
        or OUTLINE_MARKER.match(after)
        or _SALUTATION.fullmatch(after.split(" ", 1)[0])
        or _ADDRESSEES.match(after)
        or (_HAN_RUN_END.search(before) and _HAN_RUN_START.match(after))
        or bool(_HEADING_END.search(before))
        or bool(_CLOSING_DATE.fullmatch(text, space.end()))
    )


_HEADING_AFTER_STOP = re.compile(rf"(?<=[。！？：])(?=[{NUMERALS}]{{1,3}}、|[（(][{NUMERALS}]{{1,3}}[)）])")
"""A heading marker after a full stop, or after a colon, which counts only in an outline that runs on
after full stops: `措施有：一、压实责任；二、…` is one sentence's list."""
MIN_HEADINGS = 2
"""Heading markers after full stops that make a long line an outline run on without spaces."""
_FIRST_SUBHEADING = re.compile(r"[（(]一[)）]")
_HEADING_BEFORE = re.compile(rf"(?:^|[。！？：\s])[{NUMERALS}]{{1,3}}、[^，。；！？,;!?\s（(]{{2,20}}$")
"""A heading of such an outline run on into its first subheading: `一、主要工作成效（一）经济…`."""


def _first_subheadings(text: str) -> list[tuple[int, int]]:
    return [
        (match.start(), match.start())
        for match in _FIRST_SUBHEADING.finditer(text)
        if _HEADING_BEFORE.search(text, max(0, match.start() - _WINDOW), match.start())
    ]


_TITLE_BEFORE = re.compile(r"[^\s，。；：！？,;:!?、]{4,60}")
"""A title opening a document's text, before the first space: Han words, no punctuation."""


def _opening_title_break(text: str) -> tuple[int, int] | None:
    """The first space of a document's first line, after its title (`某局召开会议 会议指出，…`)."""
    space = _SPACE.search(text)
    if space is None or not _TITLE_BEFORE.fullmatch(text, 0, space.start()):
        return None
    return space.span() if HAN_CHAR.search(text, 0, space.start()) else None


def _breaks(text: str, opening: bool = False) -> list[tuple[int, int]]:
    """Where the line breaks, as (start, end) spans: a space, or nothing before a heading marker;
    on the document's `opening` line, also the space after a title."""
    spaces = [space.span() for space in _SPACE.finditer(text) if _is_break_at(text, space)]
    if opening and (title := _opening_title_break(text)) and title not in spaces:
        spaces = sorted([title, *spaces])
    headings = [(match.start(), match.start()) for match in _HEADING_AFTER_STOP.finditer(text)]
    after_stops = sum(text[start - 1] != "：" for start, _ in headings)
    outline = headings + _first_subheadings(text) if after_stops >= MIN_HEADINGS else []
    return sorted((spaces if len(spaces) >= MIN_BREAKS else []) + outline)


def split_line(text: str, opening: bool = False) -> list[tuple[int, str]]:
    """The paragraphs of one run-on line with their offsets; the line itself when it is not run-on.
    The document's `opening` line may hold its title before the first space."""
    if len(text) < MIN_LENGTH:
        return [(0, text)]
    breaks = _breaks(text, opening)
    if not breaks:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    for begin, end in breaks:
        pieces.append((start, text[start:begin]))
        start = end
    pieces.append((start, text[start:]))
    return [(offset, piece) for offset, piece in pieces if piece.strip()]


def split_run_on_text(lines: tuple[Line, ...], context: Context) -> Step:
    """Split run-on lines into paragraphs, each keeping the source line number."""
    result: list[Line] = []
    notes: list[Note] = []
    fields: dict[str, str] = {}
    last = last_with_text(lines)
    first = next((n for n, line in enumerate(lines) if line.text.strip()), None)
    for index, line in enumerate(lines):
        pieces = split_line(line.text, opening=index == first)
        for offset, _ in pieces[1:]:
            removed = " " if line.text[offset - 1 : offset].isspace() else ""
            notes.append(Note(NAME, line.number, removed, "\n"))
        if index == last and len(pieces) > 1 and (closing := _closing_date(pieces[-1][1])):
            # The date that closes a notice is the document's date, as on a line of its own.
            notes.append(Note(NAME, line.line_at(pieces[-1][0]), pieces.pop()[1]))
            fields["date"] = closing
        result.extend(Line(line.line_at(offset), piece) for offset, piece in pieces)
    return Step(tuple(result), tuple(notes), fields)


def _closing_date(text: str) -> str | None:
    return parse_date(text) if _CLOSING_DATE.fullmatch(text.strip()) else None

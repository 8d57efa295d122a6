"""join_page_chunks: doc-share page chunks (`1、…`, `2、级党组织…`) joined back into running text,
and a sentence cut by a page number on a line of its own (`基` / `2` / `层党组织…`) joined again.

Doc-share sites prefix each page's text with its page number and `、`, and a page usually breaks
mid-word; a page's counter the site printed between two pages (`第 1 页 共 8 页`) goes when the pages
are joined across it. A numbered list looks alike, so the numbers must run 1, 2, 3… and most chunks
must end mid-sentence before the prefixes are taken for page breaks. A page number alone on a line
joins the lines around it only when the line before is prose that breaks off mid-sentence: a table's
cells, one to a line, are short. So does a page's running header or footer that a copy repeats on
every page (the title, or a line beside the pages' numbers): a short line found twice or more, one
of whose copies cuts a sentence; its other copies go too, but for one above the prose (the title).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Sequence

from corpus_site.clean.base import HAN, HAN_CHAR, SENTENCE_CLOSE, Context, Step, last_with_text, squeeze
from corpus_site.clean.docshare import header_lines
from corpus_site.clean.footers import is_page_number, is_watermark, page_counter
from corpus_site.clean.pinyin import strip_pinyin_at_end
from corpus_site.model import Line, Note

NAME = "join_page_chunks"
_PREFIX = re.compile(r"^\s*(\d{1,4})\s?([、.．])")
_DOC_SHARE_MARK = "、"
"""The mark doc-share sites put after a page's number. Others (`1.`) number a list as often, so
only chunks that mostly break off mid-sentence count as pages with them."""
_SENTENCE_END = tuple(SENTENCE_CLOSE)


def _chunk_indexes(lines: tuple[Line, ...]) -> list[int]:
    """Indexes of lines whose prefixes count 1, 2, 3… in order, as long as the count holds; or
    2, 3… when the first page was copied without its number."""
    indexes: list[int] = []
    mark = None
    first = 1
    for index, line in enumerate(lines):
        match = _PREFIX.match(line.text)
        if not match or match[2] != (mark or match[2]):
            continue
        number = int(match[1])
        if not indexes and number == 2:
            first = 2
        if number == len(indexes) + first:
            indexes.append(index)
            mark = match[2]
    return indexes


def _prefix(text: str) -> re.Match[str]:
    """The page prefix of a line `_chunk_indexes` found."""
    match = _PREFIX.match(text)
    assert match is not None
    return match


def _ends_mid_sentence(text: str) -> bool:
    return not strip_pinyin_at_end(text.rstrip()).endswith(_SENTENCE_END)


MIN_PAGE_CHUNK = 40
"""Characters of a chunk's last line that make its break a page's, wherever it ends."""
_SENTENCE_INSIDE = re.compile(r"[。！？!?]\s*\S")
_CLAUSE_END = ("，", "、", ",")


def _cuts_a_page(text: str) -> bool:
    """The break after this line falls as a page's does, mid-sentence: the line ends without its
    sentence's end, and is long, or ends on a clause's mark, or goes on after a sentence ended in it.
    A list's items that end without a mark (`1、加强组织领导`, `1.检查情况汇总表.xlsx`) do none of these."""
    text = strip_pinyin_at_end(text.strip())
    return _ends_mid_sentence(text) and (
        len(text) >= MIN_PAGE_CHUNK or text.endswith(_CLAUSE_END) or bool(_SENTENCE_INSIDE.search(text))
    )


def _from_doc_share(lines: tuple[Line, ...], header: dict[int, str | None]) -> bool:
    return bool(header) or any(page_counter().search(line.text) for line in lines)


def _are_page_chunks(lines: tuple[Line, ...], indexes: list[int]) -> bool:
    """Most breaks fall mid-sentence; in a file a doc-share site has marked, half of them is enough, or
    none when the count starts on the text's first line; when the count starts at 2, all of them."""
    if indexes and _prefix(lines[indexes[0]].text)[1] == "2":
        return _all_cut_mid_sentence(lines, indexes)
    if len(indexes) < 2:
        return False
    before_breaks = [lines[i - 1].text for i in indexes[1:] if i > 0]
    if sum(map(_cuts_a_page, before_breaks)) * 2 > len(before_breaks):
        return True
    mid_sentence = sum(map(_ends_mid_sentence, before_breaks))
    if _prefix(lines[indexes[0]].text)[2] != _DOC_SHARE_MARK:
        return False
    header = header_lines(lines)
    if not _from_doc_share(lines, header):
        return False
    # A doc-share site numbers its first page on the first line of the text it copied.
    opens_the_text = all(not line.text.strip() or n in header for n, line in enumerate(lines[: indexes[0]]))
    return opens_the_text or (mid_sentence > 0 and mid_sentence * 2 == len(before_breaks))


_FIRST_ITEM = re.compile(r"(?:^|[：:，,。；;\s])1\s?[、.．]")
"""A list's first item inside a line."""
_STARTS_WITH_HAN = re.compile(rf"\s*[{HAN}]")


def _all_cut_mid_sentence(lines: tuple[Line, ...], indexes: list[int]) -> bool:
    """Chunks counted from 2, the first page unnumbered: each one with the `、` of doc-share sites,
    cutting a sentence of some length and going on with a character, so that a list whose first
    item is on the line before (`要求：1、加强领导，`) is not taken for pages."""
    for index in indexes:
        before = last_with_text(lines[:index])
        prefix = _prefix(lines[index].text)
        if (
            prefix[2] != _DOC_SHARE_MARK
            or before is None
            or len(lines[before].text.strip()) < MIN_CUT_LINE
            or not _ends_mid_sentence(lines[before].text)
            or _FIRST_ITEM.search(lines[before].text)
            or not _STARTS_WITH_HAN.match(lines[index].text, prefix.end())
        ):
            return False
    return True


MIN_CUT_LINE = 20
"""Characters of the line before a page number, at least, for the page to have cut a sentence."""
_CONTINUES = re.compile(rf"^\s*[{HAN}“‘《（(]")


RUNNING_MAX = 40
"""The most Han characters of a line that may be a page's running header or footer (a pinyin
annotation, not stripped yet, does not count)."""


HEAD_LINES = 6
"""The most lines with text at the start where the title may stand (under a site's name, a menu, a
breadcrumb)."""


def _head(lines: Sequence[Line]) -> set[int]:
    """The lines with text before the first line of prose (one with a sentence's end, or as long as a
    page), where the title stands: at most `HEAD_LINES`."""
    head: set[int] = set()
    for index, line in enumerate(lines):
        text = line.text.strip()
        if len(head) == HEAD_LINES or "。" in text or len(HAN_CHAR.findall(text)) >= MIN_PAGE_CHUNK:
            break
        if text:
            head.add(index)
    return head


def _running_lines(lines: tuple[Line, ...]) -> dict[str, int]:
    """The (squeezed) texts of a page's running header or footer, each with the index of its first
    copy when that stands above the text's prose (the title, which stays), else -1: short lines, no
    sentence's end, found twice or more, a later copy of which stands where a page break cuts a
    sentence. Only the text's first line (its title, printed atop each page), unless the pages show
    their breaks otherwise too (a page number, a counter, a watermark): a song's refrain is repeated
    as well."""
    copies: dict[str, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        if key := squeeze(line.text):
            copies[key].append(index)
    repeated = {
        key
        for key, found in copies.items()
        if len(found) >= 2 and len(HAN_CHAR.findall(key)) <= RUNNING_MAX and _ends_mid_sentence(key)
    }
    if repeated and not any(is_page_number(line.text) or is_watermark(line.text) for line in lines):
        repeated &= {next(iter(copies), "")}  # the first line's text
    head = _head(lines)
    running: dict[str, int] = {}
    for key in sorted(repeated):
        title = copies[key][0] if copies[key][0] in head else -1
        if any(_cuts(lines, index, repeated) for index in copies[key] if index != title):
            running[key] = title
    return running


def _cuts(lines: Sequence[Line], index: int, running: Collection[str]) -> bool:
    """True when the separator at `index` stands between the two halves of a sentence a page break
    cut (`_after_cut` on the lines as they are)."""
    before = [line for line in lines[:index] if not _separator(line.text, running)]
    return _after_cut(before, lines, index, running) is not None


def _after_cut(
    joined: Sequence[Line], lines: Sequence[Line], index: int, running: Collection[str]
) -> int | None:
    """The index of the line after the separators at `index` when they cut a sentence: the last line
    `joined` so far breaks off mid-sentence, and is prose rather than a table's cell, and that line
    goes on with it."""
    before = last_with_text(joined)
    after = next((n for n in range(index + 1, len(lines)) if not _separator(lines[n].text, running)), None)
    if (
        before is not None
        and after is not None
        and len(joined[before].text.strip()) >= MIN_CUT_LINE
        and _ends_mid_sentence(joined[before].text)
        and _CONTINUES.match(lines[after].text)
    ):
        return after
    return None


def _separator(text: str, running: Collection[str]) -> bool:
    """A blank line, a page number or counter, a watermark, or a running header or footer."""
    return not text.strip() or is_page_number(text) or is_watermark(text) or squeeze(text) in running


def _join_across_page_numbers(lines: tuple[Line, ...]) -> tuple[tuple[Line, ...], list[Note]]:
    """Lines with each page number or running header that cuts a sentence removed and the sentence's
    halves joined (blank lines and other such lines around it go with it); the running header's
    other copies removed, but its first (the title)."""
    running = _running_lines(lines)
    first_copies = set(running.values())  # the title, atop the first page, stays
    joined: list[Line] = []
    notes: list[Note] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        cut = line.text.strip() and index not in first_copies and _separator(line.text, running.keys())
        if cut and (after := _after_cut(joined, lines, index, running.keys())) is not None:
            notes.extend(Note(NAME, n.number, n.text) for n in lines[index:after] if n.text.strip())
            before = last_with_text(joined)
            assert before is not None  # `_after_cut` found it
            del joined[before + 1 :]
            joined[before] = _join(joined[before], Line(lines[after].number, lines[after].text.lstrip()))
            index = after + 1
            continue
        if running and index not in first_copies and squeeze(line.text) in running:
            notes.append(Note(NAME, line.number, line.text))
        else:
            joined.append(line)
        index += 1
    return tuple(joined), notes


def _join(first: Line, second: Line) -> Line:
    return Line(first.number, first.text + second.text, (*first.joins, (len(first.text), second.number)))


def join_page_chunks(lines: tuple[Line, ...], context: Context) -> Step:
    """Strip page-chunk prefixes and join each chunk that continues a sentence onto the line before.

    First, the two halves of a sentence that a page number or a running header on lines of their own
    cut are joined."""
    lines, notes = _join_across_page_numbers(lines)
    indexes = _chunk_indexes(lines)
    if not _are_page_chunks(lines, indexes):
        return Step(lines, tuple(notes))
    starts = set(indexes)
    joined: list[Line] = []
    for index, line in enumerate(lines):
        if index not in starts:
            joined.append(line)
            continue
        prefix = _prefix(line.text)
        text = line.text[prefix.end() :]
        notes.append(Note(NAME, line.number, prefix.group().strip()))
        while joined and not joined[-1].text.strip():
            joined.pop()
        previous = _last_text_before_page_numbers(joined)
        if int(prefix[1]) > 1 and previous is not None and _ends_mid_sentence(joined[previous].text):
            # The page's counter between the halves (`第 1 页 共 8 页`) goes with the break.
            notes.extend(Note(NAME, n.number, n.text) for n in joined[previous + 1 :] if n.text.strip())
            del joined[previous + 1 :]
            joined[previous] = _join(joined[previous], Line(line.number, text))
        else:
            joined.append(Line(line.number, text))
    return Step(tuple(joined), tuple(notes))


def _last_text_before_page_numbers(lines: list[Line]) -> int | None:
    """Index of the last line with text once blank lines and page numbers or counters are passed."""
    for index in range(len(lines) - 1, -1, -1):
        text = lines[index].text
        if text.strip() and not is_page_number(text):
            return index
    return None

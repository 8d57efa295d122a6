"""The original file set against the cleaned text, for the "what was cleaned" view.

Lines are matched first, so untouched lines cost nothing; only the blocks of lines that changed are
compared character by character, and a block too large for that is shown as removed and added whole.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

CHARACTER_DIFF_LIMIT = 20_000
"""Blocks with more characters than this on either side are not compared character by character."""


class Change(StrEnum):
    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"
    BREAK = "break"


class Span(NamedTuple):
    """A run of text in one state (a tuple: a page's comparison makes thousands)."""

    change: Change
    """Kept as it was, removed by cleaning, added by cleaning, or a paragraph break cleaning added."""
    text: str
    """The text of the run (empty for a break)."""


@dataclass(slots=True, frozen=True)
class Row:
    """One line of the original file, with what cleaning did to it."""

    number: int
    """1-based line number in the original file; 0 for text added before the first line."""
    spans: tuple[Span, ...]
    """The line's text in runs, in order."""
    joined: bool = False
    """True when cleaning removed the line break after this line, joining the next line on."""

    @property
    def changed(self) -> bool:
        """True when cleaning touched this line."""
        return any(span.change is not Change.SAME for span in self.spans)

    @property
    def kept(self) -> bool:
        """True when some text of this line is in the cleaned text."""
        return any(span.change in (Change.SAME, Change.ADDED) and span.text for span in self.spans)


def compare_by_source_line(raw_text: str, paragraphs: Sequence[tuple[int, str]]) -> list[Row]:
    """Rows of the original file against paragraphs that know the source line they start on.

    Each paragraph is compared only with its own stretch of source lines (from its line to the next
    paragraph's), so the cost grows with the document, not with its square. Falls back to `compare`
    when the lines are out of order.
    """
    raw_lines = raw_text.splitlines()
    starts = sorted({line for line, _ in paragraphs})
    lines = [line for line, _ in paragraphs]
    if lines != sorted(lines) or not starts or starts[0] < 1 or starts[-1] > len(raw_lines):
        return compare(raw_text, [text for _, text in paragraphs])
    by_start: dict[int, list[str]] = {}
    for line, text in paragraphs:
        by_start.setdefault(line, []).append(text)
    builder = _RowBuilder()
    for removed in raw_lines[: starts[0] - 1]:
        builder.add(Change.REMOVED, removed)
        builder.end_line()
    for index, start in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(raw_lines)
        old, new = "\n".join(raw_lines[start - 1 : end]), "\n".join(by_start[start])
        _add_character_changes(builder, old, new)
        builder.end_line()
    return builder.finish()


def compare(raw_text: str, cleaned: Sequence[str]) -> list[Row]:
    """Rows of the original file with removed and added spans marked."""
    raw_lines = raw_text.splitlines()
    builder = _RowBuilder()
    matcher = difflib.SequenceMatcher(None, raw_lines, list(cleaned), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for line in raw_lines[i1:i2]:
                builder.add(Change.SAME, line)
                builder.end_line()
            continue
        if tag == "insert":
            after_a_line = bool(builder.rows)
            builder.reopen_last_line()
            builder.add(Change.ADDED, "\n" * after_a_line + "\n".join(cleaned[j1:j2]))
            builder.end_line()
            continue
        old, new = "\n".join(raw_lines[i1:i2]), "\n".join(cleaned[j1:j2])
        _add_character_changes(builder, old, new)
        builder.end_line()
    return builder.finish()


def _add_character_changes(builder: _RowBuilder, old: str, new: str) -> None:
    """Add `old` set against `new` to the rows, character by character where they are not too long."""
    add = builder.add
    if old == new:
        add(Change.SAME, old)
        return
    if max(len(old), len(new)) > CHARACTER_DIFF_LIMIT:
        add(Change.REMOVED, old)
        add(Change.ADDED, new)
        return
    for tag, i1, i2, j1, j2 in edits(old, new):
        if tag == "equal":
            add(Change.SAME, old[i1:i2])
            continue
        # What replaces removed lines is shown on the first of them, not after the last.
        removed = old[i1:i2]
        first_line_end = removed.find("\n")
        if first_line_end < 0:  # most edits: within one line
            add(Change.REMOVED, removed)
            add(Change.ADDED, new[j1:j2])
            continue
        add(Change.REMOVED, removed[:first_line_end])
        add(Change.ADDED, new[j1:j2])
        add(Change.REMOVED, removed[first_line_end:])


RESYNC = 2
"""Characters that must agree again after an edit for the two texts to count as back in step."""
SHORT_EDIT = 3
"""Edits up to this size on each side are tried directly (a comma replaced by two, say)."""
LOOKAHEAD = 200
"""How far ahead the texts are searched for where they agree again after a removal or an addition."""


def edits(old: str, new: str) -> Iterator[tuple[str, int, int, int, int]]:
    """Opcodes like difflib's ("equal" and "replace"), found in one pass for what cleaning does:
    removals (pinyin, commas, spaces, boilerplate), one-for-one replacements (half-width
    punctuation) and added breaks. The cost grows with the texts' length, never with its square.
    """
    i = j = 0
    old_length, new_length = len(old), len(new)
    while i < old_length or j < new_length:
        same = i
        while i < old_length and j < new_length and old[i] == new[j]:
            i += 1
            j += 1
        if i > same:
            yield "equal", same, i, j - (i - same), j
        if i >= old_length or j >= new_length:
            if i < old_length or j < new_length:
                yield "replace", i, old_length, j, new_length
            return
        removed, added = _small_edit(old, new, i, j)
        yield "replace", i, i + removed, j, j + added
        i += removed
        j += added


def _small_edit(old: str, new: str, i: int, j: int) -> tuple[int, int]:
    """(characters removed, characters added) of the smallest edit after which the texts agree for
    RESYNC characters (or to the end), the larger removal first among equals; failing that, after
    which the next character agrees; failing that, one character replaced by one."""
    best: tuple[int, int, int, int] | None = None
    # Longer pure removals and additions, found by searching for where the texts agree again.
    removal = old.find(new[j : j + RESYNC], i + 1, i + LOOKAHEAD + RESYNC)
    if removal > 0 and _in_step(old, new, removal, j):
        best = (removal - i, -(removal - i), removal - i, 0)
    addition = new.find(old[i : i + RESYNC], j + 1, j + LOOKAHEAD + RESYNC)
    if addition > 0 and _in_step(old, new, i, addition) and (best is None or addition - j < best[0]):
        best = (addition - j, 0, 0, addition - j)
    for total in range(1, 2 * SHORT_EDIT + 1) if _mixed_edit_possible(old, new, i, j) else ():
        if best is not None and best[0] < total:
            break
        for removed in range(min(total, SHORT_EDIT), max(0, total - SHORT_EDIT) - 1, -1):
            if best is not None and best[0] == total and removed <= best[2]:
                break
            # A pure removal or addition that agrees again is what the searches above found first.
            if 0 < removed < total and _in_step(old, new, i + removed, j + total - removed):
                return removed, total - removed
    if best is None:
        # Edits close together (pinyin after every other character): agree on one character.
        removal = old.find(new[j], i + 1, i + LOOKAHEAD + 1)
        addition = new.find(old[i], j + 1, j + LOOKAHEAD + 1)
        if removal > 0 and (addition < 0 or removal - i <= addition - j):
            return removal - i, 0
        if addition > 0:
            return 0, addition - j
        return 1, 1
    return best[2], best[3]


def _mixed_edit_possible(old: str, new: str, i: int, j: int) -> bool:
    """False when no edit removing and adding 1 to SHORT_EDIT characters each can put the texts
    back in step: they would have to share a character there (or both end), and do not (a pinyin
    annotation beside Han characters, say). Saves trying every such edit one by one."""
    if i + SHORT_EDIT >= len(old) or j + SHORT_EDIT >= len(new):
        return True
    return not set(old[i + 1 : i + 1 + SHORT_EDIT]).isdisjoint(new[j + 1 : j + 1 + SHORT_EDIT])


def _in_step(old: str, new: str, i: int, j: int) -> bool:
    if old[i : i + RESYNC] == new[j : j + RESYNC]:
        span = len(old) - i
        return span >= RESYNC or (span == len(new) - j and (span > 0 or i == len(old)))
    return False


class _RowBuilder:
    """Collects spans into rows, starting a new row at each newline of the original text."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.spans: list[Span] = []
        self.number = 0

    def add(self, change: Change, text: str) -> None:
        if "\n" not in text:  # most runs: no line to end, nothing to add when empty
            if text:
                spans = self.spans
                if spans and spans[-1].change is change:  # a break has no text: never merged
                    spans[-1] = Span(change, spans[-1].text + text)
                else:
                    spans.append(Span(change, text))
            return
        for index, part in enumerate(text.split("\n")):
            if index and change is Change.ADDED:
                self._append(Span(Change.BREAK, ""))
            elif index:
                self.end_line(joined=change is Change.REMOVED)
            self._append(Span(change, part))

    def _append(self, span: Span) -> None:
        if not span.text and span.change is not Change.BREAK:
            return
        if self.spans and self.spans[-1].change is span.change is not Change.BREAK:
            span = Span(span.change, self.spans.pop().text + span.text)
        self.spans.append(span)

    def reopen_last_line(self) -> None:
        """Add to the row already ended: text inserted after it (before line 1, a row 0)."""
        if self.rows:
            last = self.rows.pop()
            assert not last.joined, "an insertion follows a whole line"
            self.number, self.spans = last.number - 1, list(last.spans)
        else:
            self.number = -1

    def end_line(self, joined: bool = False) -> None:
        self.number += 1
        self.rows.append(Row(self.number, tuple(self.spans), joined))
        self.spans = []

    def finish(self) -> list[Row]:
        if self.spans:
            self.end_line()
        return self.rows

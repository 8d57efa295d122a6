"""What every cleaning rule shares: its signature, its result, and helpers for per-line rules."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from corpus_site.compare import edits
from corpus_site.model import Line, Note

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Character-class body matching Han characters."""
CJK_PUNCT = "，。、；：！？“”‘’（）《》〈〉【】「」『』…—·"
"""Full-width punctuation of Chinese text."""
TERMINAL_PUNCT = "。！？；：…"
"""Marks that may end a sentence or a paragraph."""
SENTENCE_CLOSE = TERMINAL_PUNCT + "”’」』）)"
"""What a line that ends a sentence ends with: a mark, or a quote or a bracket closed after it."""
HAN_CHAR = re.compile(f"[{HAN}]")
"""One Han character."""
PRESS_RELEASE = r"新[闻聞](?:稿|通稿|公[报報]|[发發]布)"
"""A press release's label (`新闻稿`, `新聞公報`), written in both scripts: patterns compiled at import,
before OpenCC is loaded, use it as it is."""
NUMERALS = "一二三四五六七八九十"
"""The numerals that number an outline's headings and a list's items (`三、`, `（三）`)."""
FULL_DATE = r"(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?"
"""A date with its year, month and day in figures: `2023-05-08`, `2023年5月8日`."""


@dataclass(slots=True, frozen=True)
class Context:
    """What a rule may know beyond the document's own lines."""

    repeated_lines: frozenset[str] = frozenset()
    """Edge lines (squeezed of spaces) seen in many documents of the corpus: site boilerplate."""
    fields: Mapping[str, str] = field(default_factory=dict)
    """Metadata the rules before this one found in the document."""


@dataclass(slots=True, frozen=True)
class Step:
    """The result of one rule: the new lines, what changed, and any metadata the rule found."""

    lines: tuple[Line, ...]
    """The document's lines after the rule."""
    notes: tuple[Note, ...] = ()
    """One note per change."""
    fields: Mapping[str, str] = field(default_factory=dict)
    """Metadata found (canonical key → value in the document's script)."""


Rule = Callable[[tuple[Line, ...], Context], Step]
"""A cleaning rule: a pure function of the lines and the corpus context."""

TextFix = Callable[[str], tuple[str, list[tuple[str, str]]]]
"""Repairs one line's text, returning the new text and (before, after) pairs of what changed."""


def per_line(name: str, fix: TextFix, lines: Iterable[Line]) -> Step:
    """Apply a text repair to every line, dropping lines it empties, noting each change (a line it
    empties in one note: the line, not the pieces it was removed in)."""
    kept: list[Line] = []
    notes: list[Note] = []
    for line in lines:
        text, changes = fix(line.text)
        if text.strip():
            notes.extend(Note(name, line.number, before, after) for before, after in changes)
            kept.append(with_text(line, text))
        elif line.text.strip():
            notes.append(Note(name, line.number, line.text.strip()))
    return Step(tuple(kept), tuple(notes))


def with_text(line: Line, text: str) -> Line:
    """The line with new text, its join offsets moved to where the same characters now stand."""
    if not line.joins or text == line.text:
        return Line(line.number, text, line.joins)
    opcodes = list(edits(line.text, text))
    starts = [old_start for _, old_start, _, _, _ in opcodes]

    def moved(offset: int) -> int:
        # The old ranges are in order and do not overlap: only the last to start by offset may hold it.
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0:
            _, old_start, old_end, new_start, new_end = opcodes[index]
            if old_start <= offset < old_end:
                return min(new_start + offset - old_start, new_end)
        return len(text)

    return Line(line.number, text, tuple((moved(offset), number) for offset, number in line.joins))


def drop_lines(name: str, lines: Iterable[Line], is_junk: Callable[[str], bool]) -> Step:
    """Remove every line `is_junk` accepts, noting each."""
    kept: list[Line] = []
    notes: list[Note] = []
    for line in lines:
        if is_junk(line.text):
            notes.append(Note(name, line.number, line.text))
        else:
            kept.append(line)
    return Step(tuple(kept), tuple(notes))


def last_with_text(lines: Sequence[Line]) -> int | None:
    """The index of the last line that is not blank, if any."""
    return next((n for n in range(len(lines) - 1, -1, -1) if lines[n].text.strip()), None)


def squeeze(text: str) -> str:
    """Text with all white space removed, for comparing lines whose spacing differs."""
    return "".join(text.split())


def both_scripts(pattern: str) -> str:
    """Widen a simplified-script regex so each Han character also matches its traditional forms,
    inside a character class (`[字词]`) as well as outside one."""
    from corpus_site.convert import converter

    widened: list[str] = []
    in_class = escaped = False
    for char in pattern:
        forms = {char, converter("s2t")(char), converter("s2tw")(char), converter("s2hk")(char)}
        alternatives = "".join(sorted(forms))
        widened.append(char if len(forms) == 1 else alternatives if in_class else f"[{alternatives}]")
        if not escaped:
            in_class = (in_class or char == "[") and not (in_class and char == "]")
        escaped = char == "\\" and not escaped
    return "".join(widened)


Changes = list[tuple[str, str]]
Replacement = str | Callable[[re.Match[str]], str]


def sub_noting(pattern: re.Pattern[str], replacement: Replacement, text: str, changes: Changes) -> str:
    """`pattern.sub`, appending a (before, after) pair to `changes` for every match it alters."""

    def replace(match: re.Match[str]) -> str:
        new = replacement(match) if callable(replacement) else match.expand(replacement)
        if new != match.group():
            changes.append((match.group(), new))
        return new

    return pattern.sub(replace, text)

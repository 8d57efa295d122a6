"""The "what was cleaned" comparison: every original line shown once, both texts recoverable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from corpus_site.compare import CHARACTER_DIFF_LIMIT, Change, Row, compare

_TEXT = st.text(alphabet="一二三，。 (a)\t", max_size=12)


def _original(rows: list[Row]) -> list[str]:
    return [
        "".join(s.text for s in row.spans if s.change in (Change.SAME, Change.REMOVED))
        for row in rows
        if row.number
    ]


def _cleaned(rows: list[Row]) -> str:
    parts = []
    for number, row in enumerate(rows):
        if number and not rows[number - 1].joined:
            parts.append("\n")
        for span in row.spans:
            if span.change is Change.BREAK:
                parts.append("\n")
            elif span.change in (Change.SAME, Change.ADDED):
                parts.append(span.text)
    return "".join(parts)


def test_marks_removed_and_added_spans() -> None:
    rows = compare("标题\n隊(duì)伍建设,,\n第1页 共2页\n", ["标题", "隊伍建设，"])
    assert [row.number for row in rows] == [1, 2, 3]
    assert not rows[0].changed
    assert (Change.REMOVED, "(duì)") in [(s.change, s.text) for s in rows[1].spans]
    assert (Change.ADDED, "，") in [(s.change, s.text) for s in rows[1].spans]
    assert [(s.change, s.text) for s in rows[2].spans] == [(Change.REMOVED, "第1页 共2页")]


def test_a_split_line_shows_the_breaks_it_gained() -> None:
    rows = compare("第一句。 第二句。", ["第一句。", "第二句。"])
    assert [s.change for s in rows[0].spans] == [Change.SAME, Change.REMOVED, Change.BREAK, Change.SAME]


def test_huge_blocks_are_shown_whole() -> None:
    raw = "字" * (CHARACTER_DIFF_LIMIT + 1)
    rows = compare(raw, ["文"])
    assert [s.change for s in rows[0].spans] == [Change.REMOVED, Change.ADDED]


@given(st.lists(_TEXT, max_size=8), st.lists(_TEXT.filter(lambda line: line.strip()), max_size=8))
def test_both_texts_come_back(raw_lines: list[str], cleaned: list[str]) -> None:
    raw_lines = [line for line in raw_lines if "\r" not in line]
    raw = "\n".join(raw_lines)
    rows = compare(raw, cleaned)
    assert _original(rows) == raw.splitlines()
    assert [row.number for row in rows if row.number] == list(range(1, len(raw.splitlines()) + 1))
    assert [line for line in _cleaned(rows).split("\n") if line] == cleaned

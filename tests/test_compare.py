"""The "what was cleaned" comparison: every original line shown once, both texts recoverable."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_site import compare as compare_module
from corpus_site.clean.base import with_text
from corpus_site.compare import CHARACTER_DIFF_LIMIT, Change, Row, compare, compare_by_source_line
from corpus_site.model import Line

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


def test_by_source_line_gives_the_rows_of_the_whole_comparison() -> None:
    raw = "面包屑 > 正文\n标题\n第一段,,正文\n第二段\n续上\n第 1 页 共 1 页"
    paragraphs = [(3, "第一段，正文"), (4, "第二段续上")]
    rows = compare_by_source_line(raw, paragraphs)
    assert _original(rows) == raw.splitlines()
    assert [line for line in _cleaned(rows).split("\n") if line] == ["第一段，正文", "第二段续上"]
    assert rows[3].joined and not rows[0].kept


@given(st.lists(_TEXT, min_size=1, max_size=8), st.data())
def test_by_source_line_keeps_both_texts(raw_lines: list[str], data: st.DataObject) -> None:
    raw_lines = [line for line in raw_lines if "\r" not in line]
    raw = "\n".join(raw_lines)
    count = len(raw.splitlines())
    if not count:
        return
    starts = sorted(data.draw(st.lists(st.integers(1, count), min_size=1, max_size=4)))
    paragraphs = [(line, data.draw(_TEXT.filter(lambda t: t.strip()))) for line in starts]
    rows = compare_by_source_line(raw, paragraphs)
    assert _original(rows) == raw.splitlines()
    assert [line for line in _cleaned(rows).split("\n") if line] == [t for _, t in paragraphs]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text("ab(c)，、 ", max_size=40), st.text("ab(c)，、 ", max_size=40))
def test_skipping_impossible_mixed_edits_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, old: str, new: str
) -> None:
    quick = list(compare_module.edits(old, new))
    with monkeypatch.context() as patch:
        patch.setattr(compare_module, "_mixed_edit_possible", lambda *_: True)
        assert list(compare_module.edits(old, new)) == quick


def _moved_by_scanning(old: str, new: str, offset: int) -> int:
    for _, old_start, old_end, new_start, new_end in compare_module.edits(old, new):
        if old_start <= offset < old_end:
            return min(new_start + offset - old_start, new_end)
    return len(new)


@given(st.text("ab(c)，、 ", min_size=1, max_size=40), st.text("ab(c)，、 ", max_size=40), st.data())
def test_join_offsets_move_with_their_characters(old: str, new: str, data: st.DataObject) -> None:
    offsets = sorted(data.draw(st.sets(st.integers(0, len(old) - 1), max_size=5)))
    line = Line(1, old, tuple((offset, 2 + n) for n, offset in enumerate(offsets)))
    moved = with_text(line, new)
    if new == old:
        assert moved.joins == line.joins
    else:
        assert [offset for offset, _ in moved.joins] == [_moved_by_scanning(old, new, o) for o in offsets]

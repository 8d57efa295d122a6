"""drop_prev_next_links: `上一篇：…` / `下一篇：…` navigation lines, and rows of page links."""

from __future__ import annotations

import re
from functools import cache

from corpus_site.clean.base import Context, Step, both_scripts, squeeze
from corpus_site.model import Line, Note

NAME = "drop_prev_next_links"


@cache
def _link() -> re.Pattern[str]:
    words = both_scripts(
        "(?:(?:上一篇|下一篇|上一条|下一条|上一则|下一则|上篇|下篇|前一篇|后一篇)(?:文章|新闻|信息)?|"
        "上一页|下一页|上一章|下一章)"
    )
    return re.compile(rf"^\s*[\[【(（«‹<＜←]*\s*{words}\s*(?:[\]】)）»›>＞→]|[:：]|\s|$)")


@cache
def _pagination() -> re.Pattern[str]:
    words = both_scripts(r"(?:首页|上一页|下一页|尾页|末页|共\d+页|第\d+页|当前第\d+页|跳转|转到|GO)")
    return re.compile(rf"(?:{words}|\d+|[<>＜＞«»…|｜\[\]【】/:：,，\s])+", re.IGNORECASE)


@cache
def _page_step() -> re.Pattern[str]:
    return re.compile(both_scripts("[上下]一页"))


def is_prev_next(text: str) -> bool:
    """True for a previous/next article link line, or a row of page links (`上一页 1 2 3 下一页`)."""
    squeezed = squeeze(text)
    return bool(_link().match(text) or _link().match(squeezed)) or _is_pagination(squeezed)


def _is_pagination(text: str) -> bool:
    return bool(_pagination().fullmatch(text)) and bool(_page_step().search(text))


@cache
def _label_alone() -> re.Pattern[str]:
    words = both_scripts(
        "(?:上一篇|下一篇|上一条|下一条|上一则|下一则|上篇|下篇|前一篇|后一篇)(?:文章|新闻|信息)?"
    )
    return re.compile(rf"^[\[【(（]?{words}[\]】)）]?[:：]?$")


LINKED_TITLE = 40
"""The longest line that counts as the title a `上一篇` label alone on the line above links to."""
_SENTENCE_MARKS = re.compile(r"[，。；！？,;!?]")


def _linked_title(text: str) -> bool:
    text = text.strip()
    return 0 < len(text) <= LINKED_TITLE and not _SENTENCE_MARKS.search(text)


def drop_prev_next_links(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove previous/next article link lines.

    A `上一篇` label alone on its line takes the title under it along, as the link it labels."""
    kept: list[Line] = []
    notes: list[Note] = []
    after_label = False
    for line in lines:
        if not line.text.strip():
            kept.append(line)
            continue
        if is_prev_next(line.text) or (after_label and _linked_title(line.text)):
            notes.append(Note(NAME, line.number, line.text))
            after_label = bool(_label_alone().match(squeeze(line.text)))
        else:
            kept.append(line)
            after_label = False
    return Step(tuple(kept), tuple(notes))

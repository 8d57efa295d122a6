"""drop_page_footers: page counters such as `第 19 页 共 19 页`, wherever a converter left them, a
page's number alone on a line (`- 2 -`, `第2页`), and a doc-share site's watermark alone on a line
(`精品文档`, `-----精品资料-----`)."""

from __future__ import annotations

import re
from functools import cache

from corpus_site.clean.base import Changes, Context, Step, both_scripts, per_line, sub_noting
from corpus_site.model import Line

NAME = "drop_page_footers"


@cache
def page_counter() -> re.Pattern[str]:
    page = both_scripts("页")
    number = r"\s*\d+\s*"
    forms = [
        rf"第{number}{page}\s*[,，/／、]?\s*共{number}{page}",
        rf"共{number}{page}\s*[,，/／、]?\s*第{number}{page}",
        rf"第{number}[/／]{number}{page}",
        rf"(?i:page{number}of{number})",
    ]
    return re.compile("|".join(forms))


# A page number alone on its line: `- 3 -`, `— 3 —`, `－3－`, `·3·`, `3/19`, `[3]`.
_LONE_NUMBER = re.compile(
    r"^\s*(?:[-—–－―‒]\s*\d+\s*[-—–－―‒]|[·•]\s*\d+\s*[·•]|\d+\s*[/／]\s*\d+|\[\s*\d+\s*\])\s*$"
)


_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


@cache
def page_label() -> re.Pattern[str]:
    """A page's number with its word, alone on a line: `第2页`, `第二页`, `共5页`, `页码：2`, `Page 2`."""
    numeral = r"(?:\d{1,4}|[一二三四五六七八九十百]{1,4})"
    return re.compile(
        both_scripts(rf"^\s*(?:第\s*{numeral}\s*页|共\s*\d{{1,4}}\s*页|页码\s*[:：]?\s*\d{{1,4}})\s*$")
        + r"|^\s*(?i:page)\s*\d{1,4}\s*$"
    )


def is_page_number(text: str) -> bool:
    """True for a line holding a page number or counter and nothing else (`2`, `- 2 -`, `第2页 共5页`);
    a bare number is one only where it cuts a sentence (`join_page_chunks`)."""
    return bool(
        _BARE_NUMBER.match(text)
        or _LONE_NUMBER.match(text)
        or page_counter().fullmatch(text.strip())
        or page_label().match(text)
    )


_WATERMARKS = (
    "精品文档|精品资料|优质文档|专业资料|学习资料|精选资料|推荐精选|名师精编|推荐下载|欢迎下载|"
    "(?:精品)?word(?:文档|版本)?(?:可编辑)?|可编辑(?:版本?|文档)?"
)


@cache
def _watermark() -> re.Pattern[str]:
    """A doc-share site's watermark printed on each page, alone on its line, maybe between rules."""
    rule = r"[\s\-—–=_*★☆·•.…~]*"
    return re.compile(both_scripts(rf"^{rule}(?:{_WATERMARKS}){rule}$"), re.IGNORECASE)


def is_watermark(text: str) -> bool:
    return bool(_watermark().match(text))


def _fix(text: str) -> tuple[str, Changes]:
    changes: Changes = []
    if is_watermark(text):
        changes.append((text.strip(), ""))
        return "", changes
    text = sub_noting(page_counter(), "", text, changes)
    text = sub_noting(_LONE_NUMBER, "", text, changes)
    text = sub_noting(page_label(), "", text, changes)
    return text.strip(), changes


def drop_page_footers(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove page counters inside lines, and lines holding only a page number or a watermark."""
    return per_line(NAME, _fix, lines)

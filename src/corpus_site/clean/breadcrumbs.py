"""drop_breadcrumbs: navigation trails such as `首页 > 讲话范文 > …` or `当前位置：首页 » 新闻`."""

from __future__ import annotations

import re
from functools import cache

from corpus_site.clean.base import TERMINAL_PUNCT, Context, Step, both_scripts, drop_lines
from corpus_site.model import Line

NAME = "drop_breadcrumbs"
_SEPARATOR = r"(?:>>?|»|›|＞|→|>|/|\\|－|-|—)"
_MAX_LENGTH = 200


@cache
def _home_trail() -> re.Pattern[str]:
    where = both_scripts("(?:当前位置|您的位置|您现在的位置|现在位置|所在位置|位置)")
    home = both_scripts("(?:首页|网站首页|主页|本站首页|返回首页)")
    return re.compile(
        rf"^\s*[\[【]?(?:{where}是?\s*[:：]?\s*)?[\]】]?\s*(?:{home}|home)\s*{_SEPARATOR}",
        re.IGNORECASE,
    )


@cache
def _where_prefix() -> re.Pattern[str]:
    where = r"(?:[您你]?(?:当前|现在|目前)(?:所在)?的?位置|[您你](?:所在)?的?位置|所在位置)"
    return re.compile(both_scripts(rf"^\s*{where}是?\s*[:：]"))


@cache
def _spaced_trail() -> re.Pattern[str]:
    """A trail set apart by spaces alone, from the home page: `首页 新闻中心 县内要闻 正文`."""
    home = both_scripts("(?:首页|网站首页|主页)")
    return re.compile(rf"^\s*{home}(?:\s+[\u4e00-\u9fffA-Za-z]{{2,8}}){{2,6}}\s*$")


_TRAIL = re.compile(rf"\s{_SEPARATOR}\s|{_SEPARATOR}\s*$")


def is_breadcrumb(text: str) -> bool:
    """True for a navigation trail line."""
    if len(text) > _MAX_LENGTH:
        return False
    if _home_trail().match(text) or _where_prefix().match(text) or _spaced_trail().match(text):
        return True
    parts = [p for p in re.split(r"\s*(?:>>?|»|›|＞|→)\s*", text) if p]
    no_sentences = not any(mark in text for mark in TERMINAL_PUNCT + "，,")
    return len(parts) >= 3 and no_sentences and bool(_TRAIL.search(text))


def drop_breadcrumbs(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove breadcrumb lines."""
    return drop_lines(NAME, lines, is_breadcrumb)

"""drop_prev_next_links: `上一篇：…` / `下一篇：…` navigation lines."""

from __future__ import annotations

import re
from functools import cache

from corpus_site.clean.base import Context, Step, both_scripts, drop_lines, squeeze
from corpus_site.model import Line

NAME = "drop_prev_next_links"


@cache
def _link() -> re.Pattern[str]:
    words = both_scripts(
        "(?:上一篇|下一篇|上一条|下一条|上篇|下篇|前一篇|后一篇|上一页|下一页|上一章|下一章)"
    )
    return re.compile(rf"^\s*[\[【(（]?\s*{words}\s*(?:[\]】)）]|[:：]|\s|$)")


def is_prev_next(text: str) -> bool:
    """True for a previous/next article link line."""
    return bool(_link().match(text) or _link().match(squeeze(text)))


def drop_prev_next_links(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove previous/next article link lines."""
    return drop_lines(NAME, lines, is_prev_next)

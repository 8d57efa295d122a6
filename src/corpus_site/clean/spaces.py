"""remove_stray_spaces: `教化成 果` → `教化成果`, `对标 8 个方面` → `对标8个方面`.

Chinese text takes no spaces between characters, nor between characters and numbers; a space
beside a Latin word (`在 Python 中`) is conventional and stays, and so is the space after the number
of a law's chapter or article (`第一章 总则`, `第三条 行政执法人员…`), and the spaces that set a
reporter's role apart from the names in a byline (`（记者 张明 通讯员 李华）`).
"""

from __future__ import annotations

import re
from functools import cache

from corpus_site.clean.base import (
    CJK_PUNCT,
    HAN,
    HAN_CHAR,
    Changes,
    Context,
    Step,
    both_scripts,
    per_line,
    sub_noting,
)
from corpus_site.model import Line

NAME = "remove_stray_spaces"
_CHINESE = f"[{HAN}{CJK_PUNCT}]"
_BETWEEN_CHINESE = re.compile(rf"(?<={_CHINESE}) +(?={_CHINESE})")
# A number with Chinese text (or the line's edge) on both sides: `对标 8 个`, `不低于 10%的`.
_AROUND_NUMBER = re.compile(rf"(?:(?<={_CHINESE})|^) *(\d[\d.,%]*) *(?:(?={_CHINESE})|$)")
_PROVISION = re.compile(r"^\s*第[一二三四五六七八九十百千零〇两\d]{1,6}[编章节条款] +(?=\S)")
"""The number of a law's part, chapter, section or article, and the space that sets it apart."""


_ROLES = "(?:记者|通讯员|实习生|摄影)"


@cache
def _role_before() -> re.Pattern[str]:
    return re.compile(both_scripts(f"{_ROLES}$"))


@cache
def _role_after() -> re.Pattern[str]:
    # `记者 李明 摄`: a photographer's credit ends with 摄 after the name.
    return re.compile(both_scripts(f"{_ROLES}|摄(?![\u4e00-\u9fff])"))


def _unless_beside_a_role(match: re.Match[str]) -> str:
    """Nothing for a stray space; the space itself between a reporter's role and a name."""
    text = match.string
    between_words = HAN_CHAR.match(text, match.start() - 1) and HAN_CHAR.match(text, match.end())
    beside = _role_before().search(text, max(0, match.start() - 3), match.start()) or _role_after().match(
        text, match.end()
    )
    return match.group() if between_words and beside else ""


def _fix(text: str) -> tuple[str, Changes]:
    changes: Changes = []
    provision = _PROVISION.match(text)
    kept, text = (provision.group(), text[provision.end() :]) if provision else ("", text)
    text = sub_noting(_BETWEEN_CHINESE, _unless_beside_a_role, text, changes)
    text = sub_noting(_AROUND_NUMBER, r"\1", text, changes)
    return kept + text, changes


def remove_stray_spaces(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove spaces between Han characters, full-width marks and numbers."""
    return per_line(NAME, _fix, lines)

"""remove_stray_spaces: `教化成 果` → `教化成果`, `对标 8 个方面` → `对标8个方面`.

Chinese text takes no spaces between characters, nor between characters and numbers; a space
beside a Latin word (`在 Python 中`) is conventional and stays, and so is the space after the number
of a law's chapter or article (`第一章 总则`, `第三条 行政执法人员…`).
"""

from __future__ import annotations

import re

from corpus_site.clean.base import CJK_PUNCT, HAN, Changes, Context, Step, per_line, sub_noting
from corpus_site.model import Line

NAME = "remove_stray_spaces"
_CHINESE = f"[{HAN}{CJK_PUNCT}]"
_BETWEEN_CHINESE = re.compile(rf"(?<={_CHINESE}) +(?={_CHINESE})")
# A number with Chinese text (or the line's edge) on both sides: `对标 8 个`, `不低于 10%的`.
_AROUND_NUMBER = re.compile(rf"(?:(?<={_CHINESE})|^) *(\d[\d.,%]*) *(?:(?={_CHINESE})|$)")
_PROVISION = re.compile(r"^\s*第[一二三四五六七八九十百千零〇两\d]{1,6}[编章节条款] +(?=\S)")
"""The number of a law's part, chapter, section or article, and the space that sets it apart."""


def _fix(text: str) -> tuple[str, Changes]:
    changes: Changes = []
    provision = _PROVISION.match(text)
    kept, text = (provision.group(), text[provision.end() :]) if provision else ("", text)
    text = sub_noting(_BETWEEN_CHINESE, "", text, changes)
    text = sub_noting(_AROUND_NUMBER, r"\1", text, changes)
    return kept + text, changes


def remove_stray_spaces(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove spaces between Han characters, full-width marks and numbers."""
    return per_line(NAME, _fix, lines)

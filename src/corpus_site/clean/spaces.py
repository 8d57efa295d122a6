"""remove_stray_spaces: `教化成 果` → `教化成果`, `对标 8 个方面` → `对标8个方面`.

Chinese text takes no spaces between characters, nor between characters and numbers; a space
beside a Latin word (`在 Python 中`) is conventional and stays.
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


def _fix(text: str) -> tuple[str, Changes]:
    changes: Changes = []
    text = sub_noting(_BETWEEN_CHINESE, "", text, changes)
    text = sub_noting(_AROUND_NUMBER, r"\1", text, changes)
    return text, changes


def remove_stray_spaces(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove spaces between Han characters, full-width marks and numbers."""
    return per_line(NAME, _fix, lines)

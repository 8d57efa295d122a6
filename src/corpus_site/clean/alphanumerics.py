"""halfwidth_alphanumerics: full-width Latin letters and digits become ASCII (`ＧＤＰ增长５．２％` →
`GDP增长5.2%`), as search and the frequency lists expect them.

A full-width point or percent sign goes half-width only beside a digit; other full-width marks are
Chinese punctuation and stay.
"""

from __future__ import annotations

import re

from corpus_site.clean.base import Changes, Context, Step, per_line, sub_noting
from corpus_site.model import Line

NAME = "halfwidth_alphanumerics"
_WIDE_ALPHANUMERIC = re.compile("[０-９Ａ-Ｚａ-ｚ]+")
_WIDE_POINT = re.compile("(?<=[0-9])．(?=[0-9０-９])")
_WIDE_PERCENT = re.compile("(?<=[0-9])％")
_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B)}


def _narrow(match: re.Match[str]) -> str:
    return match.group().translate(_TO_ASCII)


def _fix(text: str) -> tuple[str, Changes]:
    changes: Changes = []
    text = sub_noting(_WIDE_ALPHANUMERIC, _narrow, text, changes)
    text = sub_noting(_WIDE_POINT, ".", text, changes)
    text = sub_noting(_WIDE_PERCENT, "%", text, changes)
    return text, changes


def halfwidth_alphanumerics(lines: tuple[Line, ...], context: Context) -> Step:
    """Replace full-width Latin letters and digits (and a point or percent sign beside a digit) by ASCII."""
    return per_line(NAME, _fix, lines)

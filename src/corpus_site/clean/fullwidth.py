"""fullwidth_punctuation: ASCII marks inside Chinese text become the full-width mark Chinese uses."""

from __future__ import annotations

import re

from corpus_site.clean.base import CJK_PUNCT, HAN, HAN_CHAR, Changes, Context, Step, per_line, sub_noting
from corpus_site.model import Line

NAME = "fullwidth_punctuation"
_WIDE = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", ".": "。"}
_CHINESE = f"[{HAN}{CJK_PUNCT}]"
# A mark right after Chinese text (a time such as `18:50` has digits on both sides and stays).
_AFTER_CHINESE = re.compile(rf"(?<={_CHINESE})[,;:!?]")
_BEFORE_CHINESE = re.compile(rf"[,;:!?](?={_CHINESE})")
_FULL_STOP = re.compile(rf"(?<=[{HAN}])\.(?=\s|$|[{HAN}\"'”’」』)）])")
_PARENS = re.compile(r"\(([^()\n]*)\)")
_QUOTED = re.compile(r'"([^"\n]*)"')
_CITATION = re.compile(r"\[(?:[A-Z]|EB|DB|CP)(?:/OL)?\](?:\.|//)")
"""A reference's type code (`[J]` a journal article, `[M]` a book, `[EB/OL]` a web page): a line of a
list of references keeps the ASCII marks the citation style sets between its fields."""


def _widen(match: re.Match[str]) -> str:
    return _WIDE[match.group()]


def _widen_parens(match: re.Match[str]) -> str:
    start = match.start()
    before = match.string[start - 1] if start else ""
    if HAN_CHAR.search(match[1]) or HAN_CHAR.match(before):
        return f"（{match[1]}）"
    return match.group()


def _widen_quotes(match: re.Match[str]) -> str:
    return f"“{match[1]}”" if HAN_CHAR.search(match[1]) else match.group()


def _fix(text: str) -> tuple[str, Changes]:
    changes: Changes = []
    if _CITATION.search(text):
        return text, changes
    text = sub_noting(_AFTER_CHINESE, _widen, text, changes)
    text = sub_noting(_BEFORE_CHINESE, _widen, text, changes)
    text = sub_noting(_FULL_STOP, "。", text, changes)
    text = sub_noting(_PARENS, _widen_parens, text, changes)
    text = sub_noting(_QUOTED, _widen_quotes, text, changes)
    return text, changes


def fullwidth_punctuation(lines: tuple[Line, ...], context: Context) -> Step:
    """Replace ASCII `, ; : ! ? . ( ) "` set in Chinese text by their full-width forms.

    A reference (`[1] 李明.乡村振兴研究[J].农业经济,2021(3):12-15.`) keeps the marks its style sets."""
    return per_line(NAME, _fix, lines)

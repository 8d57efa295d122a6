"""Dates as written in Chinese web pages, to ISO strings of the precision the text gives."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_HAN_NUMBER = "〇零○Ｏ一二三四五六七八九十"

_FULL = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)"
)
_YEAR_MONTH = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*(?:年\s*(?P<m>\d{1,2})\s*月|[-/.](?P<m2>\d{1,2})(?![\d/.-]))"
)
_ROC_OFFSET = 1911
"""Taiwan counts years from 1912, the first of the Republic (民國): 民國112年 is 2023."""
_ROC_FULL = re.compile(
    r"(?:(?:中華|中华)?(?:民國|民国)\s*(?P<y>\d{2,3})|(?<![\d.])(?P<y3>1[0-2]\d))\s*(?:[-/.]|年)\s*"
    r"(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)"
)
"""A date of the Republic's calendar: `民國112年5月8日`, or a three-digit year from 100 (2011) to 129
(2040) written with its month and day, as Taiwan's sites write their dates (`112-05-08`)."""
_MONTH_DAY = re.compile(r"(?<![\d年.\-/])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]")
_HAN_FULL = re.compile(
    rf"(?P<y>[〇零○Ｏ一二三四五六七八九]{{4}})年(?P<m>[{_HAN_NUMBER}]{{1,2}})月(?P<d>[{_HAN_NUMBER}]{{1,3}})[日号]"
)
_HAN_MONTH_DAY = re.compile(
    rf"(?<![年{_HAN_NUMBER}])(?P<m>[{_HAN_NUMBER}]{{1,2}})月(?P<d>[{_HAN_NUMBER}]{{1,3}})[日号]"
)


def _han_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23; four-digit years read digit by digit."""
    if "十" not in text:
        return int("".join(str(_DIGITS[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def _iso(year: int | None, month: int, day: int | None) -> str | None:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    if year is None:
        return f"--{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first date in `text` with the match it came from, most precise form first at each place."""
    found: list[tuple[int, str, re.Match[str]]] = []
    for pattern, reader in _READERS:
        for match in pattern.finditer(text):
            iso = reader(match)
            if iso:
                found.append((match.start(), iso, match))
                break
    if not found:
        return None
    _, iso, match = min(found, key=lambda item: (item[0], -len(item[1])))
    return iso, match


def parse_date(text: str) -> str | None:
    """The first date in `text` as an ISO string (`2021-11-17`, `2021-11`, `--11-17`), or None."""
    result = find_date(text)
    return result[0] if result else None


_Reader = Callable[[re.Match[str]], str | None]
_READERS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (_FULL, lambda m: _iso(int(m["y"]), int(m["m"]), int(m["d"]))),
    (_HAN_FULL, lambda m: _iso(_han_number(m["y"]), _han_number(m["m"]), _han_number(m["d"]))),
    (_ROC_FULL, lambda m: _iso(int(m["y"] or m["y3"]) + _ROC_OFFSET, int(m["m"]), int(m["d"]))),
    (_YEAR_MONTH, lambda m: _iso(int(m["y"]), int(m["m"] or m["m2"]), None)),
    (_MONTH_DAY, lambda m: _iso(None, int(m["m"]), int(m["d"]))),
    (_HAN_MONTH_DAY, lambda m: _iso(None, _han_number(m["m"]), _han_number(m["d"]))),
)


def year_of(date: str | None) -> str | None:
    """The year of an ISO date as the metadata stores it; None for `--04-17` or no date."""
    return date[:4] if date and not date.startswith("--") else None


_NAMED = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)[-_.]?(?P<m>0[1-9]|1[0-2])[-_.]?(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)


def date_in_file_name(name: str) -> str | None:
    """A full date the file's name holds, as a scraper names pages (`2023-05-08_会议.txt`,
    `20230508-会议.txt`), or None."""
    match = _NAMED.search(name.rsplit("/", 1)[-1])
    if not match:
        return None
    try:
        return datetime.date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
    except ValueError:  # `2023-02-30`
        return None

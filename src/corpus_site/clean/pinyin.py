"""strip_pinyin_annotations: `隊(duì)` → `隊`, while real parentheses such as `(街道辦)` stay."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from corpus_site.clean.base import HAN, Changes, Context, Step, per_line
from corpus_site.model import Line

NAME = "strip_pinyin_annotations"
_FINALS = [
    "a",
    "o",
    "e",
    "ai",
    "ei",
    "ao",
    "ou",
    "an",
    "en",
    "ang",
    "eng",
    "ong",
    "er",
    "i",
    "ia",
    "ie",
    "iao",
    "iu",
    "iou",
    "ian",
    "in",
    "iang",
    "ing",
    "iong",
    "u",
    "ua",
    "uo",
    "uai",
    "ui",
    "uei",
    "uan",
    "un",
    "uen",
    "uang",
    "ueng",
    "v",
    "ve",
    "van",
    "vn",
    "ue",
]
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:" + "|".join(sorted(_FINALS, key=len, reverse=True)) + r")[1-5]?"
)
_ZHUYIN = "\u3105-\u312f\u31a0-\u31bf\u02ca\u02c7\u02cb\u02d9"
"""Zhuyin (bopomofo) letters and tone marks, which Taiwan's pages gloss characters with: `隊(ㄉㄨㄟˋ)`."""
_ALL_ZHUYIN = re.compile(f"[{_ZHUYIN} ]+")
_BODY = (
    rf"(?P<han>[{HAN}]+)(?P<space> )?"
    rf"[(（\[](?P<pinyin>[a-zA-Zü\u00c0-\u024fɑɡ\u0300-\u036f' 1-5\-{_ZHUYIN}]+)[)）\]]"
    rf"(?(space)(?: (?=[{HAN}]))?)"
)
"""Han characters and their romanisation, in brackets right after them or after one space (`隊 (duì) 伍`:
the space after the brackets goes with them)."""
# Matched only from the start of a run of Han characters: tried from every character of a run, the
# pattern would take time growing with the square of the run's length (1.4 s for 16,000 characters).
_ANNOTATION = re.compile(rf"(?<![{HAN}])" + _BODY)
_ANNOTATION_AT_END = re.compile(_ANNOTATION.pattern + "$")


_PINYIN_FONT_LETTERS = str.maketrans({"ɑ": "a", "ɡ": "g", "ı": "i"})


@cache
def _plain(syllable: str) -> str:
    """Drop tone marks; `ü` becomes `v` as in input methods, and the letters pinyin fonts draw
    differently (`ɑ`, `ɡ`, a dotless `ı` under a combining tone mark) their plain forms."""
    syllable = syllable.translate(_PINYIN_FONT_LETTERS)
    decomposed = unicodedata.normalize("NFD", syllable.lower().replace("ü", "v").replace("ǖ", "v"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ü", "v")


def _capitalised_with_tone(text: str) -> bool:
    return text[:1].isupper() and text[1:] == text[1:].lower() and not text.isascii()


_ZHUYIN_SYLLABLE = re.compile("\u02d9?[\u3105-\u312f\u31a0-\u31bf]+[\u02ca\u02c7\u02cb]?")
"""One syllable in zhuyin: its letters, the neutral tone's dot before them or a tone's mark after."""


@lru_cache(maxsize=65536)
def is_pinyin(text: str, max_syllables: int) -> bool:
    """True when `text` is 1..max_syllables lowercase pinyin syllables (tone marks or digits allowed,
    set apart by spaces or hyphens), capitalised (`Zhōng`) only with a tone mark, as `(China)` or
    `(Li)` may be English; or as many syllables in zhuyin (`ㄉㄨㄟˋ`)."""
    if _ALL_ZHUYIN.fullmatch(text):
        return len(_ZHUYIN_SYLLABLE.findall(text)) <= max_syllables
    if text != text.lower() and not _capitalised_with_tone(text):
        return False
    words = re.split(r"[ '\-]+", text.strip())
    if not 0 < len(words) <= max_syllables:
        return False
    if any(len(word) == 1 and word.isascii() for word in words):
        return False  # `(a)` numbers an item; `啊(a)` without its tone mark is too rare to tell
    if all(_SYLLABLE.fullmatch(_plain(word)) for word in words):
        return True
    counts = [_glued_syllables(word) or _erhua_syllables(word) for word in words]
    return None not in counts and sum(c for c in counts if c is not None) <= max_syllables


def _erhua_syllables(word: str) -> int | None:
    """How many syllables a word with the `r` of 儿 after it holds (`huār`, `yīdiǎnr`), when it carries a
    tone mark: without one, `(car)` may be English."""
    if len(word) < 3 or not word.endswith("r") or not any(map(_has_tone_mark, word)):
        return None
    stem = word[:-1]
    return 1 if _SYLLABLE.fullmatch(_plain(stem)) else _glued_syllables(stem)


def _glued_syllables(word: str) -> int | None:
    """How many syllables a word of pinyin glued together (`xiāofáng`) splits into, fewest first,
    each with one tone mark at most; None when it does not split, or carries no tone mark at all
    (`china` may be English)."""
    letters = unicodedata.normalize("NFC", word)
    plain = "".join(_plain(letter) for letter in letters)
    toned = [_has_tone_mark(letter) for letter in letters]
    if len(plain) != len(letters) or not any(toned):
        return None
    fewest: list[int | None] = [0] + [None] * len(plain)
    for end in range(1, len(plain) + 1):
        for start in range(max(0, end - _LONGEST_SYLLABLE), end):
            before, best = fewest[start], fewest[end]
            if before is not None and sum(toned[start:end]) <= 1 and _SYLLABLE.fullmatch(plain[start:end]):
                fewest[end] = before + 1 if best is None else min(best, before + 1)
    return fewest[-1]


_LONGEST_SYLLABLE = 6  # zhuang, shuang
_DIAERESIS = "\u0308"


@cache
def _has_tone_mark(letter: str) -> bool:
    """True for a letter with a tone mark (`ā`, `ǘ`), not for `ü` alone."""
    return any(unicodedata.combining(c) and c != _DIAERESIS for c in unicodedata.normalize("NFD", letter))


def _fix(text: str) -> tuple[str, Changes]:
    changes: Changes = []
    if "(" not in text and "（" not in text and "[" not in text:
        return text, changes

    def replace(match: re.Match[str]) -> str:
        han, pinyin, space = match.group("han", "pinyin", "space")
        if not is_pinyin(pinyin, len(han)) or (space and not _has_tone(pinyin)):
            return match.group()
        changes.append((match.group()[len(han) :], ""))  # the romanisation, not the characters it follows
        return han

    return _ANNOTATION.sub(replace, text), changes


def _has_tone(pinyin: str) -> bool:
    """True when the romanisation carries a tone, as a mark or a digit: apart from the characters by
    a space, `(beijing)` may be a name's spelling for readers of English, `(běijīng)` is a reading."""
    return any(char.isdigit() or _has_tone_mark(char) for char in unicodedata.normalize("NFC", pinyin))


def strip_pinyin_at_end(text: str) -> str:
    """`…任务(duì)` → `…任务`: the text without a pinyin annotation closing it."""
    if not text.endswith((")", "）", "]")):
        return text
    match = _ANNOTATION_AT_END.search(text)
    if match and is_pinyin(match["pinyin"], len(match["han"])):
        return text[: match.start()] + match["han"]
    return text


def strip_pinyin_annotations(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove romanisations glued in parentheses after Han characters."""
    return per_line(NAME, _fix, lines)

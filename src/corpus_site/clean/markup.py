"""strip_html_markup: HTML tags and entities left in scraped text (`<p>`, `<br/>`, `&nbsp;`, `&ldquo;`).

Only known HTML tag names count as tags, so a `<` of the text itself stays. A block tag (`<p>`,
`<br>`, `<div>`…) ends the line there; other tags go; a script's or a style's content goes with
its tags. Character references become the characters they name, a no-break space a plain space.
"""

from __future__ import annotations

import html
import re

from corpus_site.clean.base import Changes, Context, Step, sub_noting
from corpus_site.model import Line, Note

NAME = "strip_html_markup"
_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|br|dd|div|dl|dt|figcaption|figure|footer|form|h[1-6]|head|"
    "header|hr|html|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|title|tr|ul"
)
_INLINE_TAGS = (
    "a|abbr|b|big|button|center|cite|code|em|font|i|iframe|img|input|label|link|mark|meta|small|span|"
    "strong|sub|sup|u"
)
_TAG = re.compile(rf"</?(?:(?P<block>{_BLOCK_TAGS})|{_INLINE_TAGS})\b[^<>]*>", re.IGNORECASE)
_HIDDEN = re.compile(r"<(script|style|noscript)\b[^<>]*>.*?</\1\s*>", re.IGNORECASE)
_REFERENCE = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,7}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});?")
_BREAK = "\n"


def _character(match: re.Match[str]) -> str:
    found = html.unescape(match.group())
    return " " if found == "\u00a0" else found


def _fix(text: str) -> tuple[list[str], Changes]:
    changes: Changes = []
    text = sub_noting(_HIDDEN, "", text, changes)
    text = sub_noting(_TAG, lambda m: _BREAK if m["block"] else "", text, changes)
    text = sub_noting(_REFERENCE, _character, text, changes)
    return [part.strip() for part in text.split(_BREAK)], changes


def strip_html_markup(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove HTML tags (a block tag ends the line) and turn character references into characters."""
    kept: list[Line] = []
    notes: list[Note] = []
    for line in lines:
        if "<" not in line.text and "&" not in line.text:  # most lines: nothing to look for
            kept.append(line)
            continue
        parts, changes = _fix(line.text)
        if not changes:
            kept.append(line)
            continue
        notes.extend(Note(NAME, line.number, before, after.replace(_BREAK, "¶")) for before, after in changes)
        kept.extend(Line(line.number, part) for part in parts if part)
    return Step(tuple(kept), tuple(notes))

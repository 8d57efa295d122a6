"""Pages in traditional script: a rendered simplified page with its text converted by OpenCC.

Links keep working because every URL the templates write is percent-encoded (ASCII), and ids are
ASCII; readable attribute values (`title`, `aria-label`, `data-cite`) are converted with the text. An
element marked `data-keep-script` keeps its text, as the original file in the "what was cleaned" view
must.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus_site.convert import converter

TRADITIONAL_CONFIGS = ("s2t", "s2tw", "s2twp", "s2hk")
DEFAULT_TRADITIONAL = "s2t"

_KEEP_START = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*?\sdata-keep-script(?=[\s>=/])[^>]*>")


def to_traditional(config: str = DEFAULT_TRADITIONAL) -> Callable[[str], str]:
    """The text converter for one traditional variant."""
    return converter(config)


def _next_keep_start(html: str, position: int) -> re.Match[str] | None:
    """The next start tag marked `data-keep-script`: found by the attribute's name, then matched
    from the tag's `<` (the markup's text is escaped, so `<` only opens tags); scanning a long page
    tag by tag with the pattern alone is slow."""
    while (found := html.find("data-keep-script", position)) >= 0:
        opening = html.rfind("<", position, found)
        if opening >= 0 and (start := _KEEP_START.match(html, opening)) and start.end() > found:
            return start
        position = found + 1
    return None


def _keep_regions(html: str) -> list[tuple[int, int]]:
    """(start, end) of each element marked `data-keep-script`, its tags included."""
    regions: list[tuple[int, int]] = []
    position = 0
    while (start := _next_keep_start(html, position)) is not None:
        name = start[1].lower()
        tags = re.compile(rf"<(/?){name}\b[^>]*>", re.IGNORECASE)
        depth, end = 1, start.end()
        for tag in tags.finditer(html, start.end()):
            depth += -1 if tag[1] else 1
            if depth == 0:
                end = tag.end()
                break
        regions.append((start.start(), end))
        position = end
    return regions


def convert_html(html: str, convert: Callable[[str], str]) -> str:
    """The page with its text converted, marked elements left alone.

    OpenCC changes only Han characters, so markup passes through unharmed: tag names and URLs (always
    percent-encoded here) are ASCII, and attribute values in Han script (titles, labels) are meant to
    be converted. Converting whole stretches at once, rather than node by node, is also what keeps
    OpenCC's phrase conversions working.
    """
    out: list[str] = []
    position = 0
    for start, end in _keep_regions(html):
        out.append(convert(html[position:start]))
        out.append(html[start:end])
        position = end
    out.append(convert(html[position:]))
    return "".join(out)

"""Pages in traditional script: a rendered simplified page with its text converted by OpenCC.

Only text is converted: tags, URLs and ids stay as they are, so links keep working. Readable attribute
values (`title`, `aria-label`, `alt`, `placeholder`, `content`, `data-cite`) are converted too. An element
marked `data-keep-script` keeps its text, as the original file in the "what was cleaned" view must.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus_site.convert import converter

TRADITIONAL_CONFIGS = ("s2t", "s2tw", "s2twp", "s2hk")
DEFAULT_TRADITIONAL = "s2t"

_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
_READABLE_ATTRIBUTE = re.compile(r'(\s(?:title|aria-label|alt|placeholder|content|data-cite)=")([^"]*)(")')
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def to_traditional(config: str = DEFAULT_TRADITIONAL) -> Callable[[str], str]:
    """The text converter for one traditional variant."""
    return converter(config)


def convert_html(html: str, convert: Callable[[str], str]) -> str:
    """The page with its text and readable attributes converted, marked elements left alone."""
    out: list[str] = []
    keep_tag: str | None = None
    depth = 0
    position = 0
    for match in _TOKEN.finditer(html):
        text = html[position : match.start()]
        out.append(text if keep_tag else convert(text))
        token = match.group()
        position = match.end()
        tag = _TAG.match(token)
        if tag is None:
            out.append(token)
            continue
        closing, name = tag[1] == "/", tag[2].lower()
        if keep_tag:
            if name == keep_tag and name not in _VOID:
                depth += -1 if closing else 1
                if depth == 0:
                    keep_tag = None
            out.append(token)
            continue
        if not closing and " data-keep-script" in token and name not in _VOID:
            keep_tag, depth = name, 1
            out.append(token)
            continue
        out.append(_READABLE_ATTRIBUTE.sub(lambda m: m[1] + convert(m[2]) + m[3], token))
    tail = html[position:]
    out.append(tail if keep_tag else convert(tail))
    return "".join(out)

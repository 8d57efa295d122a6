"""drop_doc_share_header: `《name.docx》由会员分享，可在线阅读…` lines go, and give the title."""

from __future__ import annotations

import re
from functools import cache

from corpus_site.clean.base import Context, Step, both_scripts, squeeze
from corpus_site.model import Line, Note

NAME = "drop_doc_share_header"
_EXTENSIONS = r"(?:docx?|pdf|pptx?|xlsx?|txt|wps|rtf|et|dps)"
_FILE_NAME = re.compile(rf"[《<]?(?P<name>[^《》<>\n]{{2,200}}?)\.{_EXTENSIONS}\s*[》>]?", re.IGNORECASE)
_WORDS = (
    "由会员分享|由用户上传|会员分享|用户分享|可在线阅读|在线阅读|更多相关|相关资料|上搜索|免费下载|"
    "文档下载|下载文档|文档格式|页珍藏版|文档分享|文库|网友上传|原创力文档"
)


@cache
def _share_words() -> re.Pattern[str]:
    return re.compile(both_scripts(_WORDS))


_MAX_HEADER = 1000
"""Longer lines are body text: a header is a sentence or two."""


def header_title(text: str) -> str | None:
    """The document name a doc-share header line announces, or None if the line is not one."""
    if len(text) > _MAX_HEADER or not _share_words().search(squeeze(text)):
        return None
    match = _FILE_NAME.search(text)
    return match["name"].strip() if match else None


def drop_doc_share_header(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove doc-share header lines; the file name they announce becomes the title."""
    kept: list[Line] = []
    notes: list[Note] = []
    fields: dict[str, str] = {}
    for line in lines:
        title = header_title(line.text)
        if title is None:
            kept.append(line)
            continue
        notes.append(Note(NAME, line.number, line.text))
        fields.setdefault("title", title)
    return Step(tuple(kept), tuple(notes), fields)

"""drop_doc_share_header: a doc-share site's header goes, and gives the title.

Its forms: a `《name.docx》由会员分享，可在线阅读…` line anywhere; the file's name alone on one of the
first lines (`name.docx`); a line of upload details (`上传人：… 格式：DOCX 页数：12 积分：10`).
"""

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
_NAME_ALONE = re.compile(
    rf"^\s*[《<]?(?P<name>[^《》<>\n:：]{{2,200}}?)\.{_EXTENSIONS}\s*[》>]?(?:\s*[-_|｜]\s*[^\s]{{2,20}})?\s*$",
    re.IGNORECASE,
)
"""The file's name alone, or with the site's name after it (`name.doc - 某某文库`)."""
NAME_LINES = 3
"""The name of the file alone counts as a header on one of the first lines only."""
_UPLOAD_KEYS = (
    "上传人|上传者|上传用户|上传时间|上传日期|贡献者|文档格式|文件格式|格式|页数|文件大小|大小|积分|"
    "下载券|下载次数|浏览次数|IP属地|文档星级|文档热度|热度"
)
_UPLOAD_DETAILS = 2
"""Upload details on a line that make it a header (one alone may be a sentence's)."""
_LONE_DETAIL = 30
"""The longest line with one upload detail that counts as a header when it stands beside one."""


@cache
def _upload_key() -> re.Pattern[str]:
    return re.compile(both_scripts(rf"(?:{_UPLOAD_KEYS})\s*[:：]"), re.IGNORECASE)


_ITEM_NUMBER = re.compile(r"^\s*(?:\d{1,2}\s?[、.．]|[（(]\d{1,2}[)）])")


def _opens_the_page(lines: tuple[Line, ...], index: int) -> bool:
    """A file's name on this line may be the page's header: it is no numbered item, and no sentence
    and no colon announcing a list of attachments (`附件：`) comes before it."""
    before = [line.text.strip() for line in lines[:index] if line.text.strip()]
    return not _ITEM_NUMBER.match(lines[index].text) and not any(
        "。" in text or text.endswith(("：", ":")) for text in before
    )


def header_lines(lines: tuple[Line, ...]) -> dict[int, str | None]:
    """The indexes of the lines of a doc-share header, with the document name each announces."""
    found: dict[int, str | None] = {}
    for index, line in enumerate(lines):
        if (title := header_title(line.text)) is not None:
            found[index] = title
        elif index < NAME_LINES and _opens_the_page(lines, index) and (alone := _NAME_ALONE.match(line.text)):
            found[index] = alone["name"].strip()
        elif len(set(_upload_key().findall(squeeze(line.text)))) >= _UPLOAD_DETAILS:
            found[index] = None
    for index, line in enumerate(lines):  # one detail alone, beside the header it belongs to
        beside = index not in found and (index - 1 in found or index + 1 in found)
        if beside and len(line.text) <= _LONE_DETAIL and _upload_key().search(line.text):
            found[index] = None
    return found


def header_title(text: str) -> str | None:
    """The document name a doc-share header line announces, or None if the line is not one."""
    if len(text) > _MAX_HEADER or not _share_words().search(squeeze(text)):
        return None
    match = _FILE_NAME.search(text)
    if not match or match["name"].rstrip().endswith((":", "：")):
        return None  # `文档格式：.doc`: a detail's key and value, not a file's name
    return match["name"].strip()


def drop_doc_share_header(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove doc-share header lines; the file name they announce becomes the title."""
    header = header_lines(lines)
    kept: list[Line] = []
    notes: list[Note] = []
    fields: dict[str, str] = {}
    for index, line in enumerate(lines):
        if index not in header:
            kept.append(line)
            continue
        notes.append(Note(NAME, line.number, line.text))
        if (title := header[index]) is not None:
            fields.setdefault("title", title)
    return Step(tuple(kept), tuple(notes), fields)

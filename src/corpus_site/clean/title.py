"""take_title_line: a first line that reads as a title becomes the title; a repeat of it goes.

The site's name after the title, as a page's `<title>` carries it (`标题_某某网`, `标题 - 范文大全`), goes
too, as does the bracketed name of the page's source before it (`【人民日报】标题`), the `原标题：`
key of a republished report's original title, a date after the title (then the document's date), and
the emoji a post's title is decorated with (`🔥重磅！…🔥`).
"""

from __future__ import annotations

import re
from functools import cache

from corpus_site.clean.base import FULL_DATE, HAN_CHAR, PRESS_RELEASE, Context, Step, both_scripts, squeeze
from corpus_site.dates import find_date
from corpus_site.model import Line, Note

NAME = "take_title_line"
MIN_TITLE = 2
MAX_TITLE = 60
_NOT_TITLE_END = tuple("，,；;：:、。.")


def looks_like_title(text: str) -> bool:
    """A short line with Han text that ends no sentence and holds no full stop."""
    squeezed = squeeze(text)
    return (
        MIN_TITLE <= len(squeezed) <= MAX_TITLE
        and bool(HAN_CHAR.search(squeezed))
        and not squeezed.endswith(_NOT_TITLE_END)
        and "。" not in squeezed
    )


_UNDERSCORE = re.compile(r"\s*[_＿]")
_SITE_WORDS = (
    "网|网站|门户|政府|平台|大全|文库|范文|文秘|文档|在线|官网|频道|日报|晚报|新闻|资讯|之家|百科|论坛|"
    "客户端|公众号|头条|电视台|广播电视台"
)
MAX_SITE_NAME = 20


@cache
def _site_after_dash() -> re.Pattern[str]:
    return re.compile(both_scripts(rf"\s+[-－|｜]\s*[^\s]{{1,{MAX_SITE_NAME}}}(?:{_SITE_WORDS})$"))


@cache
def _original_title_key() -> re.Pattern[str]:
    return re.compile(both_scripts(r"^\s*原标题\s*[:：]\s*"))


def _without_site_name(title: str) -> str:
    """The title without the site's name after it: anything after an underscore (a Chinese title
    never holds one), or a name ending in a site's word after a spaced dash or bar."""
    if (underscore := _UNDERSCORE.search(title)) and len(title) - underscore.end() <= MAX_SITE_NAME:
        head = title[: underscore.start()]
        return head if looks_like_title(head) else title
    if dash := _site_after_dash().search(title):
        head = title[: dash.start()]
        return head if looks_like_title(head) else title
    return title


_TRAILING_DATE = re.compile(rf"\s+({FULL_DATE}(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?)\s*$")


def _without_trailing_date(title: str) -> tuple[str, str | None]:
    """The title without the date a list of articles prints after it (`全县召开防汛工作会议 2023-05-08`),
    and that date."""
    match = _TRAILING_DATE.search(title)
    found = find_date(match[1]) if match else None
    return (title[: match.start()], found[0]) if match and found else (title, None)


_SOURCE_TAG = re.compile(r"^\s*【(?P<tag>[^】]{2,20})】\s*")


def _without_source_tag(title: str, source: str | None) -> str:
    """The title without the bracketed name of its source before it (`【人民日报】全国秋粮收获过半`
    from a page whose source is 人民日报); a bracketed tag that names no source stays (`【权威发布】`)."""
    tag = _SOURCE_TAG.match(title)
    if not tag or not source or not (tag["tag"] in source or source in tag["tag"]):
        return title
    head = title[tag.end() :]
    return head if looks_like_title(head) else title


_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d"
_DECORATED_EDGES = re.compile(rf"^[{_EMOJI}\s]+|[{_EMOJI}\s]+$")
"""Emoji and pictographs around a post's title (`🔥重磅！…🔥`, `★…★`): no part of it."""


def _without_decoration(title: str) -> str:
    head = _DECORATED_EDGES.sub("", title)
    return head if looks_like_title(head) else title


SHORT_TITLE = 4
"""A first line shorter than this may name only the kind of document (`通知`, `讲话`)."""


@cache
def _release_label() -> re.Pattern[str]:
    return re.compile(both_scripts(f"(?:{PRESS_RELEASE}|新闻资料|快讯|简讯|要闻)"))


_ISSUER_MARK = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}文件$")
"""An official document's issuer mark above its title: `临江区人民政府办公室文件`."""


def _kind_above_title(first: str, second: str) -> bool:
    """True when the first line names only the kind of document the title under it ends with
    (`通知` above `关于做好防汛工作的通知`), labels a press release (`新聞稿`), or is the issuer's
    mark of an official document (`某某县人民政府文件`)."""
    kind, title = squeeze(first), squeeze(second)
    names_kind = len(kind) < SHORT_TITLE and len(title) > len(kind) and title.endswith(kind)
    labels = bool(_release_label().fullmatch(kind)) or bool(_ISSUER_MARK.match(kind))
    return (names_kind or labels) and looks_like_title(title)


def _drop_repeat(lines: list[Line], title: str, notes: list[Note]) -> None:
    """Drop a first body line that repeats the title (with the site's name after it or not), then
    cut the title off the front of the line that is first now (a doc-share page's text opens with it)."""
    if lines and squeeze(_without_site_name(lines[0].text)) == squeeze(title):
        notes.append(Note(NAME, lines[0].number, lines[0].text))
        del lines[0]
    if lines and lines[0].text.startswith(title + " "):
        first = lines[0]
        notes.append(Note(NAME, first.number, title + " "))
        lines[0] = Line(first.number, first.text[len(title) + 1 :])


def take_title_line(lines: tuple[Line, ...], context: Context) -> Step:
    """Take the first line as title when it reads as one; drop the body's repeat of a known title."""
    remaining = list(lines)
    notes: list[Note] = []
    fields: dict[str, str] = {}
    title = context.fields.get("title")
    if title is None and len(remaining) > 2 and _kind_above_title(remaining[0].text, remaining[1].text):
        notes.append(Note(NAME, remaining[0].number, remaining[0].text))  # `通知` above `关于…的通知`
        del remaining[0]
    if title is None and len(remaining) > 1:
        first = remaining[0]
        candidate = _without_source_tag(
            _without_site_name(_without_decoration(_original_title_key().sub("", first.text))),
            context.fields.get("source"),
        )
        candidate, dated = _without_trailing_date(candidate)
        if looks_like_title(candidate):
            remaining.pop(0)
            notes.append(Note(NAME, first.number, first.text))
            title = fields["title"] = candidate
            if dated and "date" not in context.fields:
                fields["date"] = dated
    if title and remaining and _original_title_key().match(remaining[0].text):
        notes.append(Note(NAME, remaining[0].number, remaining[0].text))  # the report's title before
        del remaining[0]
    if title:
        _drop_repeat(remaining, title, notes)
    return Step(tuple(remaining), tuple(notes), fields)

"""extract_metadata_lines: `来源：… 作者：… 责任编辑：…` and date lines move into metadata.

Only lines near the start or the end of a document are read as metadata, and only when the whole
line is made of `key：value` pairs, so a body sentence that happens to begin with `来源` stays.
"""

from __future__ import annotations

import re
from functools import cache

from corpus_site.clean.base import (
    FULL_DATE,
    PRESS_RELEASE,
    Context,
    Step,
    both_scripts,
    last_with_text,
    with_text,
)
from corpus_site.clean.chrome import is_chrome
from corpus_site.dates import find_date
from corpus_site.entities import COMPOUND_SURNAMES, SURNAMES
from corpus_site.model import Line, Note

NAME = "extract_metadata_lines"
HEAD_LINES = 8
TAIL_LINES = 5
_MAX_LENGTH = 200
_MAX_TITLE = 100
_MAX_VALUE = {"author": 40, "editor": 40, "source": 60, "reviewer": 40, "approver": 40, "photographer": 40}

KEYS: dict[str, tuple[str, ...]] = {
    "title": ("文章标题", "标题", "信息名称", "文件名称", "公文名称", "名称"),
    "source": ("文章来源", "本文来源", "信息来源", "稿件来源", "新闻来源", "内容来源", "资料来源", "来源单位",
               "来源", "稿源", "出处", "发布单位", "发布机构", "发布部门", "发布者", "供稿单位", "信息提供",
               "本文转自", "转载自", "转载于", "转自", "摘自", "选自", "原载", "出品", "图文来源", "素材来源",
               "消息来源"),
    "author": ("文章作者", "本报记者", "特约记者", "作者", "记者", "撰稿人", "撰稿", "撰文", "供稿",
               "通讯员", "文字", "文/图", "文"),
    "editor": ("责任编辑", "网络编辑", "值班编辑", "编辑", "责编", "小编"),
    "picture_editor": ("图片编辑", "美术编辑", "视频编辑"),
    "reviewer": ("审核", "审校", "校对", "终审", "编审", "审稿", "初审", "复审", "一审", "二审", "三审"),
    "approver": ("签发", "签发人", "审签"),
    "photographer": ("摄影", "图片", "制图", "图", "摄"),
    "date": ("发布时间", "发表时间", "发稿时间", "更新时间", "上传时间", "录入时间", "发布日期", "发表日期",
             "发文日期", "成文日期", "印发日期", "生成日期", "公开日期", "发表于", "发布于", "时间", "日期"),
    "views": ("点击数", "点击量", "点击率", "点阅数", "点阅次数", "浏览次数", "浏览量", "阅读次数", "阅读量",
              "阅读数", "访问量", "访问次数", "播放次数", "播放量", "人气", "点击", "浏览", "阅读"),
    "duration": ("视频时长", "音频时长", "时长"),
    # A government notice's entry in the catalogue of public information.
    "index_number": ("索引号",),
    "category": ("主题分类", "信息分类", "公开类别"),
    "document_number": ("发文字号", "文号"),
    "disclosure": ("公开方式", "公开形式", "信息公开形式", "公开范围"),
    "validity": ("有效性", "时效性", "效力状态"),
    "keywords": ("关键词", "文章关键词", "关键字", "主题词", "标签"),
    # A journal article's entry in the catalogues.
    "classification": ("中图分类号", "中图法分类号", "分类号"),
    "document_code": ("文献标识码",),
    "article_number": ("文章编号",),
    "doi": ("DOI",),
}  # fmt: skip
FIELD_LABELS = {field: aliases[0] for field, aliases in KEYS.items()}
"""How a page labels each field: by its first key (`views` → 点击数, `document_number` → 发文字号)."""
# Keys that may stand with a space instead of a colon, as in `记者 张三`.
_SPACE_KEYS = ("本报记者", "特约记者", "记者", "通讯员", "摄影", "文/图")
_SEPARATOR = r"[:：|｜丨/／]"
"""What sets a key apart from its value; posts write a bar with the character 丨 (`来源丨某某发布`)."""


def _spaced(alias: str) -> str:
    """The key in either script, with a stray space allowed between its characters."""
    return r"\s?".join(both_scripts(re.escape(char)) for char in alias)


@cache
def _key_pattern() -> re.Pattern[str]:
    aliases = sorted((a for names in KEYS.values() for a in names), key=len, reverse=True)
    spaced = "|".join(_spaced(alias) for alias in aliases)
    space_keys = "|".join(_spaced(alias) for alias in _SPACE_KEYS)
    return re.compile(
        rf"(?:^|(?<=[\s【\[|｜丨/（(]))(?:(?P<spacekey>{space_keys})\s+(?=[^\s:：])|(?P<key>{spaced})\s*{_SEPARATOR})"
    )


@cache
def _canonical() -> dict[str, str]:
    table: dict[str, str] = {}
    from corpus_site.convert import to_simplified

    for field, aliases in KEYS.items():
        for alias in aliases:
            table[alias] = field
    return {**table, **{to_simplified(k): v for k, v in table.items()}}


def _field_of(raw_key: str) -> str:
    from corpus_site.convert import to_simplified

    return _canonical()[to_simplified(re.sub(r"\s", "", raw_key))]


_BRACKETED_CONTROL = re.compile(r"[【\[][^】\]]{1,10}[】\]]")
"""A page control beside the fields, as in `【纠错】 【责任编辑：孙悦】`, when `is_chrome` says so."""
_BYLINE_BRACKETS = re.compile(r"^[（(【\[](.*)[）)】\]](?:\s*\d{7})?$")
"""A byline in brackets; a wire's seven-figure story code may follow it (`（編輯：李淑華）1121120`)."""
_VALUE_JUNK = " \t\u3000|｜丨/,，;；【】[]()（）"
_RELEASE = rf"(?:{PRESS_RELEASE}|新[闻聞][发發]布稿)"
"""A press release's label: `新聞稿`, `新聞公報`, `新闻发布稿`."""
_LUNAR = (
    r"[农農][历曆]"
    r"[甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥鼠牛虎兔龙龍蛇马馬羊猴鸡雞狗猪豬年闰閏正一二三四五六七八九十冬腊臘月初廿卅日]{3,14}"
)
"""The same day in the lunar calendar, as a portal's banner gives it after the date: `农历三月十九`."""
_DATE_ONLY = re.compile(
    r"^[\s\d年月日号:：./\-时分秒〇零○一二三四五六七八九十中華华民國国]+"
    r"(?:\s*[（(]?(?:星期|周)[一二三四五六日天][)）]?[\s\d:：时分秒]*)?"
    rf"(?:\s*{_LUNAR})?"
    r"(?:\s*(?:HKT|CST|(?:GMT|UTC)\s*\+\s*0?8(?::?00)?))?"
    rf"(?:\s+{_RELEASE})?$"
)
_RELEASE_ONLY = re.compile(rf"^{_RELEASE}$")
_TIME_ONLY = re.compile(r"^(?:(?:北京|香港|澳门|台北|当地|本地)?时间\s*)\d{1,2}\s*[时点:：]\s*\d{1,2}\s*分?$")
"""A time alone with its zone's name, as a press release closes: `香港時間12時30分`."""
_POSTED = re.compile(
    r"^(?:编辑|发布|发表|更新|修改)于\s*(?P<date>[\d\s年月日:：./\-]+?)\s*(?:[・·•|｜]?\s*IP\s*属地\s*[:：]?\s*\S{2,8})?$"
)
"""When a post was written, and where from, as social sites print it:
`编辑于 2023-05-08 10:12・IP 属地北京`."""
_POSTED_FROM = re.compile(
    r"^(?P<date>(?:\d{2,4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}[:：]\d{2})?)\s*来自\s*\S.{0,40}$"
)
"""When a microblog post was written, and the app it was sent from: `5月8日 10:12 来自 微博 weibo.com`."""
_IP_PLACE = re.compile(r"^IP\s*属地\s*[:：]?\s*[\u4e00-\u9fff]{2,8}$")
_OUTLET_END = ("网", "报", "社", "台", "刊", "杂志", "客户端", "新闻", "发布", "在线", "频道", "财经")
"""How an outlet's name ends (`新华网`, `人民日报`, `某某发布`)."""
_DATED_SOURCE = re.compile(
    rf"^(?:原创\s*)?(?P<date>{FULL_DATE}(?:\s*\d{{1,2}}[:：]\d{{2}}(?:[:：]\d{{2}})?)?)\s*[\s·・|｜]\s*"
    rf"(?P<source>[\u4e00-\u9fffA-Za-z]{{2,16}}?(?:{'|'.join(_OUTLET_END)})?)"
    r"(?P<account>(?:官方)?(?:百家号|头条号|企鹅号|网易号|搜狐号|大鱼号|账号|帐号))?$"
)
"""A date and the outlet a page took the report from, with no key: `2023年05月08日 10:12 新华网`, or
`2023-05-08 10:12·潇湘晨报官方百家号` (the platform's word for an account goes). The name must end as
an outlet's does, or an account's, so a date and a place (`2023年5月8日 北京`) are not read as one."""
_EDITION = re.compile(
    rf"^《(?P<source>[^》]{{2,16}})》\s*[(（]?\s*(?P<date>{FULL_DATE})"
    r"\s*(?:第?\s*\d{1,3}\s*版(?:\s*[:：]?\s*[^)）]{0,12})?)?\s*[)）]?$"
)
"""Where a paper printed the report: `《人民日报》（2023年05月08日 第 04 版）`."""


def _same_length_simplified(text: str) -> str:
    """The line in simplified script, so keys match in any variant form (`發佈`, `來源`), when the
    conversion keeps every character in place; otherwise the line itself."""
    from corpus_site.convert import to_simplified

    simplified = to_simplified(text)
    return simplified if len(simplified) == len(text) else text


_ACCOUNT_HEADER = re.compile(
    r"^(?:(?P<original>原创)\s+)?(?:(?P<author>[^\s:：]{2,12})\s+)??(?P<source>[^\s:：]{2,30})\s+"
    rf"(?P<date>{FULL_DATE}(?:\s+\d{{1,2}}:\d{{2}})?)"
    r"(?:\s+(?P<place>发表于\S{2,8}))?$"
)
"""A social-media post's header: `原创 张三 某某发布 2023-05-06 18:30 发表于云南` (author, account,
time, where it was posted from). Read as one only when marked original or posted from a place."""


def _dated_source(text: str) -> re.Match[str] | None:
    """`_DATED_SOURCE`'s match, when the name ends as an outlet's does or an account follows it."""
    match = _DATED_SOURCE.match(text)
    return match if match and (match["account"] or match["source"].endswith(_OUTLET_END)) else None


def _account_header(text: str) -> dict[str, str] | None:
    match = _ACCOUNT_HEADER.match(_same_length_simplified(text.strip()))
    if not match or not (match["original"] or match["place"]):
        return None
    found = find_date(match["date"])
    fields = {"source": match["source"], **({"date": found[0]} if found else {})}
    if match["author"]:
        fields["author"] = match["author"]
    return fields


_NAME = r"[\u4e00-\u9fff]{2,4}"
"""A person's name as bylines write it: two to four Han characters."""
_ONE_NAME = rf"(?:{_NAME}|[\u4e00-\u9fff]{{1,6}}[·•][\u4e00-\u9fff]{{1,6}})"
"""`_NAME`, or a name in parts joined by a middle dot (`买买提·艾力`)."""
_NAMES = re.compile(rf"{_ONE_NAME}(?:[\s、，,/]+{_ONE_NAME})*")
"""Reporters' names after `记者`: `张三`, `张三 李四`, `买买提·艾力`."""


def _reporters(value: str) -> bool:
    """True when `value` names reporters, spaced apart or with a stray space inside a name (`周 敏`)."""
    return bool(_NAMES.fullmatch(value) or _NAMES.fullmatch("".join(value.split())))


_REPORTED_FROM = re.compile(
    rf"^(?:(?P<date>{FULL_DATE}(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?)\s+)?"
    r"(?:(?P<source>[\u4e00-\u9fffA-Za-z]{2,10})\s*[／/]\s*)?"
    rf"(?:本报|特约|实习)?记者\s*(?P<name>{_NAME}(?:[、\s]{_NAME})*)\s*[／/]\s*[\u4e00-\u9fff]{{1,8}}(?:报导|报道)$"
)
"""A byline with the place it was filed from, as Taiwan's papers write it: `記者陳美玲／新竹報導`, maybe
after the time and the paper (`2023-05-08 14:20 聯合報／記者王小明／台中即時報導`)."""


_OUTLET_REPORTER = re.compile(
    rf"^(?P<source>[\u4e00-\u9fff]{{2,10}}?(?:{'|'.join(_OUTLET_END)}))(?:特约|见习|实习)?记者\s*"
    rf"(?P<name>{_NAME}(?:[、\s]{_NAME})*)$"
)
"""An outlet's reporter alone on a line: `澎湃新闻记者 王昕`."""


_REPRINTED = re.compile(
    r"^(?:本文|文章|此文|原文)(?:转载自|转载于|转自|摘自|选自|来自|来源于)\s*[:：]?\s*"
    r"(?:(?:微信)?(?:公众号|公众平台)\s*)?[“\"「『《]?(?P<source>[^“”\"「」『』《》\s，。！？,:：]{2,30})"
    r"[”\"」』》]?\s*[。.]?$"
)
"""Where a report was reprinted from, said without a key: `本文转载自微信公众号“平安临江”`,
`文章转自人民网`."""


_DOCUMENT_NUMBER = re.compile(
    r"^[\u4e00-\u9fff]{1,12}\s*[〔\[【（(［]\s*(?:19|20)\d{2}\s*[〕\]】）)］]\s*\d{1,4}\s*号$"
)
"""An official document's number alone under its issuer's mark: `临政办发〔2023〕12号`."""


def _reported_fields(text: str, match: re.Match[str]) -> dict[str, str]:
    """The fields of a `_REPORTED_FROM` byline, each in the line's own script."""
    fields = {"author": text[match.start("name") : match.end("name")]}
    if match["source"]:
        fields["source"] = text[match.start("source") : match.end("source")]
    if match["date"] and (found := find_date(match["date"])):
        fields["date"] = found[0]
    return fields


_SPACES = re.compile(r"\s+")
_CONTROL_WORD = re.compile(r"[\u4e00-\u9fff]{2}")


def _without_controls(text: str) -> str:
    """The line without the page controls that end it (`发布日期：2023年05月08日  字体：[大 中 小]  打印`);
    a word such as 字体 or 打印 must be among them, as a lone `小` may end a name."""
    # From the shortest tail: a tail that is not all controls makes every longer one not all controls.
    cut = len(text)
    for space in reversed(list(_SPACES.finditer(text))):
        if not is_chrome(text[space.end() :]):
            break
        cut = space.start()
    return text[:cut] if _CONTROL_WORD.search(text, cut) else text


_SPEAKER = re.compile(
    r"^(?P<role>[\u4e00-\u9fff、]{0,16}(?:副?书记|[省市县区州镇乡]长|主任|局长|部长|厅长|主席|院长|校长|处长|"
    r"科长|常委|委员|秘书长|理事长|董事长|总经理|会长|所长|检察长|行长|社长|总编辑|政委))\s+"
    rf"(?P<name>{_NAME})$"
)
"""A speaker under a speech's title: `县委书记  李建国`. The name must begin with a surname."""


def speaker_line(text: str) -> str | None:
    """The speaker's name when the line holds a position and a name, and nothing else."""
    text = text.strip()
    match = _SPEAKER.match(_same_length_simplified(text))
    if not match or not (match["name"][0] in SURNAMES or match["name"][:2] in COMPOUND_SURNAMES):
        return None
    return text[match.start("name") : match.end("name")]  # in its own script


def parse_metadata_line(text: str) -> dict[str, str] | None:
    """The fields of a metadata line, or None when the line is not made only of metadata."""
    if (header := _account_header(text)) is not None:
        return header
    stripped = _BRACKETED_CONTROL.sub(lambda m: "" if is_chrome(m[0]) else m[0], _without_controls(text))
    stripped = stripped.strip()
    bracketed = _BYLINE_BRACKETS.match(stripped)
    stripped = bracketed[1].strip() if bracketed else stripped
    if len(stripped) > _MAX_LENGTH:
        return None
    simplified = _same_length_simplified(stripped)
    posted = _POSTED.match(simplified) or _POSTED_FROM.match(simplified)
    if posted or _DATE_ONLY.match(stripped):
        found = find_date(posted["date"] if posted else stripped)
        return {"date": found[0]} if found else None
    if _TIME_ONLY.match(simplified) or _IP_PLACE.match(simplified) or _RELEASE_ONLY.match(simplified):
        return {}  # metadata, of nothing the document keeps
    if (dated := _dated_source(simplified)) and (found := find_date(dated["date"])):
        return {"date": found[0], "source": stripped[dated.start("source") : dated.end("source")]}
    if (edition := _EDITION.match(simplified)) and (found := find_date(edition["date"])):
        return {"date": found[0], "source": stripped[edition.start("source") : edition.end("source")]}
    if reported := _REPORTED_FROM.match(simplified):
        return _reported_fields(stripped, reported)
    if reporter := _OUTLET_REPORTER.match(simplified):
        return {"author": stripped[reporter.start("name") : reporter.end("name")]}
    if _DOCUMENT_NUMBER.match(simplified):
        return {"document_number": stripped}
    if reprinted := _REPRINTED.match(simplified):
        source = _read_value("source", stripped[reprinted.start("source") : reprinted.end("source")])
        return {"source": source} if source else {}
    matches = list(_key_pattern().finditer(simplified))
    if not matches:
        return None
    fields: dict[str, str] = {}
    # A date may open the line without a key, as in `2022-08-03 10:20 来源：新华网`.
    if lead := stripped[: matches[0].start()].strip(_VALUE_JUNK):
        if not (_DATE_ONLY.match(lead) and (found := find_date(lead))):
            return None
        fields["date"] = found[0]
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(stripped)
        value = stripped[match.end() : end].strip(_VALUE_JUNK)
        key = match["key"] or match["spacekey"]
        field = _field_of(key)
        value, date = _trailing_date(field, value)
        parsed = _read_value(field, value)
        if parsed is None or (key == "记者" and parsed and not _reporters(parsed)):
            return None  # `记者：下一步有什么打算`: an interview's question, not a byline
        if parsed and field not in fields:
            fields[field] = parsed
        if date:
            fields.setdefault("date", date)
    return fields


_TRAILING_DATE = re.compile(r"^(?P<value>.*?\S)\s+(?P<date>[\d年月日号:：./\-时分秒\s]+)$")


def _trailing_date(field: str, value: str) -> tuple[str, str | None]:
    """A value with an unkeyed date after it (`来源：新华网 2023-02-15 09:30`) split from that date."""
    if field == "date" or not (match := _TRAILING_DATE.match(value)):
        return value, None
    found = find_date(match["date"])
    return (match["value"].strip(_VALUE_JUNK), found[0]) if found else (value, None)


def _read_value(field: str, value: str) -> str | None:
    """The value as stored; "" for an empty value; None when it cannot belong to the field."""
    if not value:
        return ""
    if field == "date":
        found = find_date(value)
        if found and _DATE_RESIDUE.sub("", value[: found[1].start()] + value[found[1].end() :]):
            return None  # more than a date: `时间：5月10日 地点：县会议中心` is a notice's text
        return found[0] if found else ""
    if field == "author":
        value = _ROLE.sub("", value) or value  # `作者：记者 陈晨`: the name, not the role
    if field == "photographer":
        value = _CREDIT_END.sub("", value) or value  # `图／张三 摄`, `圖／中央氣象局提供`
    if field in _PERSON_FIELDS:
        value = _STAFF_CODE.sub("", value)  # `王小明_NBJ12345`: the name, not the site's staff code
        simplified = _same_length_simplified(value)
        if simplified.lower() in _NO_NAME or _SITE_AS_PERSON.search(simplified):
            return ""  # `作者：佚名`, `作者：范文大全`: the line is metadata, and names no one
    if field == "views":
        value = _VIEWS_UNIT.sub("", value)  # `阅读：1234次`: the count
    if field == "source" and _same_length_simplified(value).lower() in _NO_SOURCE:
        return ""  # `来源：本站原创`, `发布者：admin`: metadata that names no outlet
    if field in _MAX_VALUE and len(value) > _MAX_VALUE[field]:
        return None
    if field == "title":  # a title may hold a comma, never a full stop
        return value if len(value) <= _MAX_TITLE and "。" not in value else None
    if field == "keywords":  # words set apart by spaces or commas
        return value if len(value) <= _MAX_KEYWORDS and not _SENTENCE_END.search(value) else None
    if _SENTENCE_PUNCT.search(value) or not _balanced(value):
        return None  # a sentence of the body, as in `（记者 张三）近日，…`
    return value


_DATE_RESIDUE = re.compile(
    r"[\s,，;；|｜/()（）日号]|\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?|(?:星期|周)[一二三四五六日天]|"
    # An ISO timestamp's time: `2021-11-17T18:50:00.000+08:00`.
    r"T(?=\d)|(?<=\d)\.\d{1,6}|(?<=\d)(?:Z|[+-]\d{2}:?\d{2})(?=\s|$)|"
    rf"\d{{1,2}}\s*[时点](?:\s*\d{{1,2}}\s*分)?(?:\s*\d{{1,2}}\s*秒)?|[上下]午|早上|晚上|{_LUNAR}"
)
"""What may stand beside a date in its field: a time, a weekday, the lunar date, separators."""
_PERSON_FIELDS = frozenset({"author", "editor", "reviewer", "approver", "photographer"})
_NO_NAME = frozenset(
    {"佚名", "未知", "匿名", "不详", "管理员", "admin", "administrator", "本站", "本站编辑", "网友"}
)
"""What a site writes in a person's field when it names no one."""
_NO_SOURCE = _NO_NAME | {"原创", "本站原创", "本网原创", "网络", "互联网", "网络整理", "网友投稿", "网络转载"}
"""What a site writes as a report's source when it names no outlet: itself, or the web at large."""
_VIEWS_UNIT = re.compile(r"\s*人?次$")
_CREDIT_END = re.compile(r"\s*(?:提供|摄|攝)$")
_SITE_AS_PERSON = re.compile(r"(?:范文|文库|大全|网站|网)$|^(?:https?://|www\.)")
"""A site's name, or its address, where a person's name belongs (`作者：范文大全`)."""
_STAFF_CODE = re.compile(r"(?:_[A-Za-z]+\d*|\s+[A-Z]{2,4}\d{2,5})$")
"""A site's code for the staff member after a name: `王小明_NBJ12345`, `刘万里 SF014`."""
_ROLE = re.compile(r"^(?:本报|特约|实习)?(?:记者|通讯员|記者|通訊員)\s+")
_SENTENCE_PUNCT = re.compile(r"[，。！？；!?;]|, ")
_SENTENCE_END = re.compile(r"[。！？!?]")
_MAX_KEYWORDS = 60
_PAIRS = {"（": "）", "(": ")", "【": "】", "[": "]", "《": "》"}


def _balanced(value: str) -> bool:
    expected: list[str] = []
    for char in value:
        if char in _PAIRS:
            expected.append(_PAIRS[char])
        elif char in _PAIRS.values() and (not expected or expected.pop() != char):
            return False
    return not expected


_BYLINE_IN_BODY = re.compile(
    r"^.{0,30}?[（(【〔]\s*(?P<byline>(?:本报|特约|实习)?(?:记者|通讯员)[^）)】〕]{1,40})[）)】〕]"
)
"""A bracketed byline near a paragraph's start; Taiwan's papers bracket it with `〔〕`:
`〔記者王小明／台北報導〕`."""


_REPORTERS = re.compile(rf"^(?:本报|特约|实习)?(?:记者|通讯员)(?P<names>{_NAME}(?:、{_NAME})*)$")


_BYLINE_CLOSING = re.compile(
    r"[（(【〔]\s*(?P<byline>(?:本报|特约|实习)?(?:记者|通讯员)[^（(）)】〔〕]{1,40})[）)】〕]\s*$"
)


def byline_in_body(text: str, closing: bool = False) -> dict[str, str]:
    """Fields of a bracketed byline opening a body paragraph, as in `本报讯（记者 张三 通讯员 李四）…`,
    or with `closing`, ending the last one (`…总投资达320亿元。（记者 吴刚）`).

    Only read, never removed: the byline is part of the report's own text.
    """
    simplified = _same_length_simplified(text)
    match = _BYLINE_CLOSING.search(simplified) if closing else _BYLINE_IN_BODY.match(simplified)
    if not match:
        return {}
    if fields := parse_metadata_line(match["byline"]):
        return fields
    names = _REPORTERS.match(match["byline"])  # `（记者王浩、李明）`: no space after the key
    return (
        {"author": text[match.start("byline") + names.start("names") : match.end("byline")]} if names else {}
    )


SPEAKER_LINES = 4
"""A speaker's line counts as metadata on one of the first lines only, under the title."""


@cache
def _body_label() -> re.Pattern[str]:
    """A label before the body's first line, as in `正文：8月30日，…`. Compiled when first needed, as
    the other patterns made with `both_scripts` are: importing the rules (to name them on a page)
    then loads no OpenCC dictionary."""
    return re.compile(both_scripts(r"^\s*正文\s*[:：]\s*"))


_CLOSING_CREDIT = re.compile(
    r"(?<=[。！？!?…”」』])\s*[（(【\[]\s*(?P<credit>(?:责任编辑|责编|编辑|审核|校对)\s*[:：]?\s*"
    r"[^（()）【】\[\]]{1,40})[）)】\]]\s*$"
)
"""An editor's credit in brackets after the last sentence: `…压实责任。（责任编辑：张三）`."""


def _closing_credit(line: Line) -> tuple[Line, Note, dict[str, str]] | None:
    """The last line without the editor's credit it ends with, the note, and the credit's fields."""
    match = _CLOSING_CREDIT.search(_same_length_simplified(line.text))
    if not match or not (
        fields := parse_metadata_line(line.text[match.start("credit") : match.end("credit")])
    ):
        return None
    return (
        with_text(line, line.text[: match.start()]),
        Note(NAME, line.number, line.text[match.start() :]),
        fields,
    )


def extract_metadata_lines(lines: tuple[Line, ...], context: Context) -> Step:
    """Move metadata lines from the head and tail of the document into fields.

    A `正文：` label before the body's first line goes too, and an editor's credit in brackets after
    the last sentence (`…压实责任。（责任编辑：张三）`)."""
    edge = set(range(min(HEAD_LINES, len(lines)))) | set(range(max(0, len(lines) - TAIL_LINES), len(lines)))
    kept: list[Line] = []
    notes: list[Note] = []
    fields: dict[str, str] = {}
    for index, line in enumerate(lines):
        found = parse_metadata_line(line.text) if index in edge else None
        if found is None and index < SPEAKER_LINES and (speaker := speaker_line(line.text)):
            found = {"author": speaker}
        if found is None:
            label = _body_label().match(line.text) if index < HEAD_LINES else None
            if label and line.text[label.end() :].strip():
                notes.append(Note(NAME, line.number, label.group(), ""))
                line = with_text(line, line.text[label.end() :])
            kept.append(line)
            continue
        notes.append(Note(NAME, line.number, line.text))
        for key, value in found.items():
            fields.setdefault(key, value)
    last = last_with_text(kept)
    if last is not None and (credit := _closing_credit(kept[last])):
        kept[last], note, found = credit
        notes.append(note)
        for key, value in found.items():
            fields.setdefault(key, value)
    return Step(tuple(kept), tuple(notes), fields)

"""drop_preview_tails: "preview ended / download the full text" tails and advertising lines.

A preview-ended marker means nothing after it belongs to the document, so the marker line and
every line after it go, but for the page's own metadata lines that close it (`来源：…`,
`编辑：…`); what a messaging app's article page shows below the text (`预览时标签不可点`,
`继续滑动看下一个`) ends it the same way. Other advertising lines go one by one, as does a line that
opens with a platform's disclaimer (`…仅代表作者观点，本平台仅提供信息存储服务。`), however long;
known advertising sentences are cut out of the lines they were pasted into.
"""

from __future__ import annotations

import re
from functools import cache

from corpus_site.clean.base import (
    HAN,
    NUMERALS,
    SENTENCE_CLOSE,
    TERMINAL_PUNCT,
    Changes,
    Context,
    Step,
    both_scripts,
    squeeze,
    sub_noting,
    with_text,
)
from corpus_site.clean.metadata import HEAD_LINES, TAIL_LINES, parse_metadata_line
from corpus_site.model import Line, Note

NAME = "drop_preview_tails"
_AD_LINE_MAX = 120

_END_MARKERS = (
    r"(?:预览|试读|阅读|浏览)(?:已|已经)?(?:结束|完毕)|剩余\s*\d+\s*页未读|还剩\s*\d+\s*页未读|"
    r"(?:下载|查看)(?:此|本)?(?:完整|全部)?(?:全文|文档|原文)|(?:全文|完整版|原文)(?:下载|阅读)|"
    r"点击(?:下载|查看全文|阅读全文)|展开全文|继续阅读|阅读全文|点击[^，。,]{0,6}阅读原文(?!件)|喜欢此内容的人还喜欢|"
    r"(?:相关|推荐|延伸|热门|猜你喜欢|更多|往期|精彩)(?:阅读|文章|新闻|推荐|资讯|文档|回顾|链接|稿件|报道)(?:请看|请点击)?\s*[:：]?\s*[\]】)）]?\s*$|"
    r"^更多[\u4e00-\u9fff]{0,4}[闻讯]\s*[:：]?$|"
    r"^友情链接\s*[:：]?|"
    r"您?可能(?:感兴趣|关注|喜欢)的(?:文档|文章|内容)|文档评论\s*[（(]\d+[)）]|"
    r"返回\S{1,6}[，,]?\s*查看更多|"
    r"^(?:猜你喜欢|大家都在看|为你推荐|作者(?:最新|其他|更多)(?:文章|作品)|更多精彩|"
    r"点击排行|阅读排行|热点新闻|热点推荐|热门推荐|网友评论|最新评论|精彩评论|最新(?:文档|文章|新闻|资讯))\s*[:：]?$|"
    # What a messaging app's article page shows below the text, copied with it.
    r"^(?:预览时标签不可点|继续滑动看下一个|向上滑动看下一个|轻触阅读原文)$|微信扫一扫可打开此内容"
)
_COPYRIGHT = r"版权所有|Copyright|©|ICP备|公网安备"
"""Copyright and registration marks: advertising lines, and what a site's footer runs into."""
_AD_LINES = (
    r"扫一扫|关注(?:我们|公众号|微信)|免费下载|立即下载|"
    rf"{_COPYRIGHT}|版权声明|免责声明|联系我们|关于我们|网站地图|"
    r"请勿照搬|请勿抄袭|仅供(?:学习)?参考|可任意编辑|下载后可编辑|文档可编辑|本文(?:档)?来源于网络|"
    r"本文档由用户提供|收益归属内容提供方|若内容存在侵权|如有侵权|侵权请联系|侵删|"
    r"更多.{0,10}(?:请访问|请关注|尽在|请下载|请见|请看|请点击|请浏览)|加入好友|加好友|^(?:延伸|相关|推荐|热门)(?:阅读|新闻)\s*[》>]|以上(?:就)?是(?:小编|本站)?(?:为|给)大家(?:整理|分享|带来|收集|精选)|报料(?:热线|电话|邮箱)?\s*[:：]|(?:原文|本文|文章)(?:链接|连结|地址)|转载请(?:[注註]|标)明|内容来自\S{1,20}(?:网|文库)|广告还剩|文档加载中|该用户很懒|让每个人平等地提升自我|版权归\S{0,8}所有|长按识别|"
    r"未经(?:授权|许可).{0,6}(?:转载|使用|复制)|严禁转载|禁止转载|版权作品|"
    r"(?:免费)?预览前\s*\d+\s*页|本文档共\s*\d+\s*页|"
    r"(?:分辨率|最佳效果)浏览|您是(?:本站)?第\s*\d+\s*位访(?:客|问者)|(?:本站|本网站|本网)由\S{0,30}(?:技术支持|维护)|"
    r"仅代表作者本人|转载此文|传递更多信息|不代表本(?:网|站|平台|号)(?:的)?(?:观点|立场)|并不意味着赞同|信息存储(?:空间)?服务|由网友上传|版权归原作者|此处已添加|打开\S{0,8}(?:APP|客户端)|"
    r"(?:点|给)(?:个|一下)?在看|点亮在看|点赞.?在看|一键三连|点个赞|尽在\S{0,12}(?:APP|客户端)|"
    r"已有\s*\d+\s*人(?:参与|评论)|文明上网|理性发言|文档贡献者|内容提供方|"
    r"请(?:使用|用)\S{0,8}(?:OFFICE|WPS|Word|PDF)\S{0,10}打开|"
    # A call to subscribe, opening a line (a report's sentence says who may subscribe).
    r"^\s*(?:立即|马上|免费)?订阅\S{0,6}电子报"
)
_AD_WORDS = r"扫码|二维码|公众号|会员|付费|VIP"
"""Words of advertising that a report uses too (`利用微信公众号开展宣传`, `120家会员单位`): a line with
one is advertising when it calls on the reader (`_CALLS`) or is no sentence of the text."""
_CALLS = (
    r"(?:关注|订阅|搜索|添加|加入|识别|长按)[^，。！？,!?；]{0,12}(?:公众号|二维码|微信号)|"
    r"(?:扫码|扫描[^，。！？,!?；]{0,8}二维码)[^，。！？,!?；]{0,3}"
    r"(?:关注|下载|阅读|查看|获取|领取|加入|进群|咨询|联系|订阅|收听|观看|购买)|"
    r"(?:开通|成为|注册|充值|升级|购买)[^，。！？,!?；]{0,4}(?:会员|VIP)|"
    r"(?:会员|VIP)(?:专享|免费|下载|特权|中心|登录|注册)|付费(?:下载|阅读|查看|内容|文档|会员)|"
    r"(?:公众号|微信号)\s*(?:ID)?\s*[:：]"
)
"""How advertising asks the reader to follow, scan, pay or join: `扫码关注`, `开通VIP会员`."""
_OUTLINE_MARKER = re.compile(
    rf"^\s*(?:[{NUMERALS}]{{1,3}}[、是]|[（(][{NUMERALS}]{{1,3}}[）)]|第[{NUMERALS}]{{1,3}}[，、,：:])"
)
"""A heading's number (`三、`, `（三）`, `第三，`): a heading is the text's, ending as a sentence or not."""

_AD_SENTENCES = (
    r"(?:本文(?:档)?)?仅供(?:学习|个人)?(?:参考|学习|交流)[^。！？!?]{0,20}?(?:请勿|不得)[^。！？!?]{0,12}[。！？!?]?|"
    r"(?:本文档|文档)?(?:下载后)?可(?:任意|自由)编辑[^。！？!?]{0,20}[。！？!?]?|"
    # An invitation to follow the outlet after the last sentence: `…稳定。 更多精彩内容请关注某某公众号`
    r"(?:(?<=[。！？!?])|^)\s*更多[^。！？!?]{0,12}(?:请关注|请访问|尽在|请下载)[^。！？!?]{0,20}$|"
    # A doc-share site's introduction opening the text: `某某网网友近日为您收集整理了关于…的文档，…`
    r"^\s*[^。！？!?]{0,20}?为您收集整理了关于[^。！？!?]{1,80}?的文档[^。！？!?]{0,40}[。！？!?]?\s*(?:以下是文档介绍[:：])?|"
    # A microblog's link marker and its button to fold the post: `…生产。O网页链接 收起全文d`
    r"\s*O网页链接|\s*(?:收起全文d|展开全文c)\s*$|"
    # An outlet's invitation to its app, at a sentence's start: `下载某某新闻APP，获取更多资讯。`
    r"(?:(?<=[。！？!?])|^)\s*(?:下载|打开|安装)[^。！？!?，,]{0,12}(?:APP|App|app|客户端)[，,]?[^。！？!?]{0,16}[。！？!?]?"
)


_DISCLAIMER = (
    r"仅代表(?:该|本)?(?:作者|个人|机构)|不代表[^。！？!?]{0,16}(?:观点|立场)|"
    r"仅提供信息(?:存储|发布)|提供信息发布(?:传播)?(?:服务|平台)"
)
"""A platform's disclaimer of what it carries: `仅代表作者观点`, `本平台仅提供信息存储服务`."""
_CARRIED = rf"本文|该文|此文|文章|以上内容|作者|平台|本站|本网|[{HAN}]号"
"""What a disclaimer speaks of: the text, its author, the platform or an account on it."""
_FIRST_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")


@cache
def _disclaimer() -> re.Pattern[str]:
    return re.compile(both_scripts(_DISCLAIMER))


@cache
def _carried() -> re.Pattern[str]:
    return re.compile(both_scripts(_CARRIED))


def _is_disclaimer(text: str) -> bool:
    """True for a line that opens with a platform's disclaimer (`本文为某某号作者…上传并发布，仅代表
    该作者观点…`): it goes whole, however long, since what follows is the platform's too."""
    first = _FIRST_SENTENCE.match(text)
    sentence = first.group() if first else ""
    return bool(_disclaimer().search(sentence) and _carried().search(sentence))


_FOOTER_MARKS = rf"{_COPYRIGHT}|网站标识码"
_FOOTER_FIELDS = (
    r"(?:主办|承办|协办|维护|管理)(?:单位)?|技术支持|联系电话|联系方式|电话|传真|地址|邮编|邮政编码|"
    r"电子邮箱|邮箱|E-?mail|网站标识码|网站地图"
)

_SPACES = re.compile(" {2,}")


@cache
def _footer_mark() -> re.Pattern[str]:
    return re.compile(both_scripts(_FOOTER_MARKS), re.IGNORECASE)


@cache
def _footer_field() -> re.Pattern[str]:
    return re.compile(both_scripts(rf"^(?:{_FOOTER_FIELDS})\s*[:：]"), re.IGNORECASE)


def _site_footer(lines: tuple[Line, ...]) -> set[int]:
    """Indexes of the lines of a site's footer: a short copyright or registration line, and the
    short `主办单位：…`, `技术支持：…`, `地址：…` lines that run into it. Such a line elsewhere (the
    organisers of an event, a contact in a notice) is the document's own and stays."""
    marks = [i for i, line in enumerate(lines) if _is_short(line.text) and _footer_mark().search(line.text)]
    footer = set(marks)
    for mark in marks:
        for step in (-1, 1):
            index = mark + step
            while 0 <= index < len(lines) and _is_footer_field(lines[index].text):
                footer.add(index)
                index += step
    return footer


def _is_footer_field(text: str) -> bool:
    return _is_short(text) and (
        bool(_footer_field().match(text.strip())) or bool(_footer_mark().search(text))
    )


@cache
def _end_marker() -> re.Pattern[str]:
    return re.compile(both_scripts(_END_MARKERS), re.IGNORECASE)


@cache
def _ad_line() -> re.Pattern[str]:
    return re.compile(both_scripts(_AD_LINES), re.IGNORECASE)


@cache
def _ad_word() -> re.Pattern[str]:
    return re.compile(both_scripts(_AD_WORDS), re.IGNORECASE)


@cache
def _call() -> re.Pattern[str]:
    return re.compile(both_scripts(_CALLS), re.IGNORECASE)


def _advertising(text: str, squeezed: str) -> re.Pattern[str] | None:
    """The pattern that finds where a line's advertising starts, when the line is advertising: it
    names what only advertising names, or it names what a report may name too (a messaging account,
    members, a QR code) and either calls on the reader or is no sentence or heading of the text."""
    if _ad_line().search(squeezed):
        return _ad_line()
    if not _ad_word().search(squeezed):
        return None
    if _call().search(squeezed):
        return _call()
    stripped = text.strip()
    if stripped.endswith(tuple(SENTENCE_CLOSE)) or _OUTLINE_MARKER.match(stripped):
        return None
    return _ad_word()


@cache
def _ad_sentence() -> re.Pattern[str]:
    return re.compile(both_scripts(_AD_SENTENCES))


def _is_short(text: str) -> bool:
    return len(text) <= _AD_LINE_MAX


_PROSE_LENGTH = 15
_TITLE_END = ("？", "！", "?", "!")


def _is_prose(line: Line) -> bool:
    """A sentence of the text, as a page's furniture above it (a menu, fields, the title) is not: it
    ends as a sentence does; a title may end with a question or an exclamation, never a full stop."""
    text = line.text.strip()
    if text.endswith(_TITLE_END):
        return len(text) >= _PROSE_LENGTH
    return text.endswith(tuple(TERMINAL_PUNCT))


_LAST_SENTENCE_END = re.compile(r".*[。！？!?][”’」』]?")


_UNFINISHED = ("，", ",", "、")
"""What a line ends with when its sentence goes on in the next line."""


def _drop_after_prose(line: Line, pattern: re.Pattern[str], kept: list[Line], notes: list[Note]) -> None:
    """Drop an advertising or footer line, but for the sentences of the text it was pasted after
    (`…取得新成效。版权所有©某某区融媒体中心`): those before the sentence `pattern` finds, when long
    enough to be prose or when they finish a sentence the line above left unfinished."""
    match = pattern.search(line.text)
    before = _LAST_SENTENCE_END.match(line.text, 0, match.start()) if match else None
    continues = bool(kept) and kept[-1].text.rstrip().endswith(_UNFINISHED)
    long_enough = before is not None and len(before.group().strip()) >= _PROSE_LENGTH
    prose = before.group() if before and (long_enough or continues) else ""
    notes.append(Note(NAME, line.number, line.text[len(prose) :]))
    if prose:
        kept.append(with_text(line, prose.rstrip()))


AD_TAIL = 40
"""The longest advertisement or footer pasted after a long paragraph's last sentence."""


def _advertising_tail(text: str) -> str:
    """What follows the last sentence of a line when it is a short advertisement or a footer
    (`…完成14项重点任务。版权所有©某某融媒体中心`)."""
    end = _LAST_SENTENCE_END.match(text)
    tail = text[end.end() :] if end else ""
    if not tail.strip() or len(tail) > AD_TAIL:
        return ""
    squeezed = squeeze(tail)
    return tail if _footer_mark().search(squeezed) or _advertising(tail, squeezed) else ""


def _field_at_edge(lines: tuple[Line, ...], index: int) -> bool:
    """A field among the page's first or last lines (`来源：某某公众号`), left for
    `extract_metadata_lines` to read, although it names what advertising names."""
    at_edge = index < HEAD_LINES or index >= len(lines) - TAIL_LINES
    return at_edge and bool(parse_metadata_line(lines[index].text))


def _closing_metadata(rest: tuple[Line, ...]) -> int:
    """How many of the last lines after an end marker are the page's metadata (`来源：…`, `编辑：…`),
    left for `extract_metadata_lines` to read."""
    count = 0
    while count < min(len(rest), TAIL_LINES) and parse_metadata_line(rest[len(rest) - 1 - count].text):
        count += 1
    return count


def drop_preview_tails(lines: tuple[Line, ...], context: Context) -> Step:
    """Cut the document at a preview-ended marker; drop advertising lines and sentences."""
    kept: list[Line] = []
    notes: list[Note] = []
    footer = _site_footer(lines)
    for index, line in enumerate(lines):
        squeezed = squeeze(line.text)
        if index in footer:
            _drop_after_prose(line, _footer_mark(), kept, notes)
            continue
        if _is_short(line.text) and _end_marker().search(squeezed):
            if not any(map(_is_prose, kept)):  # a sidebar's list above the text: the text is below
                notes.append(Note(NAME, line.number, line.text))
                continue
            closing = _closing_metadata(lines[index + 1 :])
            _drop_after_prose(line, _end_marker(), kept, notes)
            rest = lines[index + 1 : len(lines) - closing]
            notes.extend(Note(NAME, after.number, after.text) for after in rest)
            kept.extend(lines[len(lines) - closing :])
            break
        if _is_disclaimer(line.text) and any(map(_is_prose, kept)):
            notes.append(Note(NAME, line.number, line.text))
            continue
        advertising = _advertising(line.text, squeezed) if _is_short(line.text) else None
        if (
            advertising is not None
            and not _ad_sentence().search(line.text)
            and not _field_at_edge(lines, index)
        ):
            _drop_after_prose(line, advertising, kept, notes)
            continue
        if tail := _advertising_tail(line.text):
            notes.append(Note(NAME, line.number, tail))
            line = with_text(line, line.text[: -len(tail)].rstrip())
        changes: Changes = []
        text = _SPACES.sub(" ", sub_noting(_ad_sentence(), "", line.text, changes)).strip()
        notes.extend(Note(NAME, line.number, before, after) for before, after in changes)
        if text:
            kept.append(with_text(line, text))
    return Step(tuple(kept), tuple(notes))

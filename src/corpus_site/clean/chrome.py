"""drop_site_chrome: lines made only of page controls (`【打印】【关闭】`, `字体：大 中 小`,
`分享到：`), a site's menu (`政务公开 | 新闻中心 | 办事服务 | 互动交流`), a portal's banner
(`今天是：…`, `欢迎访问…网站！`), the site's name above the title (`某某市人民政府门户网站`), what
stands where a picture or a video was (`图片`, `视频加载中...`, `END`, `（完）`), an app's name alone
(`某某新闻客户端`), a post's collections and tags (`收录于合集 #防汛 12个`), a clipping library's
`来自：… > 《…》`, symbols alone (`👇👇👇`) or pointing on after a sentence (`…知识。▼`), a rule drawn
with one mark (`＊＊＊＊＊＊`), and a web address alone."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from corpus_site.clean.base import FULL_DATE, Context, Step, both_scripts, squeeze, with_text
from corpus_site.model import Line, Note

NAME = "drop_site_chrome"
_MAX_LENGTH = 80
_CONTROLS = (
    # A post's counters first, before the words alone: `转发 123 评论 45 赞 678`.
    "(?:转发|评论|赞|收藏)\\s*[\\d.]+\\s*万?|"
    "打印本页|打印此页|打印文章|关闭窗口|关闭本页|返回顶部|回到顶部|返回列表|返回首页|返回上一页|返回上页|回上一页|回上页|"
    "加入收藏|收藏本文|"
    "列印本页|列印|分享让更多人看到|分享到|分享至|在手机打开当前页|扫一扫在手机打开|字体|字号|默认|打印|关闭|收藏|分享|返回|"
    "新浪微博|腾讯微博|人人网|豆瓣|百度贴吧|QQ好友|微信好友|"
    # The social sites of sites in Taiwan, Hong Kong and abroad (`分享至：Facebook Twitter LINE`).
    "Facebook|Twitter|LINE|WhatsApp|Telegram|LinkedIn|Plurk|Weibo|WeChat|E-?mail|[复複][制製](?:链接|连结|网址)|"
    "微信|微博|朋友圈|QQ空间|QQ|大|中|小|A\\+|A-|T\\s*[|｜]\\s*T|我要纠错|纠错|评论|点赞|在看|写留言|留言|"
    "(?:阅读|浏览)\\s*[\\d.]+\\s*万?\\+?|"
    "设为首页|网站导航|无障碍浏览|无障碍阅读|繁体版|简体版|English\\s*Version|"
    "阅读原文|查看更多|登录|注册|退出|手机版|无障碍|长者模式|简体|繁体|English|预览时标签不可点|我要反馈|保存网页|喜欢|已关注|关注|"
    "站内搜索|高级搜索|搜索|请输入(?:搜索)?关键(?:字|词)|检索|广告|(?:点击)?进入专题|"
    # A question-and-answer site's counters (`128 人赞同了该回答`, `赞同 128`, `12 条评论`).
    "赞同\\s*[\\d.]+\\s*万?|[\\d.]+\\s*万?\\s*人赞同了该(?:回答|文章)|[\\d.]+\\s*万?\\s*条评论|添加评论|"
    # A forum's and a clipping library's buttons (`回复`, `1楼`, `转藏到我的图书馆`, `献花(0)`).
    "发表评论|举报|反馈|回复|楼主|\\d+\\s*楼|转藏到我的图书馆|转藏|献花\\s*[(（]\\d+[)）]|\\+1"
)


@cache
def _control() -> re.Pattern[str]:
    return re.compile(both_scripts(_CONTROLS), re.IGNORECASE)


_FILLER = re.compile(r"[\s【】\[\]()（）:：|｜/、,，·•<>＜＞«»]+")


def is_chrome(text: str) -> bool:
    """True when a short line holds nothing but page controls."""
    text = squeeze(text)
    if len(text) > _MAX_LENGTH or not _control().search(text):
        return False
    return not _FILLER.sub("", _control().sub("", text))


_MENU_SEPARATOR = re.compile(r"\s*[|｜]\s*")
_MENU_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,8}")
MENU_ITEMS = 4
"""Items, each a word or two and no more, that make a line of them, set apart by bars, a menu (three
when one is the home page): a title of three phrases set apart by bars stays."""


@cache
def _home() -> re.Pattern[str]:
    return re.compile(both_scripts("(?:网站)?首页"))


_SECTIONS = (
    "首页|新闻|要闻|时政|国际|国内|财经|经济|体育|娱乐|科技|教育|军事|社会|文化|旅游|健康|汽车|房产|图片|视频|"
    "评论|专题|政务|公开|服务|互动|动态|公告|通知|民生|法治|生活|数据|直播|专栏|时评|地方|本地"
)
"""The sections a news site's menu names."""


@cache
def _section() -> re.Pattern[str]:
    return re.compile(both_scripts(f"(?:{_SECTIONS})"))


MENU_SECTIONS = 3
"""Sections a line of words set apart by spaces names, at least, to be a menu: a list of names is not."""


def is_menu(text: str) -> bool:
    """True for a line of short menu items set apart by bars, or by spaces when it names a news
    site's sections (`新闻 时政 国际 财经 体育`)."""
    items = [item for item in _MENU_SEPARATOR.split(text.strip()) if item]
    wanted = MENU_ITEMS - 1 if any(_home().fullmatch(item) for item in items) else MENU_ITEMS
    if len(items) >= wanted and all(_MENU_ITEM.fullmatch(item) for item in items):
        return True
    words = text.split()
    return (
        len(words) >= MENU_ITEMS
        and all(_MENU_ITEM.fullmatch(word) for word in words)
        and sum(bool(_section().fullmatch(word)) for word in words) >= MENU_SECTIONS
    )


@cache
def _site_name() -> re.Pattern[str]:
    ends = "门户网站|门户网|官方网站|官网|新闻中心|融媒体中心|全媒体新闻中心"
    return re.compile(both_scripts(rf"^[^\s，。；：！？,.;:!?]{{2,24}}(?:{ends})$"))


@cache
def _placeholder() -> re.Pattern[str]:
    return re.compile(
        both_scripts(
            r"^[\[【（(]?(?:图片|图|资料图片?|示意图|配图|视频|视频加载中|点击播放|音频)[\]】）)]?[.。…]*$|"
            r"^[▲△▼▽↑↓👆👇]*[\[【（(]?点击(?:上方|下方)?(?:视频|图片)(?:观看|查看大图|查看|播放)[\]】）)]?$|"
            r"^[\[【（(]?(?:图片|配图|视频)来源\s*[:：][^\]】）)]{1,30}[\]】）)]?$|"
            r"^[-—–=\s]*(?:THE\s*)?END[-—–=\s]*$|"
            r"^[\[【（(\-—–]?\s*(?:全文)?完\s*[\]】）)\-—–]?$|^\S{2,10}(?:客户端|APP)$|"
            r"^(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:[/:?#]\S*)?$"
        ),
        re.IGNORECASE,
    )


@cache
def _banner() -> re.Pattern[str]:
    """What a portal shows above every page: today's date (`今天是：2023年5月8日 星期一`, not the
    document's), a welcome (`欢迎访问某某区人民政府门户网站！`)."""
    return re.compile(
        both_scripts(
            rf"^(?:今天是|今日|今天)\s*[:：]?\s*{FULL_DATE}\s*(?:(?:星期|周)[一二三四五六日天])?"
            r"(?:\s*农历\S{2,12})?$|"
            r"^欢迎(?:访问|光临|来到|进入)\S{2,30}?(?:网站|网|门户|平台|主页)\s*[！!。.]?$"
        )
    )


@cache
def _collection() -> re.Pattern[str]:
    return re.compile(both_scripts(r"^收录于(?:合集|话题|专辑)(?:\s*#\S+(?:\s*\d+个)?)*$"))


_HASHTAGS = re.compile(r"^(?:#[^\s#]*[\u4e00-\u9fff][^\s#]*(?:\s*\d+[个個])?(?:\s+|$))+$")
"""A post's tags (`#防汛救灾 12个`), each with a Han character; `#话题#`, closed as a microblog writes a
topic in the text, is not one."""


@cache
def _filed_under() -> re.Pattern[str]:
    return re.compile(both_scripts(r"^来自\s*[:：]\s*\S.{0,30}?\s*>\s*《[^》]{1,20}》$"))


_DECORATION = frozenset({"So", "Sm", "Sk", "Mn", "Cf"})
"""Unicode categories of what decorates a post and says nothing: emoji, arrows, stars, and the
joiners and selectors emoji are made with."""


def is_decoration(text: str) -> bool:
    """True for a line of symbols alone (`👇👇👇`, `▼`, `↓↓↓`); punctuation (`***`, `……`) is no symbol."""
    text = squeeze(text)
    return bool(text) and all(unicodedata.category(char) in _DECORATION for char in text)


_SEPARATOR = re.compile(r"^\s*([*＊=＝~～_＿\-－—─━])(?:\s*\1){4,}\s*$")
"""A line of one mark repeated five times or more (`＊＊＊＊＊＊`, `======`), a rule drawn across the
page; three marks (`***`) may part a text's sections."""


def is_separator(text: str) -> bool:
    """True for a line that only draws a rule across the page."""
    return bool(_SEPARATOR.match(text))


_TRAILING_POINTERS = re.compile(
    r"(?<=[。！？!?…”」』）)])\s*(?:[▼▲↓↑⬇⬆👇👆]+|[（(【\[]\s*(?:全文)?完\s*[）)】\]])$"
)
"""Arrows after a sentence's end, pointing at a picture or a button the page had there, and a news
agency's end mark (`…稳定。（完）`)."""


def is_collection(text: str) -> bool:
    """True for the line naming the collections a post is filed under (`收录于合集 #防汛 12个`), or
    for a line of the tags alone."""
    if len(text) > _MAX_LENGTH:  # the tags' pattern backtracks over a long line's every character
        return False
    squeezed = squeeze(text)
    return bool(_collection().match(squeezed) or _HASHTAGS.match(text.strip()))


SITE_NAME_LINES = 2
"""The site's name counts as chrome on one of the first lines only, where it stands above a title."""


def drop_site_chrome(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove lines of page controls, menus, the site's name, and placeholders of pictures and videos.

    Symbols alone on a line go, a rule drawn with one mark, and arrows after a sentence's end."""
    kept: list[Line] = []
    notes: list[Note] = []
    for index, line in enumerate(lines):
        text, squeezed = line.text, squeeze(line.text)
        site_name = index < SITE_NAME_LINES and len(lines) > index + 1 and _site_name().match(squeezed)
        if (
            is_chrome(text)
            or is_menu(text)
            or site_name
            or _placeholder().match(squeezed)
            or _banner().match(squeezed)
            or is_collection(text)
            or is_decoration(text)
            or is_separator(text)
            or _filed_under().match(text.strip())
        ):
            notes.append(Note(NAME, line.number, text))
        elif pointers := _TRAILING_POINTERS.search(text):
            notes.append(Note(NAME, line.number, pointers.group()))
            kept.append(with_text(line, text[: pointers.start()]))
        else:
            kept.append(line)
    return Step(tuple(kept), tuple(notes))

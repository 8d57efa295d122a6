"""drop_site_chrome: lines made only of page controls (`【打印】【关闭】`, `字体：大 中 小`, `分享到：`)."""

from __future__ import annotations

import re
from functools import cache

from corpus_site.clean.base import Context, Step, both_scripts, drop_lines, squeeze
from corpus_site.model import Line

NAME = "drop_site_chrome"
_MAX_LENGTH = 80
_CONTROLS = (
    "打印本页|打印此页|打印文章|关闭窗口|关闭本页|返回顶部|回到顶部|返回列表|返回首页|返回上一页|返回上页|"
    "加入收藏|收藏本文|"
    "列印本页|列印|分享到|分享至|在手机打开当前页|扫一扫在手机打开|字体|字号|默认|打印|关闭|收藏|分享|返回|"
    "微信|微博|朋友圈|QQ空间|QQ|大|中|小|A\\+|A-|T\\s*[|｜]\\s*T|纠错|评论|点赞|在看|写留言|留言|"
    "(?:阅读|浏览)\\s*[\\d.]+\\s*万?\\+?"
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


def drop_site_chrome(lines: tuple[Line, ...], context: Context) -> Step:
    """Remove lines made only of print/close/share/font-size controls."""
    return drop_lines(NAME, lines, is_chrome)

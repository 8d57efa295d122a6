"""Clean synthetic Chinese articles, and the scraping damage the cleaner must undo.

The sentences are assembled from word lists written for this project (no web text), so a damaged
file can be compared with the exact clean text it came from. Used by the property-based tests and
by bench/accuracy.py. The build benchmark also mixes in paragraphs of the seed documents
(`seed_paragraphs`), so its articles have the length of real ones.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from corpus_site.convert import converter

PLACES = [
    "青龙镇",
    "白沙县",
    "临江市",
    "东湖区",
    "南山街道",
    "石门乡",
    "金水县",
    "北塘镇",
    "云岭州",
    "西河村",
]
ORGANS = ["应急管理局", "消防救援大队", "人民政府", "党委办公室", "市场监管局", "住建局", "教育局", "卫健委"]
PEOPLE = ["王建国", "李红梅", "张志强", "刘晓燕", "陈明", "赵丽华", "孙国庆", "周敏", "吴海涛", "郑玉兰"]
ACTIONS = ["召开", "举行", "组织召开", "专题召开"]
MEETINGS = [
    "安全生产工作会议",
    "森林防火部署会",
    "防汛工作推进会",
    "消防安全培训会",
    "基层党建工作座谈会",
    "冬春火灾防控工作会",
    "城乡环境整治动员会",
    "食品安全检查通报会",
]
VERBS = ["要求", "强调", "指出", "表示"]
TASKS = [
    "压实工作责任",
    "加强隐患排查",
    "完善应急预案",
    "落实值班制度",
    "强化宣传教育",
    "提升处置能力",
    "健全长效机制",
    "深化专项整治",
    "加大督查力度",
    "做好物资保障",
    "推进网格化管理",
    "开展联合检查",
]
CONNECTORS = ["同时", "此外", "会议认为", "下一步", "与会人员一致表示"]
SITES = [
    "青龙网",
    "临江新闻网",
    "白沙县人民政府网",
    "东湖在线",
    "云岭日报",
    "某某文库",
    "文档分享网",
    "范文大全",
]


@dataclass
class Article:
    """A clean article: what the loader should give back."""

    title: str
    date: str  # ISO
    author: str
    source: str
    paragraphs: list[str] = field(default_factory=list)


def _sentence(rng: random.Random) -> str:
    tasks = rng.sample(TASKS, rng.randint(2, 4))
    connector = rng.choice(CONNECTORS)
    count = rng.randint(2, 30)
    return f"{connector}，{rng.choice(PLACES)}要{'、'.join(tasks)}，完成{count}项重点任务。"


def seed_paragraphs(folder: Path) -> list[str]:
    """The clean (simplified) body paragraphs of the documents in folder, for recombining."""
    from corpus_site.reader import read_corpus

    corpus = read_corpus(folder)
    return [p.text for d in corpus.documents for p in d.paragraphs if len(p.text) >= 40]


def make_article(rng: random.Random, borrowed: Sequence[str] = ()) -> Article:
    place, organ, person = rng.choice(PLACES), rng.choice(ORGANS), rng.choice(PEOPLE)
    meeting = rng.choice(MEETINGS)
    year, month, day = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
    title = f"{place}{organ}{rng.choice(ACTIONS)}{meeting}"
    opening = f"{month}月{day}日，{place}{organ}{rng.choice(ACTIONS)}{meeting}，{person}出席会议并讲话。"
    paragraphs = [opening]
    for _ in range(rng.randint(2, 5)):
        speaker = rng.choice(PEOPLE)
        body = "".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
        paragraphs.append(f"{speaker}{rng.choice(VERBS)}，{body}")
    if borrowed:
        for paragraph in rng.sample(list(borrowed), min(len(borrowed), rng.randint(1, 3))):
            paragraphs.insert(rng.randint(1, len(paragraphs)), paragraph)
    return Article(
        title, f"{year:04d}-{month:02d}-{day:02d}", rng.choice(PEOPLE), rng.choice(SITES), paragraphs
    )


def to_script(article: Article, traditional: bool) -> Article:
    if not traditional:
        return article
    t = converter("s2t")
    return Article(
        t(article.title),
        article.date,
        t(article.author),
        t(article.source),
        [t(p) for p in article.paragraphs],
    )


# ---- damage -------------------------------------------------------------------------------------

_SYLLABLES = [
    "duì",
    "xiàng",
    "dòng",
    "huì",
    "zhǎng",
    "kāi",
    "lái",
    "wǎng",
    "jí",
    "guó",
    "shù",
    "biān",
    "de",
    "men",
]


def add_pinyin(text: str, rng: random.Random, rate: float) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < rate:
            out.append(f"({rng.choice(_SYLLABLES)})")
    return "".join(out)


def damage_commas(text: str, rng: random.Random, rate: float) -> str:
    out = []
    for ch in text:
        if ch == "，" and rng.random() < rate:
            out.append(rng.choice([",,", ",", "，，"]))
        elif ch in "、。；" and rng.random() < rate:
            out.append("," + ch)
        else:
            out.append(ch)
    return "".join(out)


def add_stray_spaces(text: str, rng: random.Random, rate: float) -> str:
    out = []
    for index, ch in enumerate(text):
        out.append(ch)
        following = text[index + 1 : index + 2]
        if "\u4e00" <= ch <= "\u9fff" and "\u4e00" <= following <= "\u9fff" and rng.random() < rate:
            out.append(" ")
    return "".join(out)


def _date_text(iso: str, rng: random.Random) -> str:
    y, m, d = iso.split("-")
    return rng.choice([iso, f"{y}年{int(m)}月{int(d)}日", f"{y}/{m}/{d}", f"{y}.{m}.{d}"]) + rng.choice(
        ["", " 09:30", " 18:50:12"]
    )


def metadata_line(article: Article, rng: random.Random) -> str:
    source_key = rng.choice(["来源", "文章来源", "信息来源"])
    author_key = rng.choice(["作者", "文章作者"])
    date_key = rng.choice(["时间", "发布时间", "日期", "发布日期", ""])  # "": the date stands without a key
    colon = rng.choice([":", "：", "： "])
    byline = rng.choice([f"{author_key}{colon}", "文/", "文 | ", "记者 ", "本报记者 "]) + article.author
    fields = [
        f"{source_key}{colon}{article.source}",
        byline,
        f"{rng.choice(['点击数', '浏览次数'])}{colon}{rng.randint(0, 9999)}",
    ]
    rng.shuffle(fields)
    date = _date_text(article.date, rng)
    parts = [f"{date_key}{colon}{date}" if date_key else date, *fields]
    return (" " * rng.randint(1, 3)).join(parts)


def web_page(article: Article, rng: random.Random, traditional: bool) -> str:
    """The article as a scraped news page: breadcrumb, title, metadata, navigation and ads."""
    return _web_page_and_title(article, rng, traditional)[0]


def _web_page_and_title(article: Article, rng: random.Random, traditional: bool) -> tuple[str, int]:
    """`web_page`, and the index of its title's line."""
    t = converter("s2t") if traditional else (lambda s: s)
    site = article.source
    lines = []
    if rng.random() < 0.7:
        section = rng.choice(["新闻中心", "工作动态", "政务公开"])
        lines.append(t(f"{rng.choice(['首页', '网站首页'])} > {section} > 正文"))
    title = len(lines)
    lines.append(article.title)
    lines.append(t(metadata_line(article, rng)))
    lines += ["  " + p if rng.random() < 0.5 else p for p in article.paragraphs]
    lines.append(t(f"上一篇：{rng.choice(PLACES)}开展安全检查"))
    lines.append(t(f"下一篇：{rng.choice(PLACES)}举办应急演练"))
    if rng.random() < 0.5:
        lines.append(t("【打印本页】【关闭窗口】"))
    if rng.random() < 0.3:
        lines.append(t(f"版权所有：{site} 备案号：ICP备{rng.randint(10000000, 99999999)}号"))
    return "\n".join(lines) + "\n", title


def add_page_furniture(page: str, title: int, article: Article, traditional: bool) -> str:
    """What other sites put around and inside a web page (`web_page`, damaged, its title on line
    `title`): the site's name after the title, a list of earlier posts after the text, a link to the
    original, a picture's placeholder between paragraphs, a page number cutting a paragraph, a
    paragraph broken after a comma. Drawn from a generator of their own, so that the rest of the
    damage stays as it was."""
    extra = random.Random(f"furniture:{article.title}:{article.date}")
    t = converter("s2t") if traditional else (lambda s: s)
    lines = page.rstrip("\n").split("\n")
    first, count = title + 2, len(article.paragraphs)
    if extra.random() < 0.2:
        lines[title] += extra.choice(["_", " - ", " | "]) + t(article.source)
    if extra.random() < 0.1:
        earlier = [f"{extra.choice(PLACES)}开展应急演练", f"{extra.choice(PLACES)}部署汛期工作"]
        lines[first + count : first + count] = [t("往期推荐"), *map(t, earlier)]
    if extra.random() < 0.1:
        link = (
            extra.choice(["原文链接：", "本文链接："])
            + f"http://www.example.gov.cn/{extra.randint(1, 9999)}.html"
        )
        lines.append(t(link))
    # Each on its own paragraph, from the bottom up, so that each index still points where it was
    # drawn; a picture goes in before the paragraph it is drawn with.
    chosen = extra.sample(range(first, first + count), min(count, 2))
    edits: list[tuple[int, int, Callable[[], None]]] = []
    if extra.random() < 0.15:
        edits.append((chosen[0], 1, partial(_cut_by_page_number, lines, chosen[0], extra, t, lines[title])))
    if len(chosen) > 1 and extra.random() < 0.1:
        edits.append((chosen[1], 1, partial(_break_after_comma, lines, chosen[1], extra)))
    if count > 1 and extra.random() < 0.15:
        picture = t(
            extra.choice(["图片", "[图片]", "视频加载中...", "![图片](http://www.example.gov.cn/a.jpg)"])
        )
        at = extra.randrange(first + 1, first + count)
        edits.append((at, 0, partial(lines.insert, at, picture)))
    for _, _, edit in sorted(edits, key=lambda e: e[:2], reverse=True):
        edit()
    return "\n".join(lines) + "\n"


def add_post_furniture(page: str, title: int, article: Article, traditional: bool) -> str:
    """What a post on a social platform carries (`web_page`, damaged, its title on line `title`):
    arrows alone above the title, the collection it is filed under and its tag below it, an arrow
    after a paragraph's last sentence near the end, and a prompt to like it or an end mark closing the
    page. From a generator of its own, so that the rest of the damage stays as it was."""
    extra = random.Random(f"post:{article.title}:{article.date}")
    t = converter("s2t") if traditional else (lambda s: s)
    lines = page.rstrip("\n").split("\n")
    last = title + 1 + len(article.paragraphs)
    if extra.random() < 0.08:
        lines.append(t(extra.choice(["点个在看你最好看", "阅读原文", "（完）"])))
    if extra.random() < 0.05 and lines[last].endswith("。"):
        lines[last] += extra.choice(["▼", "↓"])
    if extra.random() < 0.08:
        tag = f"#{extra.choice(PLACES)}{extra.choice(['动态', '要闻', '防汛'])} {extra.randint(2, 99)}个"
        lines[title + 1 : title + 1] = [t("收录于合集"), t(tag)]
    if extra.random() < 0.08:
        lines.insert(title, extra.choice(["▼", "↓↓↓", "▼ ▼ ▼"]))
    return "\n".join(lines) + "\n"


def add_tail_furniture(page: str, title: int, article: Article, traditional: bool) -> str:
    """What closes other sites' pages (`web_page`, damaged, its title on line `title`): a copyright
    notice pasted after the last paragraph on its line, a rule drawn across the page, a related
    story's link after its label, a button to download the document. From a generator of its own,
    so that the rest of the damage stays as it was."""
    extra = random.Random(f"tail:{article.title}:{article.date}")
    t = converter("s2t") if traditional else (lambda s: s)
    lines = page.rstrip("\n").split("\n")
    last = title + 1 + len(article.paragraphs)
    if extra.random() < 0.06 and lines[last].endswith("。"):
        lines[last] += t(extra.choice(["版权所有©某某融媒体中心", " 更多精彩内容请关注某某发布公众号"]))
    if extra.random() < 0.05:
        lines.insert(title + 1, extra.choice(["＊" * 19, "=" * 12]))
    if extra.random() < 0.05:
        lines.append(t(f"延伸阅读》{extra.choice(PLACES)}部署汛期工作"))
    if extra.random() < 0.04:
        lines.append(t("下载此文档"))
    return "\n".join(lines) + "\n"


WEIXIN_TAIL = ["预览时标签不可点", "微信扫一扫", "关注该公众号", "继续滑动看下一个", "轻触阅读原文"]
"""What a messaging app's article page shows below the text, before the account's name."""


def add_platform_furniture(page: str, title: int, article: Article, traditional: bool) -> str:
    """What platforms and converters leave (`web_page`, damaged, its title on line `title`, before the
    other furniture): a Markdown heading's marks on the title, a news agency's end mark or an editor's
    credit after the last sentence, a platform's disclaimer, the block a messaging app's article page
    shows below the text. From a generator of its own, so that the rest of the damage stays as it
    was."""
    extra = random.Random(f"platform:{article.title}:{article.date}")
    t = converter("s2t") if traditional else (lambda s: s)
    lines = page.rstrip("\n").split("\n")
    last = title + 1 + len(article.paragraphs)  # before the other furniture puts lines in above it
    if extra.random() < 0.05 and lines[last].endswith("。"):
        lines[last] += t(extra.choice(["（完）", f"（责任编辑：{extra.choice(PEOPLE)}）"]))
    if extra.random() < 0.05:
        lines.insert(
            last + 1,
            t(
                f"特别声明：本文为{article.source}号作者上传并发布，仅代表该作者观点。平台仅提供信息存储服务。"
            ),
        )
    if extra.random() < 0.05:
        lines[last + 1 : last + 1] = [
            *map(t, WEIXIN_TAIL),
            t(article.source),
            t("向上滑动看下一个"),
            t("知道了"),
        ]
    if extra.random() < 0.05:
        lines[title] = extra.choice(["## ", "# "]) + lines[title]
    return "\n".join(lines) + "\n"


def _break_after_comma(lines: list[str], index: int, rng: random.Random) -> None:
    """Break a paragraph after one of its commas, as a copy that kept the page's wrapping does."""
    line = lines[index]
    commas = [n + 1 for n in range(len(line) - 1) if line[n] in ",，" and _is_han(line[n + 1])]
    if commas:
        at = rng.choice(commas)
        lines[index : index + 1] = [line[:at], *([""] if rng.random() < 0.5 else []), line[at:]]


def _cut_by_page_number(
    lines: list[str], index: int, rng: random.Random, t: Callable[[str], str], title: str
) -> None:
    """Cut a paragraph between two Han characters, 20 or more characters in, by a page number's line;
    maybe with a watermark, or the page's title line printed atop the next page (from a generator
    of their own, so that the rest of the damage stays as it was)."""
    line = lines[index]
    indent = len(line) - len(line.lstrip())
    cuts = [n for n in range(indent + 20, len(line)) if _is_han(line[n - 1]) and _is_han(line[n])]
    if cuts:
        cut, page = rng.choice(cuts), rng.randint(2, 9)
        number = rng.choice([str(page), f"- {page} -", t(f"第{page}页 共{page + 3}页")])
        running = random.Random(f"running:{title}")
        stack = [number]
        if running.random() < 0.3:
            stack.insert(0, t(running.choice(["精品文档", "-----精品资料-----", "★精品文档★"])))
        if running.random() < 0.3:
            stack.append(title)
        lines[index : index + 1] = [line[:cut], *stack, line[cut:]]


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def add_site_chrome(page: str, article: Article, traditional: bool) -> str:
    """The site's name and menu above a web page, its footer below, and `&nbsp;` indents. Drawn from
    a generator of their own, seeded by the title, so that the rest of the damage stays as it was."""
    extra = random.Random(f"chrome:{article.title}")
    t = converter("s2t") if traditional else (lambda s: s)
    head, tail = [], []
    if extra.random() < 0.3:
        head.append(t(f"{article.source}门户网站"))
    if extra.random() < 0.3:
        head.append(t("首页 | 新闻中心 | 政务公开 | 办事服务 | 互动交流"))
    if extra.random() < 0.3:
        tail.append(t(f"主办单位：{article.source}　技术支持：某某网络公司"))
        tail.append(f"ICP备案号：滇ICP备{extra.randint(10_000_000, 99_999_999)}号")
    body = ["&nbsp;&nbsp;" + line if extra.random() < 0.1 else line for line in page.rstrip("\n").split("\n")]
    return "\n".join([*head, *body, *tail]) + "\n"


def doc_share_page(article: Article, rng: random.Random, traditional: bool) -> str:
    """The article as a doc-share preview: header, flattened text cut into numbered page chunks."""
    t = converter("s2t") if traditional else (lambda s: s)
    ext = rng.choice(["docx", "doc", "pdf"])
    pages = rng.randint(3, 40)
    header = t(
        f"《{article.title}.{ext}》由{rng.choice(['会员', '用户'])}分享，可在线阅读，更多相关"
        f"《{article.title}.{ext}({pages}页珍藏版)》请在{rng.choice(SITES)}上搜索。"
    )
    flat = damage_text(" ".join([article.title, *article.paragraphs]), rng)
    size = rng.randint(40, 120)
    chunks = [flat[i : i + size] for i in range(0, len(flat), size)]
    lines = [header] + [f"{n}、{chunk}" for n, chunk in enumerate(chunks, 1)]
    lines[-1] += t(f" 第{pages}页 共{pages}页") * rng.randint(1, 4)
    # A page's counter between two chunks, from a generator of its own (the rest stays as it was).
    extra = random.Random(f"counter:{article.title}")
    if len(chunks) > 1 and extra.random() < 0.2:
        at = extra.randrange(2, len(lines))
        lines.insert(at, t(f"第 {at - 1} 页 共 {pages} 页"))
    if rng.random() < 0.5:
        lines.append(
            t(
                rng.choice(
                    [
                        "预览阅读已结束，若您需要写相关文章，请扫码联系老师写作！",
                        "试读结束，剩余12页未读，点击下载全文",
                    ]
                )
            )
        )
    return "\n".join(lines) + "\n"


def damage_text(text: str, rng: random.Random) -> str:
    text = add_pinyin(text, rng, rng.choice([0.0, 0.3, 0.9]))
    text = damage_commas(text, rng, rng.choice([0.0, 0.5, 1.0]))
    return text


ENCODINGS_SIMPLIFIED = ["utf-8", "utf-8-sig", "utf-16", "gb18030"]
ENCODINGS_TRADITIONAL = ["utf-8", "utf-8-sig", "utf-16", "big5"]


@dataclass
class Damaged:
    data: bytes
    encoding: str
    states_metadata: bool
    """True for the web-page layout, whose metadata line states date, author and source."""


def damaged_file(article: Article, rng: random.Random, traditional: bool) -> Damaged:
    """A damaged file for `article` (already in its script)."""
    doc_share = rng.random() < 0.25
    if doc_share:
        page = doc_share_page(article, rng, traditional)
    else:
        page, title = _web_page_and_title(article, rng, traditional)
        page = add_stray_spaces(page, rng, rng.choice([0.0, 0.02]))
        page = "\n".join(damage_text(line, rng) for line in page.split("\n"))
        page = add_platform_furniture(page, title, article, traditional)
        page = add_page_furniture(page, title, article, traditional)
        page = add_post_furniture(page, title, article, traditional)
        page = add_tail_furniture(page, title, article, traditional)
        page = add_site_chrome(page, article, traditional)
    encodings = ENCODINGS_TRADITIONAL if traditional else ENCODINGS_SIMPLIFIED
    encoding = rng.choice(encodings)
    try:
        return Damaged(page.encode(encoding), encoding, not doc_share)
    except UnicodeEncodeError:
        return Damaged(page.encode("utf-8"), "utf-8", not doc_share)

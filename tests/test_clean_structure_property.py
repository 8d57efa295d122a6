"""Property: clean text whose layout looks like damage comes through the rules unchanged.

Numbered lists whose items end without a mark look like doc-share page chunks (`1、…` / `2、…`) and
like lines a page wrapped; a law's articles keep a space after their numbers; references keep their
citation style's ASCII marks. Hypothesis draws such texts from word lists of its own.
"""

from __future__ import annotations

import random

from damage import make_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_site.clean import clean_lines
from corpus_site.loader import source_lines

_PHRASES = """
加强组织领导 落实工作责任 强化督导检查 完善工作制度 提升服务水平 推进乡村振兴 优化营商环境
检查情况汇总表 整改通知书 项目申报指南 深化改革创新 坚持问题导向 统筹发展和安全 保障改善民生
""".split()
_SENTENCE = "会议对下一步工作作出部署。"
_NUMBERING = st.sampled_from(["{n}、", "{n}.", "（{n}）", "{n}．"])
_ITEM = st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=3).map("，".join)
_FILE = st.tuples(st.sampled_from(_PHRASES), st.sampled_from([".docx", ".xlsx", ".pdf"])).map("".join)


def _numbered(numbering: str, items: list[str]) -> list[str]:
    return [numbering.format(n=n) + item for n, item in enumerate(items, 1)]


def _cleaned(lines: list[str]) -> list[str]:
    return [line.text for line in clean_lines(source_lines("\n".join(lines))).lines]


@settings(max_examples=200, deadline=None)
@given(numbering=_NUMBERING, items=st.lists(_ITEM, min_size=2, max_size=8), lead=st.booleans())
def test_a_list_of_items_without_end_marks_stays_a_list(numbering: str, items: list[str], lead: bool) -> None:
    lines = _numbered(numbering, items)
    assert _cleaned(["某某县工作要点", *([_SENTENCE] if lead else []), *lines])[-len(lines) :] == lines


@settings(max_examples=100, deadline=None)
@given(numbering=_NUMBERING, files=st.lists(_FILE, min_size=2, max_size=6))
def test_a_list_of_attachments_stays_a_list(numbering: str, files: list[str]) -> None:
    lines = _numbered(numbering, files)
    assert _cleaned([_SENTENCE, "附件：", *lines])[-len(lines) :] == lines


_NUMERALS = "一二三四五六七八九十"


@settings(max_examples=100, deadline=None)
@given(
    articles=st.lists(st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=4), min_size=1, max_size=9),
    space=st.sampled_from([" ", "\u3000"]),
)
def test_a_law_keeps_the_space_after_its_article_numbers(articles: list[list[str]], space: str) -> None:
    lines = ["第一章 总则"] + [
        f"第{_NUMERALS[n]}条{space}" + "，".join(phrases) + "。" for n, phrases in enumerate(articles)
    ]
    # One kind of space: an ideographic one inside a sentence's line becomes a plain one.
    assert _cleaned(["某某市行政执法办法", *lines]) == [line.replace("\u3000", " ") for line in lines]


@settings(max_examples=100, deadline=None)
@given(
    kind=st.sampled_from(["J", "M", "D", "N", "EB/OL"]),
    author=st.sampled_from(["李明", "王芳", "张华"]),
    title=st.sampled_from(_PHRASES),
    year=st.integers(1990, 2030),
    pages=st.tuples(st.integers(1, 99), st.integers(1, 99)),
)
def test_a_reference_keeps_its_citation_marks(
    kind: str, author: str, title: str, year: int, pages: tuple[int, int]
) -> None:
    reference = f"[1] {author}.{title}研究[{kind}].农业经济,{year}(3):{pages[0]}-{pages[1]}."
    assert _cleaned([_SENTENCE, "参考文献：", reference])[-1] == reference


def _wrap(paragraph: str, width: int) -> list[str]:
    """The paragraph in lines of `width` characters, as a typesetter breaks them: a mark that would
    open a line stays at the end of the line before."""
    lines: list[str] = []
    start = 0
    while start < len(paragraph):
        end = start + width
        while end < len(paragraph) and paragraph[end] in "，、。；：！？”）":
            end += 1
        lines.append(paragraph[start:end])
        start = end
    return lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), width=st.integers(20, 40))
def test_text_a_page_wrapped_at_a_fixed_width_is_joined_again(seed: int, width: int) -> None:
    article = make_article(random.Random(seed))
    lines = [_wrap(paragraph, width) for paragraph in article.paragraphs]
    cleaned = _cleaned([article.title, *(line for paragraph in lines for line in paragraph)])
    assert "".join(cleaned) == "".join(article.paragraphs)
    # A line the page broke right after a sentence's end may as well end its paragraph, and one
    # line broken alone may be a long line by chance.
    breaks = [line for paragraph in lines for line in paragraph[:-1]]
    if len(breaks) >= 2 and not any(line.endswith(("。", "！", "？", "”")) for line in breaks):
        assert cleaned == article.paragraphs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_a_paragraph_to_a_line_stays_as_it_is(seed: int) -> None:
    article = make_article(random.Random(seed))
    assert _cleaned([article.title, *article.paragraphs]) == article.paragraphs

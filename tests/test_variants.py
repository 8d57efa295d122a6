"""Traditional pages: text converted, markup, URLs and kept elements untouched; table of contents."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from corpus_site.convert import converter
from corpus_site.model import Paragraph
from corpus_site.outline import outline
from corpus_site.render import Segment, link_terms
from corpus_site.variants import convert_html

S2T = converter("s2t")


def test_text_and_readable_attributes_convert_but_encoded_urls_and_kept_elements_do_not() -> None:
    url = quote("../terms/发展.html")
    html = (
        f'<a href="{url}" id="p1" title="发展">发展</a><div><p data-keep-script class="x">原文<b>发</b>'
        '<p>保留</p></p><span>发展</span></div><br><img alt="图片" src="x.png">'
    )
    converted = convert_html(html, S2T)
    assert f'<a href="{url}" id="p1" title="發展">發展</a>' in converted
    assert '<p data-keep-script class="x">原文<b>发</b><p>保留</p></p><span>發展</span></div>' in converted
    assert '<img alt="圖片" src="x.png">' in converted


def test_escaped_markup_stays_escaped() -> None:
    assert (
        convert_html("<p>&lt;script&gt;发&lt;/script&gt;</p>", S2T)
        == "<p>&lt;script&gt;發&lt;/script&gt;</p>"
    )


def _paragraphs(*texts: str) -> list[Paragraph]:
    return [Paragraph(f"p{i}", i, t, t) for i, t in enumerate(texts, 1)]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (
            ("同志们：", "一、提高认识，统一思想。", "（一）加强领导。", "二、压实责任。"),
            [(1, "p2", "一、提高认识"), (2, "p3", "（一）加强领导"), (1, "p4", "二、压实责任")],
        ),
        (
            ("第一，要认清形势。", "第二，要突出重点。"),
            [(1, "p1", "第一，要认清形势"), (1, "p2", "第二，要突出重点")],
        ),
        (
            ("一是推动农村党建全面升级。", "二是推动机关党建。"),
            [(1, "p1", "一是推动农村党建全面升级"), (1, "p2", "二是推动机关党建")],
        ),
        (("一、只有一个标记。", "正文。"), []),
        (("十一月的会议。", "一般来说。"), []),
    ],
)
def test_outline(texts: tuple[str, ...], expected: list[tuple[int, str, str]]) -> None:
    assert [(h.level, h.paragraph, h.label) for h in outline(_paragraphs(*texts))] == expected


def test_each_term_linked_once_and_never_touching_another_link() -> None:
    segments = link_terms(["消防安全消防工作", "消防安全"], {"消防安全": "t/a.html", "消防": "t/b.html"})
    assert segments[0] == [Segment("消防安全", "t/a.html"), Segment("消防工作")]
    assert segments[1] == [Segment("消防", "t/b.html"), Segment("安全")]

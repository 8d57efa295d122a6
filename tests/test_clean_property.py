"""Every cleaning rule holds on any text: nothing raises, no blank paragraph comes out, and each
paragraph keeps a line number of the file it came from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_site.clean import clean_lines
from corpus_site.loader import source_lines

_WORDS = """
会议 召开 隊伍 (duì) （xiāofáng） (a) (China) ， ,, ,、 。 、 ： ； “ ” （ ） 【 】 《 》
1、 2、 一、 （二） 第2页共5页 -3- 2 来源： 作者： 2023-05-06 二〇二三年六月一日 112-05-08
首页>新闻>正文 上一篇： 下一篇： _某某网 原标题： 图片 END www.example.com <p> &nbsp; 预览已结束
往期推荐 扫码关注 版权所有 .docx 由会员分享，可在线阅读 ＧＤＰ 县委书记 李建国
""".split()
_PIECES = st.sampled_from([*_WORDS, " ", "\u3000", "\t", "\n", "\n\n", " - 范文大全", "记者 "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60))
def test_cleaning_any_text_keeps_its_promises(pieces: list[str]) -> None:
    text = "".join(pieces)
    source = source_lines(text)
    cleaned = clean_lines(source)
    numbers = {line.number for line in source}
    for line in cleaned.lines:
        assert line.text.strip(), cleaned.lines
        assert line.number in numbers
    assert all(note.line in numbers for note in cleaned.notes)

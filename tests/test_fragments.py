"""Fragments written in Python escape text exactly as Jinja's autoescape does."""

from __future__ import annotations

import markupsafe
from hypothesis import given
from hypothesis import strategies as st

from corpus_site.fragments import document_items, escape
from corpus_site.model import Document, Metadata


@given(st.text())
def test_escape_matches_markupsafe(text: str) -> None:
    assert escape(text) == str(markupsafe.escape(text))


def test_escape_of_markup_characters() -> None:
    assert (
        escape("<a href=\"x\" title='y'>&</a>")
        == "&lt;a href=&#34;x&#34; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
    )


def _titled(doc_id: str, title: str, date: str | None) -> Document:
    return Document(doc_id, f"{doc_id}.txt", "utf-8", "simplified", Metadata(title=title, date=date), [])


def test_document_items_link_title_and_date_of_each_document() -> None:
    documents = {
        "a": _titled("a", "<会议> & 部署", "2021-11-17"),
        "b": _titled("b", "春节", "--02-01"),
        "c": _titled("c", "无日期", None),
    }
    items = document_items(["a", "b", "c", "a"], lambda target: f"../{target}", documents)
    assert str(items) == (
        '    <li><a href="../docs/a.html">&lt;会议&gt; &amp; 部署</a> <time>2021-11-17</time></li>\n'
        '    <li><a href="../docs/b.html">春节</a> <time datetime="02-01">--02-01</time></li>\n'
        '    <li><a href="../docs/c.html">无日期</a></li>\n'
        '    <li><a href="../docs/a.html">&lt;会议&gt; &amp; 部署</a> <time>2021-11-17</time></li>\n'
    )

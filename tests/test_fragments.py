"""Fragments written in Python escape text exactly as Jinja's autoescape does."""

from __future__ import annotations

import markupsafe
from hypothesis import given
from hypothesis import strategies as st

from corpus_site import urls
from corpus_site.convert import SCRIPT_LABELS
from corpus_site.dates import year_of
from corpus_site.fragments import date_html, dated_items, document_items, document_rows, escape, notes_html
from corpus_site.model import Document, Metadata, Note, Notes, Paragraph
from corpus_site.theme import environment


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


def test_document_items_made_before_follow_the_linking_page_and_the_title() -> None:
    """Items are kept from page to page: a page in another folder links otherwise, and a document
    whose title or date changed (in a rebuild in the same process) shows the new one."""
    documents = {"a": _titled("a", "会议", "2021-11-17")}
    down = document_items(["a"], lambda target: f"../{target}", documents)
    here = document_items(["a"], lambda target: target, documents)
    assert 'href="../docs/a.html"' in down and 'href="docs/a.html"' in here
    assert document_items(["a"], lambda target: f"../{target}", documents) == down
    for retitled in (_titled("a", "新会议", "2021-11-17"), _titled("a", "会议", "2022-01-01")):
        again = str(document_items(["a"], lambda target: f"../{target}", {"a": retitled}))
        assert retitled.metadata.title in again and str(retitled.metadata.date) in again


def test_the_cleaning_record_draws_white_space_it_changed() -> None:
    """A space removed or a line break added would show as an empty cell."""
    notes = Notes(
        [
            Note("remove_stray_spaces", 2, " "),
            Note("split_run_on_text", 3, " ", "\n"),
            Note("join_broken_lines", 4, "\n"),
            Note("drop_preview_tails", 5, "<b>扫码</b>\n下载"),
        ]
    )
    html = str(notes_html(notes))
    assert '<td><del><span class="mark" title="空格">␣</span></del></td></tr>' in html
    assert '<ins><span class="mark" title="换行">↵</span></ins>' in html
    assert '<del><span class="mark" title="换行">↵</span></del>' in html
    assert "<del>&lt;b&gt;扫码&lt;/b&gt;↵下载</del>" in html


def test_the_cleaning_record_gives_a_rule_one_row_per_line() -> None:
    """Glued pinyin after every character of a line is one row listing each removal, not dozens."""
    notes = Notes(
        [
            Note("strip_pinyin_annotations", 3, "(duì)"),
            Note("strip_pinyin_annotations", 3, "(wǔ)"),
            Note("collapse_comma_damage", 3, ",,", "，"),
            Note("strip_pinyin_annotations", 4, "(de)"),
        ]
    )
    rows = str(notes_html(notes)).splitlines()
    assert rows == [
        '<tr><td><code>strip_pinyin_annotations</code></td><td class="num"><a href="#L3">3</a></td>'
        '<td><del>(duì)</del> <del>(wǔ)</del><span class="count">×2</span></td></tr>',
        '<tr><td><code>collapse_comma_damage</code></td><td class="num"><a href="#L3">3</a></td>'
        "<td><del>,,</del><ins>，</ins></td></tr>",
        '<tr><td><code>strip_pinyin_annotations</code></td><td class="num"><a href="#L4">4</a></td>'
        "<td><del>(de)</del></td></tr>",
    ]


# The loops `document_rows` and `dated_items` replace in the default theme, as they were written.
_ROWS_LOOP = """\
  {% for document in documents %}
    {% set meta = document.metadata %}
    <tr data-source="{{ meta.source or '' }}" data-year="{{ year_of(meta.date) or '' }}" data-script="{{ document.script }}"
        data-title="{{ meta.title }}" data-date="{{ meta.date or '' }}" data-author="{{ meta.author or '' }}" data-length="{{ document.length }}">
      <td><a href="{{ link(urls.document_page(document.id)) }}">{{ meta.title }}</a>
        {%- if meta.title_inferred %} <span class="badge" title="原文无标题，据正文首句拟定">拟</span>{% endif %}</td>
      <td>{% if meta.date %}{{ date(meta.date) }}{% else %}—{% endif %}</td>
      <td>{{ meta.source or "—" }}</td>
      <td>{{ meta.author or "—" }}</td>
      <td class="num">{{ document.length }}</td>
      <td>{{ script_labels[document.script] }}</td>
    </tr>
  {% endfor %}
"""  # noqa: E501
_ITEMS_LOOP = """\
  {% for document in documents %}
    <li>{% if document.metadata.date %}{{ date(document.metadata.date) }} {% endif %}<a href="{{ link(urls.document_page(document.id)) }}">{{ document.metadata.title }}</a></li>
  {% endfor %}
"""  # noqa: E501
_MARKUP_TEXT = st.text(alphabet=st.sampled_from(list("会议<>&'\" a")), max_size=6)
_DATES = st.sampled_from([None, "2021-11-17", "--04-17", "2020"])
_SCRIPTS = st.sampled_from(["simplified", "traditional", "mixed"])


def _document(number: int, meta: Metadata, script: str, text: str) -> Document:
    return Document(f"d{number}", f"d{number}.txt", "utf-8", script, meta, [Paragraph("p1", 1, text, text)])


_METADATA = st.builds(
    Metadata,
    title=_MARKUP_TEXT,
    title_inferred=st.booleans(),
    date=_DATES,
    source=st.none() | _MARKUP_TEXT,
    author=st.none() | _MARKUP_TEXT,
)
_DOCUMENTS = st.lists(
    st.builds(_document, st.integers(0, 9), _METADATA, _SCRIPTS, st.text(alphabet="会议。", max_size=5)),
    max_size=4,
)


@given(_DOCUMENTS, st.sampled_from(["", "../"]))
def test_the_document_rows_and_dated_items_are_what_the_themes_loops_made(
    documents: list[Document], up: str
) -> None:
    env = environment()

    def link(target: str) -> str:
        return up + target

    names = {"documents": documents, "link": link, "urls": urls, "year_of": year_of}
    names |= {"script_labels": SCRIPT_LABELS, "date": date_html}
    assert str(document_rows(documents, link)) == env.from_string(_ROWS_LOOP).render(names)
    assert str(dated_items(documents, link)) == env.from_string(_ITEMS_LOOP).render(names)

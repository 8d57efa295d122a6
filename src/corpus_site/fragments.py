"""HTML fragments written in Python: the long, repetitive parts of a document page.

A long document has thousands of comparison spans and cleaning notes; writing them here is many times
faster than a template loop. Each is computed once per page (the same for both
scripts) and placed by the templates as `rows_fragment`, `notes_fragment` and `kwic_rows(...)`; the
text in them is escaped like any template value.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter

from markupsafe import Markup

from corpus_site import urls
from corpus_site.compare import Change, Row
from corpus_site.convert import SCRIPT_LABELS
from corpus_site.dates import year_of
from corpus_site.model import Document, KwicLine, Notes

_SPECIAL = re.compile("[&<>'\"]")


def escape(text: str) -> str:
    """What Jinja's autoescape makes of a string (markupsafe's entities), without building a Markup
    object for each of the thousands of spans of a page."""
    if _SPECIAL.search(text) is None:  # most spans: one scan instead of five
        return text
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


_MARKS = {
    Change.SAME: ("", ""),
    Change.REMOVED: ("<del>", "</del>"),
    Change.ADDED: ("<ins>", "</ins>"),
}
_BREAK = '<span class="mark" title="新分段">¶</span>'
_JOINED = '<span class="mark" title="与下一行相接">⤶</span>'


def rows_html(rows: Sequence[Row]) -> Markup:
    """The comparison as HTML rows: one `div.row` per original line, `id="L<n>"`."""
    out: list[str] = []
    for number, row in enumerate(rows):
        ident = f' id="L{row.number}"' if row.number else ""
        changed = " changed" if row.changed else ""
        out.append(
            f'<div class="row{changed}"{ident}><span class="ln">{row.number or ""}</span><span class="tx">'
        )
        for span in row.spans:
            if span.change is Change.BREAK:
                out.append(_BREAK)
            else:
                start, end = _MARKS[span.change]
                out.append(f"{start}{escape(span.text)}{end}")
        if row.joined and row.kept and number + 1 < len(rows) and rows[number + 1].kept:
            out.append(_JOINED)
        out.append("</span></div>\n")
    return Markup("".join(out))


def notes_html(notes: Notes) -> Markup:
    """The cleaning record as table rows: rule, source line (linked to its row), and every change
    that rule made on that line, in order. A damaged line can hold dozens of changes of one kind
    (glued pinyin after each character); one row each would bury the record, and weigh more than
    the text. What each rule does is said once, in the legend above the table."""
    out: list[str] = []
    for (rule, line), changes in itertools.groupby(notes.rows(), key=itemgetter(0, 1)):
        edits = [_edit(before, after) for _, _, before, after in changes]
        count = f'<span class="count">×{len(edits)}</span>' if len(edits) > 1 else ""
        out.append(
            f"{_rule_cell(rule)}"
            f'<td class="num"><a href="#L{line}">{line}</a></td>'
            f"<td>{' '.join(edits)}{count}</td></tr>\n"
        )
    return Markup("".join(out))


def _edit(before: str, after: str) -> str:
    """One change: the text removed, then what replaced it, if anything."""
    removed = f"<del>{_shown(before)}</del>" if before else ""
    return f"{removed}<ins>{_shown(after)}</ins>" if after else removed


_WHITE_SPACE_MARKS = str.maketrans({" ": "␣", "\u3000": "␣", "\t": "␣", "\n": "↵"})
_WHITE_SPACE_TITLES = {"␣": "空格", "↵": "换行"}


def _shown(text: str) -> str:
    """A note's text, escaped; a space or a line break alone, which would show as nothing, is drawn
    as a mark (`␣`, `↵`) named in its title, and a line break inside text as `↵`."""
    if text and not text.strip():
        marks = text.translate(_WHITE_SPACE_MARKS)
        return f'<span class="mark" title="{_WHITE_SPACE_TITLES.get(marks[0], "空白")}">{marks}</span>'
    return escape(text).replace("\n", "↵")


@functools.cache
def _rule_cell(rule: str) -> str:
    return f"<tr><td><code>{escape(rule)}</code></td>"


def date_html(value: str) -> Markup:
    """A date as the metadata gives it; a yearless `--MM-DD` date keeps its machine form in
    `datetime`. Also the templates' `date` macro (`macros.html`), through the Jinja environment."""
    if value.startswith("--"):
        return Markup(f'<time datetime="{escape(value[2:])}">{escape(value)}</time>')
    return Markup(f"<time>{escape(value)}</time>")


def document_items(
    doc_ids: Sequence[str], link: Callable[[str], str], documents: Mapping[str, Document]
) -> Markup:
    """List items linking to documents, with their dates: an entry's documents, by the thousand. Each
    item is made once per process for the pages that link to document pages alike (as the link to a
    document page named "" tells), and made again only when the document's title or date changes."""
    alike = link(urls.document_page(""))
    out: list[str] = []
    for doc_id in doc_ids:
        meta = documents[doc_id].metadata
        key = (alike, doc_id, meta.title, meta.date)
        if (item := _ITEMS.get(key)) is None:
            if len(_ITEMS) >= _MOST_ITEMS:
                _ITEMS.clear()
            href = escape(link(urls.document_page(doc_id)))
            item = _ITEMS[key] = f'    <li><a href="{href}">{_item_text(meta.title, meta.date)}</li>\n'
        out.append(item)
    return Markup("".join(out))


_ITEMS: dict[tuple[str, str, str, str | None], str] = {}
_MOST_ITEMS = 1 << 18


@functools.lru_cache(maxsize=1 << 16)
def _item_text(title: str, date: str | None) -> str:
    """A document's title and date as its list items show them: the same on every entry page that
    lists it, so made once per process."""
    return f"{escape(title)}</a>" + (f" {date_html(date)}" if date else "")


def document_rows(documents: Sequence[Document], link: Callable[[str], str]) -> Markup:
    """The rows of the table of all documents (`index.html`): a document's row is made once per
    process for the pages that link to document pages alike, and made again only when what it
    shows changes."""
    alike = link(urls.document_page(""))
    out: list[str] = []
    for document in documents:
        meta = document.metadata
        shown = (meta.title, meta.title_inferred, meta.date, meta.source, meta.author, document.script)
        key = (alike, document.id, *shown, document.length)
        if (row := _ROWS.get(key)) is None:
            if len(_ROWS) >= _MOST_ITEMS:
                _ROWS.clear()
            row = _ROWS[key] = _document_row(document, escape(link(urls.document_page(document.id))))
        out.append(row)
    return Markup("".join(out))


def _document_row(document: Document, href: str) -> str:
    meta = document.metadata
    title = escape(meta.title)
    badge = ' <span class="badge" title="原文无标题，据正文首句拟定">拟</span>' if meta.title_inferred else ""
    return (
        f'    <tr data-source="{escape(meta.source or "")}" data-year="{escape(year_of(meta.date) or "")}" '
        f'data-script="{escape(document.script)}"\n'
        f'        data-title="{title}" data-date="{escape(meta.date or "")}" '
        f'data-author="{escape(meta.author or "")}" data-length="{document.length}">\n'
        f'      <td><a href="{href}">{title}</a>{badge}</td>\n'
        f"      <td>{date_html(meta.date) if meta.date else '—'}</td>\n"
        f"      <td>{escape(meta.source or '—')}</td>\n"
        f"      <td>{escape(meta.author or '—')}</td>\n"
        f'      <td class="num">{document.length}</td>\n'
        f"      <td>{escape(SCRIPT_LABELS[document.script])}</td>\n"
        "    </tr>\n"
    )


_ROWS: dict[tuple[object, ...], str] = {}


def dated_items(documents: Sequence[Document], link: Callable[[str], str]) -> Markup:
    """List items linking to documents, their dates first (`dates.html`), each made once per
    process like `document_rows`."""
    alike = link(urls.document_page(""))
    out: list[str] = []
    for document in documents:
        meta = document.metadata
        key = (alike, document.id, meta.title, meta.date)
        if (item := _DATED.get(key)) is None:
            if len(_DATED) >= _MOST_ITEMS:
                _DATED.clear()
            href = escape(link(urls.document_page(document.id)))
            dated = f"{date_html(meta.date)} " if meta.date else ""
            item = _DATED[key] = f'    <li>{dated}<a href="{href}">{escape(meta.title)}</a></li>\n'
        out.append(item)
    return Markup("".join(out))


_DATED: dict[tuple[str, str, str, str | None], str] = {}


TITLE_IN_KWIC = 12
"""Characters of a document's title shown beside a concordance line (the whole title is its tooltip)."""


def kwic_html(
    lines: Sequence[KwicLine], link: Callable[[str, str], str], documents: Mapping[str, Document]
) -> Markup:
    """Concordance lines as table rows: left context, keyword, right context, where (linked)."""
    out: list[str] = []
    for line in lines:
        title = documents[line.document].metadata.title
        short = title if len(title) <= TITLE_IN_KWIC else title[: TITLE_IN_KWIC - 1] + "…"
        href = link(urls.document_page(line.document), line.paragraph)
        out.append(
            f'<tr><td class="left"><span>{escape(line.left)}</span></td>'
            f'<td class="key"><mark>{escape(line.keyword)}</mark></td>'
            f'<td class="right">{escape(line.right)}</td>'
            f'<td class="where"><a href="{escape(href)}" title="{escape(title)}">{escape(short)} '
            f"¶{escape(line.paragraph[1:])}</a></td></tr>\n"
        )
    return Markup("".join(out))

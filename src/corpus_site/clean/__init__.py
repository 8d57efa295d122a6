"""Cleaning: an ordered list of small named rules, each a pure function of the lines.

The order matters: HTML markup goes first, so that no rule sees a tag or a `&nbsp;`; page chunks are
joined next, on the raw lines (a page can end in the space
that separated two paragraphs, and a page break can cut a pinyin annotation in two,
and a chunk's `7、` prefix is not a mark for the comma rule to merge with), pinyin goes before
metadata is read (keys such as `來(lái)源` carry it), and the run-on splitter needs full-width marks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from corpus_site.clean.alphanumerics import halfwidth_alphanumerics
from corpus_site.clean.base import Context, Rule, Step
from corpus_site.clean.breadcrumbs import drop_breadcrumbs
from corpus_site.clean.brokenlines import join_broken_lines
from corpus_site.clean.chrome import drop_site_chrome
from corpus_site.clean.commas import collapse_comma_damage
from corpus_site.clean.docshare import drop_doc_share_header
from corpus_site.clean.footers import drop_page_footers
from corpus_site.clean.fullwidth import fullwidth_punctuation
from corpus_site.clean.markdown import strip_markdown_marks
from corpus_site.clean.markup import strip_html_markup
from corpus_site.clean.metadata import extract_metadata_lines
from corpus_site.clean.pagechunks import join_page_chunks
from corpus_site.clean.pinyin import strip_pinyin_annotations
from corpus_site.clean.prevnext import drop_prev_next_links
from corpus_site.clean.repeated import drop_repeated_boilerplate
from corpus_site.clean.runon import split_run_on_text
from corpus_site.clean.spaces import remove_stray_spaces
from corpus_site.clean.tails import drop_preview_tails
from corpus_site.clean.title import take_title_line
from corpus_site.clean.whitespace import normalize_whitespace
from corpus_site.model import Line, Note

__all__ = ["RULES", "Cleaned", "Context", "clean_lines"]

RULES: tuple[tuple[str, Rule], ...] = (
    ("strip_html_markup", strip_html_markup),
    ("strip_markdown_marks", strip_markdown_marks),
    ("join_page_chunks", join_page_chunks),
    ("normalize_whitespace", normalize_whitespace),
    ("halfwidth_alphanumerics", halfwidth_alphanumerics),
    ("strip_pinyin_annotations", strip_pinyin_annotations),
    ("drop_doc_share_header", drop_doc_share_header),
    ("drop_breadcrumbs", drop_breadcrumbs),
    ("drop_page_footers", drop_page_footers),
    ("drop_prev_next_links", drop_prev_next_links),
    ("drop_preview_tails", drop_preview_tails),
    ("drop_site_chrome", drop_site_chrome),
    ("extract_metadata_lines", extract_metadata_lines),
    ("drop_repeated_boilerplate", drop_repeated_boilerplate),
    ("collapse_comma_damage", collapse_comma_damage),
    ("join_broken_lines", join_broken_lines),
    ("fullwidth_punctuation", fullwidth_punctuation),
    ("split_run_on_text", split_run_on_text),
    ("take_title_line", take_title_line),
    ("remove_stray_spaces", remove_stray_spaces),
)
"""Every rule in the order it runs."""


@dataclass(slots=True, frozen=True)
class Cleaned:
    """The outcome of all rules on one document."""

    lines: tuple[Line, ...]
    """Cleaned lines, one paragraph each."""
    notes: tuple[Note, ...]
    """Every change, in rule order."""
    fields: dict[str, str]
    """Metadata found, first finding of each key kept."""


def clean_lines(lines: tuple[Line, ...], context: Context | None = None) -> Cleaned:
    """Run every rule in order over a document's lines."""
    context = context or Context()
    notes: list[Note] = []
    fields: dict[str, str] = {}
    for _, rule in RULES:
        step: Step = rule(lines, replace(context, fields=fields))
        lines = step.lines
        notes.extend(step.notes)
        for key, value in step.fields.items():
            fields.setdefault(key, value)
    return Cleaned(lines, tuple(notes), fields)

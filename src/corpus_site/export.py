"""Machine-readable outputs: the cleaned corpus as JSON Lines and the build report."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from html import escape
from typing import Any

from corpus_site import urls
from corpus_site.cache import FORGETFUL, Memory, summed
from corpus_site.frequency import Frequency
from corpus_site.model import Analysis, Corpus, Document, DocumentAnalysis, EntryKind


def document_record(document: Document, analysis: DocumentAnalysis | None = None) -> dict[str, Any]:
    """One line of corpus.jsonl."""
    meta = document.metadata
    page = urls.document_page(document.id)
    record = {
        "id": document.id,
        "source_file": document.source_file,
        "url": page,
        "urls": {lang: urls.localized(page, lang) for lang in urls.LANGS},
        "title": meta.title,
        "title_inferred": meta.title_inferred,
        "date": meta.date,
        "author": meta.author,
        "source": meta.source,
        "editor": meta.editor,
        "metadata": meta.extra,
        "script": document.script,
        "encoding": document.encoding,
        "paragraphs": [
            {"id": p.id, "text": p.text, "original": p.original, "line": p.line} for p in document.paragraphs
        ],
        "cleaning": [{"rule": rule, "count": count} for rule, count in document.rule_counts().items()],
    }
    if analysis is not None:
        record["keywords"] = list(analysis.keywords)
        record["entities"] = {
            kind.value: list(analysis.entities.get(kind, ()))
            for kind in EntryKind
            if kind is not EntryKind.TERM
        }
        record["related"] = [r.id for r in analysis.related]
        record["near_duplicates"] = list(analysis.near_duplicates)
    return record


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def corpus_jsonl(corpus: Corpus, analysis: Analysis | None = None, memory: Memory = FORGETFUL) -> str:
    """The cleaned corpus, one JSON object per document, keys sorted; with `memory`, the line of a
    document and analysis that are the very objects of the last build is taken from it."""
    lines = []
    for document in corpus.documents:
        result = analysis.documents[document.id] if analysis else None
        last: tuple[Document, DocumentAnalysis | None, str] | None = memory.get("jsonl", document.id)
        if last is not None and last[0] is document and last[1] is result:
            line = last[2]
        else:
            line = _dumps(document_record(document, result)) + "\n"
        memory.put("jsonl", document.id, (document, result, line))
        lines.append(line)
    return "".join(lines)


CSV_COLUMNS = (
    "id", "title", "title_inferred", "date", "author", "source", "editor", "script", "encoding",
    "source_file", "paragraphs", "characters", "url",
)  # fmt: skip


def corpus_csv(corpus: Corpus, memory: Memory = FORGETFUL) -> str:
    """Each document's metadata as one CSV row (UTF-8, header first); with `memory`, a document's row
    is kept with the document."""
    return _csv_line(CSV_COLUMNS) + "".join(memory.derived("csv row", d, _csv_row) for d in corpus.documents)


def _csv_row(d: Document) -> str:
    meta = d.metadata
    return _csv_line(
        [d.id, meta.title, str(meta.title_inferred).lower(), meta.date or "", meta.author or "",
         meta.source or "", meta.editor or "", d.script, d.encoding, d.source_file,
         len(d.paragraphs), d.length, urls.document_page(d.id)]
    )  # fmt: skip


def _csv_line(values: Sequence[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue()


def document_text(document: Document) -> str:
    """A document as plain text in canonical script: title, stated metadata, then its paragraphs."""
    meta = document.metadata
    stated = [("日期", meta.date), ("来源", meta.source), ("作者", meta.author), ("编辑", meta.editor)]
    lines = [meta.title, *(f"{key}：{value}" for key, value in stated if value), ""]
    return "\n".join(lines + [p.text for p in document.paragraphs]) + "\n"


def robots_txt(base_url: str | None) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if base_url:
        lines.append(f"Sitemap: {urls.absolute(base_url, urls.SITEMAP)}")
    return "\n".join(lines) + "\n"


def sitemap_xml(base_url: str, pages: Sequence[str]) -> str:
    """A sitemap of every page under the site's public URL."""
    locations = (escape(urls.absolute(base_url, p), quote=False) for p in pages)  # &, < and > only
    entries = "".join(f"  <url><loc>{location}</loc></url>\n" for location in locations)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def rule_totals(corpus: Corpus, memory: Memory = FORGETFUL) -> dict[str, int]:
    """How often each cleaning rule fired over the whole corpus, by rule name; in a process that
    builds again, summed from the last build's sums (`summed`)."""
    fired = summed(memory, "rules fired", {d.id: d.notes.counts for d in corpus.documents})
    return dict(sorted(fired.items()))


def report(corpus: Corpus, memory: Memory = FORGETFUL) -> dict[str, Any]:
    """What the build did: documents, rules fired, problems, skipped files."""
    return {
        "documents": len(corpus.documents),
        "rules": rule_totals(corpus, memory),
        "per_document": {d.id: d.rule_counts() for d in corpus.documents},
        "skipped": corpus.skipped,
        "problems": [
            {"path": p.path, "line": p.line, "severity": p.severity.value, "message": p.message}
            for p in corpus.problems
        ],
    }


def report_json(corpus: Corpus, memory: Memory = FORGETFUL) -> str:
    """The report as indented JSON; with `memory`, the very text of the last build when the report
    is the same (indented, it is written by json's Python encoder, which takes its time)."""
    record = report(corpus, memory)
    last: tuple[dict[str, Any], str] | None = memory.get("report", "last")
    if last is None or last[0] != record:
        last = (record, json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2) + "\n")
    memory.put("report", "last", last)
    return last[1]


def frequency_csv(rows: Sequence[Frequency]) -> str:
    """A frequency list as CSV: item (n-gram words separated by spaces), count, documents."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["item", "count", "documents"])
    for row in rows:
        writer.writerow([" ".join(row.words), row.count, row.documents])
    return out.getvalue()

"""Machine-readable outputs: the cleaned corpus as JSON Lines and the build report."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from corpus_site import urls
from corpus_site.model import Corpus, Document


def document_record(document: Document) -> dict[str, Any]:
    """One line of corpus.jsonl."""
    meta = document.metadata
    return {
        "id": document.id,
        "source_file": document.source_file,
        "url": urls.document_page(document.id),
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


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def corpus_jsonl(corpus: Corpus) -> str:
    """The cleaned corpus, one JSON object per document, keys sorted."""
    return "".join(_dumps(document_record(d)) + "\n" for d in corpus.documents)


def rule_totals(corpus: Corpus) -> dict[str, int]:
    """How often each cleaning rule fired over the whole corpus, by rule name."""
    fired: Counter[str] = Counter()
    for document in corpus.documents:
        fired.update(document.rule_counts())
    return dict(sorted(fired.items()))


def report(corpus: Corpus) -> dict[str, Any]:
    """What the build did: documents, rules fired, problems, skipped files."""
    return {
        "documents": len(corpus.documents),
        "rules": rule_totals(corpus),
        "per_document": {d.id: d.rule_counts() for d in corpus.documents},
        "skipped": corpus.skipped,
        "problems": [
            {"path": p.path, "line": p.line, "severity": p.severity.value, "message": p.message}
            for p in corpus.problems
        ],
    }


def report_json(corpus: Corpus) -> str:
    return json.dumps(report(corpus), ensure_ascii=False, sort_keys=True, indent=2) + "\n"

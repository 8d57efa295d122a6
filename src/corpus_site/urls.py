"""The one place that knows where each output file lives and how pages link to each other."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

INDEX = "index.html"
STYLESHEET = "static/style.css"
CORPUS_JSONL = "corpus.jsonl"
REPORT = "report.json"
MARKER = ".corpus-site"
"""File marking an output folder as written by corpus-site, so a rebuild may replace it."""


def document_page(doc_id: str) -> str:
    """Output path of a document's page."""
    return f"docs/{doc_id}.html"


def href(from_page: str, to_path: str, anchor: str = "") -> str:
    """A relative, percent-encoded link from one output file to another (works under any sub-path)."""
    target = posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")
    return quote(target) + (f"#{anchor}" if anchor else "")

"""What each page is rendered from, as a digest, so a rebuild renders only the pages whose inputs
changed and keeps the others as they are in the output.

A page's key covers the site as a whole (the tool, the theme, the settings, and what any page may
show of any document named by its id: its metadata and script) and the page's own values. In those
values, another document stands for its id, length and paragraph count (what a page shows of it
beyond the site's part), so an edit that changes a document's length re-renders only the pages
holding it; the page's own document counts whole, by its digest when the reader gave it one. What a
page shows must be in its values, or be worked out only from them and the site's part, never by its
template: an entry's charts are in its values, drawn before the key is made, so a document's new
length re-renders only the entries whose charts it changes. Search postings do not count. Values
hold no sets: the pickler writes a set's items in hash order, which changes from one process to the
next (it never asks `reducer_override` about a set), and keys must not.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpus_site.cache import FORGETFUL, Memory, key_of
from corpus_site.model import Document, DocumentAnalysis, Entry
from corpus_site.settings import Settings
from corpus_site.theme import default_theme_dir


@dataclass(slots=True)
class PageKeys:
    """The keys of the pages already in the output, and of this build's pages as they are made;
    a document's downloads and search file are keyed the same way (by the document's digest)."""

    previous: Mapping[str, str] = field(default_factory=dict)
    """Key by output path of each keyed file the output holds (only those whose file is there)."""
    current: dict[str, str] = field(default_factory=dict)
    """Key by output path of each keyed file of this build."""
    kept: int = 0
    """Pages of this build kept as they are in the output."""


def theme_digest(templates: Path | None) -> str:
    """A digest of every file of the default theme and of the user's templates."""
    digest = hashlib.sha256()
    for root in [default_theme_dir(), *([templates] if templates else [])]:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def site_key(
    documents: Sequence[Document], settings: Settings, templates: Path | None, memory: Memory = FORGETFUL
) -> str:
    """The part of every page's key that belongs to the whole site; each document's share of it is
    kept in `memory` with the document."""
    return key_of(
        "site",
        theme_digest(templates),
        json.dumps(asdict(settings), ensure_ascii=False, sort_keys=True, default=str),
        *(memory.derived("site summary", d, _site_summary) for d in documents),
    )


def _site_summary(document: Document) -> str:
    """What any page may show of a document named by its id."""
    metadata = document.metadata  # its fields by name, as `asdict` gives them, in half the time
    summary = [
        document.id,
        {name: getattr(metadata, name) for name in metadata.__match_args__},
        document.script,
    ]
    return json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str)


def page_key(site: str, template: str, path: str, values: dict[str, Any]) -> str:
    """The key of one page: the site's part, its template and path, and its values."""
    buffer = io.BytesIO()
    _ValuesPickler(buffer, values.get("document")).dump((site, template, path, values))
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def digest_of(value: object) -> str:
    """A digest of a value (no sets in it) that depends only on what it holds, not on which of its
    parts are the same object."""
    buffer = io.BytesIO()
    _ValuesPickler(buffer, None).dump(value)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def _document_ref(*shown: object) -> tuple[object, ...]:
    return shown


class _ValuesPickler(pickle.Pickler):
    """Pickles page values for a digest only (never to be loaded back)."""

    def __init__(self, file: io.BytesIO, own: Document | None) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.own = own
        # No memo: with one, equal values held by shared or by separate objects pickle differently.
        self.fast = True

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Document) and obj is not self.own:
            return _document_ref, (obj.id, obj.length, len(obj.paragraphs))
        if isinstance(obj, Document) and obj.digest:
            return _document_ref, (obj.digest,)
        if isinstance(obj, Entry) and obj.lines_digest:
            fields = (obj.kind, obj.name, obj.documents, obj.occurrences, obj.counts, obj.collocates)
            return tuple, ((fields, obj.lines_digest),)
        if isinstance(obj, DocumentAnalysis):
            shown = (obj.keywords, obj.entities, obj.related, obj.near_duplicates, obj.frequent)
            return tuple, (shown,)
        return NotImplemented

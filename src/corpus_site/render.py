"""Render the site: every page and file the build writes, as bytes by output path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from corpus_site import __version__, urls
from corpus_site.clean import RULES
from corpus_site.compare import compare
from corpus_site.errors import DuplicateOutput
from corpus_site.export import corpus_jsonl, report_json
from corpus_site.model import Corpus, Document
from corpus_site.theme import environment, static_files

RULE_DESCRIPTIONS = {name: (rule.__doc__ or name).strip().splitlines()[0] for name, rule in RULES}
SCRIPT_LABELS = {"simplified": "简体", "traditional": "繁體", "mixed": "简繁混合"}


class SiteFiles:
    """Output files by path; writing one path twice is a bug and refused."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.files:
            raise DuplicateOutput(f"{path}: two outputs would be written to this path")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content


def _linker(page: str) -> Callable[..., str]:
    def link(target: str, anchor: str = "") -> str:
        return urls.href(page, target, anchor)

    return link


def _render(env: jinja2.Environment, template: str, page: str, **values: Any) -> str:
    return env.get_template(template).render(
        link=_linker(page),
        urls=urls,
        version=__version__,
        stylesheet=urls.href(page, urls.STYLESHEET),
        script_labels=SCRIPT_LABELS,
        **values,
    )


def _neighbours(documents: list[Document], index: int) -> tuple[Document | None, Document | None]:
    previous = documents[index - 1] if index > 0 else None
    following = documents[index + 1] if index + 1 < len(documents) else None
    return previous, following


def render_site(corpus: Corpus, templates: Path | None = None) -> dict[str, bytes]:
    """All output files of the site."""
    env = environment(templates)
    site = SiteFiles()
    site.add(urls.INDEX, _render(env, "index.html", urls.INDEX, corpus=corpus))
    for index, document in enumerate(corpus.documents):
        page = urls.document_page(document.id)
        previous, following = _neighbours(corpus.documents, index)
        site.add(
            page,
            _render(
                env,
                "document.html",
                page,
                document=document,
                previous=previous,
                following=following,
                rule_descriptions=RULE_DESCRIPTIONS,
                rows=compare(document.raw_text, [p.original for p in document.paragraphs]),
            ),
        )
    site.add(urls.CORPUS_JSONL, corpus_jsonl(corpus))
    site.add(urls.REPORT, report_json(corpus))
    for path, content in static_files(templates).items():
        site.add(path, content)
    return site.files

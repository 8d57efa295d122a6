"""Render the site: every page and file the build writes, as bytes by output path.

Each page is described once (`Page`: path, template, values) and rendered once per script: the
simplified page from the template, the traditional page from that page's text converted by OpenCC.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from markdown_it import MarkdownIt

from corpus_site import __version__, urls
from corpus_site.cache import FORGETFUL, Memory, key_of
from corpus_site.charts import bar_chart
from corpus_site.clean import RULES
from corpus_site.clean.metadata import FIELD_LABELS
from corpus_site.compare import compare_by_source_line
from corpus_site.convert import SCRIPT_LABELS
from corpus_site.dates import year_of
from corpus_site.errors import DuplicateOutput
from corpus_site.export import (
    corpus_csv,
    corpus_jsonl,
    document_text,
    frequency_csv,
    report_json,
    robots_txt,
    sitemap_xml,
)
from corpus_site.fragments import dated_items, document_items, document_rows, kwic_html, notes_html, rows_html
from corpus_site.model import Analysis, Corpus, Document, Entry, EntryKind
from corpus_site.outline import outline
from corpus_site.pagekeys import PageKeys, page_key, site_key, theme_digest
from corpus_site.search import search_files, search_text
from corpus_site.settings import Settings
from corpus_site.stats import (
    Charts,
    Drawn,
    Facts,
    corpus_charts,
    document_facts,
    drawn,
    entry_charts,
    filter_values,
    redrawn,
    summary_numbers,
)
from corpus_site.theme import compile_templates, environment, static_files, template_problem
from corpus_site.variants import convert_html, to_traditional
from corpus_site.workers import finish, made_aside, parallel_iter, shared
from corpus_site.writer import Content, Kept, Placed, place

RULE_DESCRIPTIONS = {name: (rule.__doc__ or name).strip().splitlines()[0] for name, rule in RULES}
LANG_LABELS = {urls.HANS: "简体", urls.HANT: "繁體"}
KIND_LABELS = {
    EntryKind.TERM: "词语",
    EntryKind.PERSON: "人物",
    EntryKind.PLACE: "地点",
    EntryKind.ORGANIZATION: "机构",
}
PageContent = bytes | Kept | Placed
"""A rendered page: its bytes, or word that they are in the output already or were placed there."""
UNDATED = "日期不详"
FREQUENCY_ROWS = 200
"""Rows of each frequency list shown on its page (the CSV files hold them all)."""


class SiteFiles:
    """Output files by path; writing one path twice is a bug and refused."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.files:
            raise DuplicateOutput(f"{path}: two outputs would be written to this path")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content


@dataclass(slots=True, frozen=True)
class Page:
    """One page of the site, before it is rendered in each script."""

    path: str
    """Output path of the simplified page (the traditional one is `urls.localized`)."""
    template: str
    """Name of the Jinja template."""
    values: dict[str, Any] = field(default_factory=dict)
    """Template values particular to this page."""


@dataclass(slots=True, frozen=True)
class EntryRow:
    """An entry as its index lists it: only what the index shows, so that the index's key, and its
    rendering, do not follow every change to an entry's concordance lines. Its fields are those of
    `Entry`, so a template written for entries lists rows as well."""

    name: str
    """The word or name."""
    documents: tuple[str, ...]
    """Ids of the documents that use it, sorted."""
    occurrences: int
    """How many times it occurs in them."""


@dataclass(slots=True, frozen=True)
class Segment:
    """A run of paragraph text, linked to a term page or not."""

    text: str
    """The text."""
    target: str | None = None
    """Output path of the term page the run links to."""


@dataclass(slots=True)
class _Renderer:
    """What every page needs, shared with forked workers."""

    env: jinja2.Environment
    pages: list[Page]
    documents_by_id: dict[str, Document]
    settings: Settings
    site_key: str
    previous: Mapping[str, str]

    memory: Memory
    placing: str | None = None
    """The folder `write_site` makes the site in, when rendered pages are written there at once
    (`writer.place`), by the process that renders them."""
    folders: set[str] = field(default_factory=set)
    """Folders made already in `placing`."""

    def key(self, index: int) -> str:
        page = self.pages[index]
        return page_key(self.site_key, page.template, page.path, page.values)

    def remembered_key(self, index: int) -> str:
        """`key`, taken from memory when the last build in this process made this page of the very
        same values (or of values made anew that hold the same strings and numbers in the same order)."""
        page = self.pages[index]
        last = self.memory.get("page key", page.path)
        if last is not None and last[:2] == (self.site_key, page.template) and _same(last[2], page.values):
            key: str = last[3]
        else:
            key = self.key(index)
        self.remember_key(index, key)
        return key

    def remember_key(self, index: int, key: str) -> None:
        page = self.pages[index]
        self.memory.put("page key", page.path, (self.site_key, page.template, page.values, key))

    def kept(self, index: int, key: str) -> list[tuple[str, PageContent]] | None:
        """The page in both scripts as `Kept.UNCHANGED`, when the output holds it rendered from the
        inputs `key` stands for; else None."""
        paths = [urls.localized(self.pages[index].path, lang) for lang in urls.LANGS]
        if all(self.previous.get(path) == key for path in paths):
            return [(path, Kept.UNCHANGED) for path in paths]
        return None

    def render(self, index: int) -> tuple[str, list[tuple[str, PageContent]]]:
        """One page's key, and the page in both scripts by output path: rendered once and localized
        for each, or kept as it is in the output when it was rendered from the same inputs."""
        key = self.key(index)
        if (kept := self.kept(index, key)) is not None:
            return key, kept
        return key, self.render_anew(index)

    def render_anew(self, index: int) -> list[tuple[str, PageContent]]:
        """The page in both scripts by output path, rendered whatever the output holds."""
        page = _prepared(self.pages[index])
        traditional = to_traditional(self.settings.traditional)
        html = _render_page(self.env, page, None, self.documents_by_id, self.settings)
        out: list[tuple[str, PageContent]] = []
        for lang in urls.LANGS:
            localized = _localize(html, page.path, lang, self.settings)
            converted = convert_html(localized, traditional) if lang == urls.HANT else localized
            # Encoded here, in the worker: bytes travel back to the writer without another round,
            # or none when the worker writes them itself.
            relative, data = urls.localized(page.path, lang), converted.encode("utf-8")
            out.append((relative, self.placed(relative, data)))
        return out

    def placed(self, relative: str, data: bytes) -> bytes | Placed:
        if self.placing is None:
            return data
        return place(self.placing, relative, data, self.folders)

    def rendered(
        self, jobs: int, progress: Callable[[int, int], None] | None
    ) -> Iterator[tuple[str, list[tuple[str, PageContent]]]]:
        """`render` for every page in order, over `jobs` processes (a first build: no page is kept)."""
        indices = range(len(self.pages))
        report = (lambda done: progress(done, len(indices))) if progress else None
        rendered = parallel_iter(_render_in_worker, indices, jobs, report)
        for index, (key, made) in zip(indices, rendered, strict=True):
            self.remember_key(index, key)  # worked out where it was rendered, perhaps in a worker
            yield key, made

    def rerendered(
        self, jobs: int, progress: Callable[[int, int], None] | None
    ) -> Iterator[tuple[str, list[tuple[str, PageContent]]]]:
        """`render` for every page in order, in a rebuild: the pages that changed are worked out here,
        and only those are sent to the workers, which start at once (they render while this process
        makes other files); after one edit they are a handful."""
        indices = range(len(self.pages))
        page_keys = [self.remembered_key(index) for index in indices]
        kept = [self.kept(index, key) for index, key in zip(indices, page_keys, strict=True)]
        stale = [index for index in indices if kept[index] is None]
        report = (lambda done: progress(done, len(stale))) if progress else None
        fresh = shared(_render_anew_in_worker, stale, jobs, report)

        def in_order() -> Iterator[tuple[str, list[tuple[str, PageContent]]]]:
            for key, files in zip(page_keys, kept, strict=True):
                yield key, files if files is not None else next(fresh)
            finish(fresh)

        return in_order()


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _same(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """True when each of a page's values is the object it was, or a tuple or dict made anew of the
    same plain values in the same order (a dict's order shows on the page; `==` ignores it)."""
    if list(old) != list(new):
        return False
    for before, now in zip(old.values(), new.values(), strict=True):
        if before is now:
            continue
        if type(before) is not type(now) or type(now) not in (tuple, dict):
            return False
        if type(now) is dict:
            before, now = [*before, *before.values()], [*now, *now.values()]
        kinds = [*map(type, now)]  # 1 == True, but they show differently
        if not (_PLAIN.issuperset(kinds) and kinds == [*map(type, before)] and before == now):
            return False
    return True


_RENDERER: _Renderer | None = None


def _render_in_worker(index: int) -> tuple[str, list[tuple[str, PageContent]]]:
    assert _RENDERER is not None
    return _RENDERER.render(index)


def _render_anew_in_worker(index: int) -> list[tuple[str, PageContent]]:
    assert _RENDERER is not None
    return _RENDERER.render_anew(index)


def render_site(
    corpus: Corpus,
    analysis: Analysis,
    settings: Settings | None = None,
    templates: Path | None = None,
    *,
    jobs: int = 1,
) -> dict[str, bytes]:
    """All output files of the site, by path (for tests and tools; builds stream `site_files`)."""
    site = SiteFiles()
    for path, content in site_files(corpus, analysis, settings, templates, jobs=jobs):
        assert not isinstance(content, Kept | Placed), "without keys or a folder, every file comes whole"
        site.add(path, content)
    return site.files


def site_files(
    corpus: Corpus,
    analysis: Analysis,
    settings: Settings | None = None,
    templates: Path | None = None,
    *,
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    keys: PageKeys | None = None,
    memory: Memory = FORGETFUL,
    placing: str | None = None,
) -> Iterator[tuple[str, Content]]:
    """Every output file of the site as it is made; pages rendered over `jobs` processes.

    Pages whose key is in `keys.previous` for both scripts come as `Kept.UNCHANGED`; every page's
    key is put in `keys.current`. `memory` keeps what the next build in this process may reuse.
    With `placing` (`writer.placing_folder`, for a site made from nothing), a first build's pages
    are written there by the processes that render them, and come as `Placed`.
    """
    settings = settings or Settings()
    keys = keys or PageKeys()
    to_traditional(settings.traditional)  # its dictionaries loaded once, before the workers fork
    data = partial(_data_files, corpus, analysis, settings, templates, keys, memory)
    if not keys.previous or memory.keeping:
        # A first build renders every page, over `jobs` workers, this process making the data files
        # meanwhile; so does a process that builds again, which keeps what they were made of.
        yield from _pages_and(
            data(), corpus, analysis, settings, templates, jobs, progress, keys, memory, placing
        )
        return
    # A one-shot rebuild (after an edit, a handful of pages): a helper makes the data files while
    # this process works out which pages changed and renders them.
    with made_aside(partial(_listed, data, keys), jobs) as listed:
        yield from _pages_and(iter(()), corpus, analysis, settings, templates, jobs, progress, keys, memory)
        made, their_keys = listed()
    keys.current.update(their_keys)
    yield from made


def _pages_and(
    others: Iterator[tuple[str, Content]],
    corpus: Corpus,
    analysis: Analysis,
    settings: Settings,
    templates: Path | None,
    jobs: int,
    progress: Callable[[str, int, int], None] | None,
    keys: PageKeys,
    memory: Memory,
    placing: str | None = None,
) -> Iterator[tuple[str, Content]]:
    """The pages, in both scripts, each with its key put in `keys.current`, and the files that go with
    them (404, sitemap), with the `others` a few after each page."""
    global _RENDERER
    documents_by_id = {d.id: d for d in corpus.documents}
    pages = list(site_pages(corpus, analysis, settings, memory))
    env = _environment(templates, memory, {page.template for page in pages})
    _warm_fragments(corpus.documents)
    site = site_key(corpus.documents, settings, templates, memory)
    _RENDERER = _Renderer(env, pages, documents_by_id, settings, site, keys.previous, memory, placing)
    report = (lambda done, total: progress("render", done, total)) if progress else None
    others = itertools.chain(_page_files(env, pages, documents_by_id, settings), others)
    # This process makes and writes the other files while the workers render pages, a few after each
    # page, rather than alone after the last one: a site has thousands (each document's downloads).
    share = math.ceil(OTHER_FILES_PER_DOCUMENT * len(corpus.documents) / max(1, len(pages)))
    try:
        if keys.previous:  # the other files first: the workers render the pages meanwhile
            rendered = _RENDERER.rerendered(jobs, report)
            yield from others
        else:
            rendered = _RENDERER.rendered(jobs, report)
        for key, files in rendered:
            for path, content in files:
                keys.current[path] = key
                keys.kept += content is Kept.UNCHANGED
                yield path, content
            yield from itertools.islice(others, share)
    finally:
        _RENDERER = None
    yield from others


OTHER_FILES_PER_DOCUMENT = 3
"""Files `_data_files` makes for each document (its two texts and its search file), and a few more."""


def _page_files(
    env: jinja2.Environment, pages: list[Page], documents_by_id: dict[str, Document], settings: Settings
) -> Iterator[tuple[str, Content]]:
    """The files made of the pages rather than of the corpus: the 404 page and the sitemap."""
    yield (
        urls.NOT_FOUND,
        _render_page(env, Page(urls.NOT_FOUND, "404.html"), urls.HANS, documents_by_id, settings),
    )
    if settings.base_url:
        page_paths = sorted(urls.localized(page.path, lang) for page in pages for lang in urls.LANGS)
        yield urls.SITEMAP, sitemap_xml(settings.base_url, page_paths)


def _data_files(
    corpus: Corpus,
    analysis: Analysis,
    settings: Settings,
    templates: Path | None,
    keys: PageKeys,
    memory: Memory,
) -> Iterator[tuple[str, Content]]:
    """The files made of the corpus and its analysis rather than rendered: each document's texts and
    search file, the search index, the downloads, the report, robots.txt and the theme's files."""
    yield from _document_files(corpus.documents, settings, keys)
    yield from search_files(corpus, analysis, settings.traditional, memory, keys).items()
    yield urls.CORPUS_JSONL, corpus_jsonl(corpus, analysis, memory)
    yield urls.CORPUS_CSV, corpus_csv(corpus, memory)
    yield urls.FREQUENCY_WORDS_CSV, frequency_csv(analysis.words)
    yield urls.FREQUENCY_NGRAMS_CSV, frequency_csv(analysis.ngrams)
    yield urls.REPORT, report_json(corpus, memory)
    yield urls.ROBOTS, robots_txt(settings.base_url)
    yield from static_files(templates).items()


def _listed(
    files: Callable[[], Iterable[tuple[str, Content]]], keys: PageKeys
) -> tuple[list[tuple[str, Content]], dict[str, str]]:
    """`files()` in a list, with the keys they were given in `keys.current`: made by a helper, whose
    keys the process that forked it must learn."""
    made = list(files())
    return made, {path: keys.current[path] for path, _ in made if path in keys.current}


def _warm_fragments(documents: Sequence[Document]) -> None:
    """Make here the rows and items of the pages that list every document (`document_rows`,
    `dated_items`, made once per process, by the links of the page they are on): workers forked
    afterwards find them made, and in a process that builds again, only an edited document's are
    made again."""
    # linked as `_render_page` links a page rendered for both scripts
    document_rows(documents, _page_linker(urls.INDEX, None))
    dated_items(documents, _page_linker(urls.DATES, None))


def _page_linker(path: str, lang: str | None) -> Callable[..., str]:
    """`link(target, anchor="")` on the page `path` in `lang`, or in both scripts with `lang` None.
    Links between pages are the same in both (the 繁體 pages mirror the 简体 ones one folder down);
    only links to shared files gain a `../`, so they get a placeholder prefix."""
    script = lang or urls.HANS
    relative = urls.linker(urls.localized(path, script))
    root = _placeholder("root") if lang is None else ""  # the page is already in its script's folder

    def link(target: str, anchor: str = "") -> str:
        if urls.is_page(target):
            return relative(urls.localized(target, script), anchor)
        return root + relative(target, anchor)

    return link


def _environment(templates: Path | None, memory: Memory, names: set[str]) -> jinja2.Environment:
    """The Jinja environment with the templates `names` compiled (`compile_templates`), kept with
    them while the templates are unchanged."""
    key = (templates, theme_digest(templates))
    env, compiled = memory.get("environment", key) or (environment(templates), frozenset())
    if not names <= compiled:
        compile_templates(env, names - compiled)
        compiled |= names
    memory.put("environment", key, (env, compiled))
    return env


def _document_files(
    documents: Sequence[Document], settings: Settings, keys: PageKeys
) -> Iterator[tuple[str, str | Kept]]:
    """Each document's text downloads and search file; kept as they are in the output when the
    document, its place in the corpus and the traditional variant are as the last build had them."""
    traditional = to_traditional(settings.traditional)
    for number, document in enumerate(documents):
        paths = (
            urls.document_text(document.id, urls.HANS),
            urls.document_text(document.id, urls.HANT),
            urls.search_text(number),
        )
        key = key_of("document files", document.digest, str(number), settings.traditional)
        if document.digest and all(keys.previous.get(path) == key for path in paths):
            contents: tuple[str | Kept, ...] = (Kept.UNCHANGED,) * len(paths)
        else:
            text = document_text(document)
            contents = (text, traditional(text), search_text(number, document, traditional))
        for path, content in zip(paths, contents, strict=True):
            if document.digest:
                keys.current[path] = key
            yield path, content


_PLACEHOLDER = re.compile("\x00corpus-site:([a-z_]+)\x00")
"""What stands in a page rendered once for both scripts where the two differ (see `_localize`)."""


def _placeholder(name: str) -> str:
    return f"\x00corpus-site:{name}\x00"


def _render_page(
    env: jinja2.Environment,
    page: Page,
    lang: str | None,
    documents_by_id: dict[str, Document],
    settings: Settings,
) -> str:
    """The page in `lang`, or with `lang` None, in both: what differs between the scripts left as
    placeholders (links: `_page_linker`)."""
    script = lang or urls.HANS
    here = urls.localized(page.path, script)
    link = _page_linker(page.path, lang)
    if lang is None:
        lang, other = _placeholder("lang"), _placeholder("other_lang")
        labels = {lang: _placeholder("lang_label"), other: _placeholder("other_lang_label")}
        counterpart: str | None = _placeholder("counterpart")
        page_url = _placeholder("page_url")
    else:
        other = _other(lang)
        labels = LANG_LABELS
        counterpart = _counterpart(page.path, lang)
        page_url = _page_url(page.path, lang, settings)
    names = dict(
        link=link,
        urls=urls,
        page_path=page.path,
        page_url=page_url,
        lang=lang,
        other_lang=other,
        lang_labels=labels,
        counterpart=counterpart if urls.is_page(page.path) else None,
        self_href=urls.href(here, here),
        site_title=settings.title,
        base_url=settings.base_url,
        build_date=settings.build_date,
        version=__version__,
        script_labels=SCRIPT_LABELS,
        field_labels=FIELD_LABELS,
        year_of=year_of,
        kind_labels=KIND_LABELS,
        entry_kinds=list(EntryKind),
        documents_by_id=documents_by_id,
        kwic_rows=kwic_html,
        document_items=document_items,
        document_rows=document_rows,
        dated_items=dated_items,
        bar_chart=bar_chart,
    )
    try:
        return env.get_template(page.template).render(**names, **page.values)
    except jinja2.TemplateError as error:  # a user's template: its file and line, not a traceback
        raise template_problem(error, page.template, page.path) from None


def _other(lang: str) -> str:
    return urls.HANT if lang == urls.HANS else urls.HANS


def _counterpart(path: str, lang: str) -> str:
    return urls.href(urls.localized(path, lang), urls.localized(path, _other(lang)))


def _page_url(path: str, lang: str, settings: Settings) -> str:
    return urls.absolute(settings.base_url, urls.localized(path, lang)) if settings.base_url else ""


def _localize(html: str, path: str, lang: str, settings: Settings) -> str:
    """A page rendered for both scripts (`_render_page` with no `lang`) made the page in `lang`."""
    other = _other(lang)
    values = {
        "root": urls.LANG_FOLDERS[lang] and "../",
        "lang": lang,
        "other_lang": other,
        "lang_label": LANG_LABELS[lang],
        "other_lang_label": LANG_LABELS[other],
        "counterpart": _counterpart(path, lang),
        "page_url": _page_url(path, lang, settings),
    }
    return _PLACEHOLDER.sub(lambda match: str(markupsafe.escape(values[match[1]])), html)


def site_pages(
    corpus: Corpus, analysis: Analysis, settings: Settings, memory: Memory = FORGETFUL
) -> Iterator[Page]:
    """Every page of the site, in a fixed order."""
    yield Page(urls.INDEX, "index.html", {"corpus": corpus, "filters": filter_values(corpus.documents)})
    entry_paths = {
        name: urls.entry_page(EntryKind.TERM, name)
        for name in (e.name for e in analysis.entries[EntryKind.TERM])
    }
    for index in range(len(corpus.documents)):
        yield _document_page(corpus.documents, index, analysis, entry_paths)
    facts = document_facts(corpus.documents)
    changed = _changed_facts(facts, memory)
    for kind in EntryKind:
        entries = analysis.entries[kind]
        rows = [EntryRow(e.name, e.documents, e.occurrences) for e in entries]
        by_use = sorted(rows, key=lambda r: (-len(r.documents), -r.occurrences, r.name))
        yield Page(urls.entry_index(kind), "entries.html", {"kind": kind, "entries": by_use})
        for entry in entries:
            charts = _entry_charts(entry, facts, changed, memory)
            yield Page(urls.entry_page(kind, entry.name), "entry.html", {"entry": entry, "charts": charts})
    yield Page(
        urls.FREQUENCIES,
        "frequencies.html",
        {
            "words": analysis.words[:FREQUENCY_ROWS],
            "ngrams": analysis.ngrams[:FREQUENCY_ROWS],
            "terms": entry_paths,
        },
    )
    yield Page(
        urls.STATS,
        "stats.html",
        {"charts": corpus_charts(corpus, memory), "numbers": summary_numbers(corpus)},
    )
    yield Page(urls.DATES, "dates.html", {"timeline": timeline(corpus.documents)})
    yield Page(urls.SEARCH_PAGE, "search.html")
    yield Page(urls.ABOUT, "about.html", {"about_html": _markdown(settings.about), "corpus": corpus})


def _changed_facts(facts: dict[str, Facts], memory: Memory) -> set[str] | None:
    """The documents whose facts are not those the last build in this process had (None when there
    was none)."""
    last: dict[str, Facts] | None = memory.get("document facts", "")
    memory.put("document facts", "", facts)
    if last is None:
        return None
    return {doc_id for doc_id, fact in facts.items() if last.get(doc_id) != fact}


def _entry_charts(
    entry: Entry, facts: Mapping[str, Facts], changed: set[str] | None, memory: Memory
) -> Charts:
    """The entry's charts. They are drawn before its page is keyed, so that the key follows what the
    page shows, not every length behind it: a sentence added to a document changes its length, and
    with it every one of its terms' densities, but seldom what their charts show. When they come out
    as the last build in this process drew them, they are that very object, so the key is kept; they
    are drawn again from the last build's (`stats.redrawn`)."""
    if not memory.keeping:
        return entry_charts(entry, facts)
    key = (entry.kind, entry.name)
    last: tuple[Entry, Drawn] | None = memory.get("entry charts", key)
    if last is None or changed is None:
        now = drawn(entry, facts)
    elif changed.isdisjoint(entry.documents) and _same_uses(last[0], entry):
        now = last[1]._replace(facts=facts)  # the same facts of its documents; older ones let go
    else:
        now = redrawn(last[1], entry, facts, changed)
        if now.charts == last[1].charts:
            now = now._replace(charts=last[1].charts)
    memory.put("entry charts", key, (entry, now))
    return now.charts


def _same_uses(before: Entry, now: Entry) -> bool:
    """True when two entries are used as many times in the same documents (all their charts show)."""
    return before is now or (before.documents == now.documents and before.counts == now.counts)


def _document_page(
    documents: list[Document], index: int, analysis: Analysis, term_pages: dict[str, str]
) -> Page:
    document = documents[index]
    result = analysis.documents[document.id]
    linked = {term: term_pages[term] for term in result.keywords if term in term_pages}
    return Page(
        urls.document_page(document.id),
        "document.html",
        {
            "document": document,
            "analysis": result,
            "linked_terms": linked,
            "previous": documents[index - 1] if index > 0 else None,
            "following": documents[index + 1] if index + 1 < len(documents) else None,
            "rule_descriptions": RULE_DESCRIPTIONS,
        },
    )


def _prepared(page: Page) -> Page:
    """The page with the values that cost time to compute, computed only when it is rendered."""
    if page.template != "document.html":
        return page
    document: Document = page.values["document"]
    paragraphs = document.paragraphs
    extra = {
        "segments": link_terms([p.text for p in paragraphs], page.values["linked_terms"]),
        "headings": outline(paragraphs),
    }
    rows = compare_by_source_line(document.raw_text, [(p.line, p.original) for p in paragraphs])
    extra["rows"] = rows
    extra["rows_fragment"] = rows_html(rows)
    extra["notes_fragment"] = notes_html(document.notes)
    extra["rules_fired"] = document.rule_counts()
    return Page(page.path, page.template, {**page.values, **extra})


def link_terms(paragraphs: Sequence[str], links: dict[str, str]) -> list[list[Segment]]:
    """Paragraphs as runs of text, each term's first occurrence in the document linked to its page."""
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for term in sorted(links, key=lambda t: (-len(t), t)):
        for number, text in enumerate(paragraphs):
            start = _free_occurrence(text, term, spans[number])
            if start is not None:
                spans[number].append((start, start + len(term), links[term]))
                break
    return [_segments(text, sorted(spans[number])) for number, text in enumerate(paragraphs)]


def _free_occurrence(text: str, term: str, taken: list[tuple[int, int, str]]) -> int | None:
    start = text.find(term)
    while start >= 0:
        end = start + len(term)
        if all(end < a or start > b for a, b, _ in taken):  # not touching, so links stay apart
            return start
        start = text.find(term, start + 1)
    return None


def _segments(text: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for start, end, target in spans:
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], target))
        position = end
    if position < len(text) or not segments:
        segments.append(Segment(text[position:]))
    return segments


def timeline(documents: Sequence[Document]) -> list[tuple[str, list[tuple[str, list[Document]]]]]:
    """Documents by year and month, newest first; documents without a year last."""
    years: dict[str, dict[str, list[Document]]] = defaultdict(lambda: defaultdict(list))
    for document in documents:
        date = document.metadata.date
        year = year_of(date) or UNDATED
        month = date[5:7] if date and year != UNDATED else (date[2:4] if date else "")
        years[year][month].append(document)
    ordered = sorted(years, key=lambda y: (y == UNDATED, "" if y == UNDATED else str(9999 - int(y))))
    return [(year, sorted(years[year].items(), reverse=year != UNDATED)) for year in ordered]


def _markdown(text: str | None) -> str | None:
    if not text:
        return None
    html: str = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return html

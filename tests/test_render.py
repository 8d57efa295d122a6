"""Each page is rendered once for both scripts, its script-specific values filled in afterwards: the
result must be exactly what rendering the page for each script on its own gives."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from corpus_site import fragments, render, urls
from corpus_site.analyze import analyze
from corpus_site.cache import Memory
from corpus_site.model import Document, Entry, EntryKind, Paragraph
from corpus_site.pagekeys import page_key
from corpus_site.reader import read_corpus
from corpus_site.settings import Settings
from corpus_site.theme import environment
from corpus_site.variants import convert_html, to_traditional
from corpus_site.workers import parallel_iter

SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.mark.parametrize("base_url", [None, "https://example.org/a&b'c/"])
def test_rendering_once_equals_rendering_each_script(base_url: str | None) -> None:
    corpus = read_corpus(SEEDS)
    analysis = analyze(corpus)
    settings = Settings(base_url=base_url)
    env = environment()
    by_id = {d.id: d for d in corpus.documents}
    pages = list(render.site_pages(corpus, analysis, settings))
    renderer = render._Renderer(env, pages, by_id, settings, "site", {}, Memory(keeping=False))
    traditional = to_traditional(settings.traditional)
    for index, page in enumerate(pages):
        _, once = renderer.render(index)
        prepared = render._prepared(page)
        for (path, content), lang in zip(once, urls.LANGS, strict=True):
            alone = render._render_page(env, prepared, lang, by_id, settings)
            expected = convert_html(alone, traditional) if lang == urls.HANT else alone
            assert path == urls.localized(page.path, lang)
            assert content == expected.encode("utf-8"), path


def _sets_in(value: object, seen: set[int]) -> list[str]:
    """Where a set hides in a page's values (a page key would then depend on the hash seed)."""
    if id(value) in seen or isinstance(value, str | bytes | int | float | bool | type(None)):
        return []
    seen.add(id(value))
    if isinstance(value, set | frozenset):
        return [repr(value)[:60]]
    if isinstance(value, dict):
        children: list[object] = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        children = list(value)
    else:
        slots = [name for cls in type(value).__mro__ for name in getattr(cls, "__slots__", ())]
        children = [getattr(value, name) for name in slots if hasattr(value, name)]
        children += list(getattr(value, "__dict__", {}).values())
    return [found for child in children for found in _sets_in(child, seen)]


def test_page_values_hold_no_sets() -> None:
    corpus = read_corpus(SEEDS)
    pages = list(render.site_pages(corpus, analyze(corpus), Settings()))
    found = {page.path: _sets_in(render._prepared(page).values, set()) for page in pages}
    assert {path: sets for path, sets in found.items() if sets} == {}
    assert _sets_in({"terms": ("a", frozenset({"b"}))}, set()) == ["frozenset({'b'})"]


def test_an_entry_index_follows_its_rows_not_its_entries_concordance() -> None:
    """The index lists names and counts: new concordance lines for an entry leave its key alone,
    a new count changes it."""
    corpus = read_corpus(SEEDS)
    analysis = analyze(corpus)
    terms = analysis.entries[EntryKind.TERM]

    def index_key(changed: Entry) -> str:
        entries = {**analysis.entries, EntryKind.TERM: [changed, *terms[1:]]}
        pages = render.site_pages(corpus, replace(analysis, entries=entries), Settings())
        page = next(p for p in pages if p.path == urls.entry_index(EntryKind.TERM))
        return page_key("site", page.template, page.path, page.values)

    assert terms[0].lines
    assert index_key(replace(terms[0], lines=terms[0].lines[1:])) == index_key(terms[0])
    assert index_key(replace(terms[0], occurrences=terms[0].occurrences + 1)) != index_key(terms[0])


def test_a_longer_document_draws_again_only_the_charts_it_changes() -> None:
    """An entry's charts are drawn before its page is keyed: when one document grows, the entries it
    holds get new charts, the others keep the very charts the last build drew (so their keys too)."""
    corpus = read_corpus(SEEDS)
    analysis = analyze(corpus)
    memory = Memory()

    def charts_by_path(documents: list[Document]) -> dict[str, object]:
        pages = render.site_pages(replace(corpus, documents=documents), analysis, Settings(), memory)
        found = {page.path: page.values["charts"] for page in pages if page.template == "entry.html"}
        memory.forget_unused()
        return found

    before = charts_by_path(corpus.documents)
    grown = corpus.documents[0]
    extra = Paragraph("p999", 999, "。" * grown.length, "。" * grown.length)
    longer = replace(grown, paragraphs=[*grown.paragraphs, extra])
    after = charts_by_path([longer, *corpus.documents[1:]])
    entries = [(kind, e) for kind, each in analysis.entries.items() for e in each]
    holding = {urls.entry_page(kind, e.name) for kind, e in entries if grown.id in e.documents}
    assert holding and len(holding) < len(after)
    for path, charts in after.items():
        if path in holding:
            assert charts is not before[path] and charts != before[path], path  # its density halved
        else:
            assert charts is before[path], path
    assert charts_by_path(corpus.documents) == before


def test_the_other_files_come_between_the_pages_not_after_them() -> None:
    """The writer gets each document's downloads among the pages, so that it writes them while the
    workers render pages instead of alone after the last page."""
    corpus = read_corpus(SEEDS)
    paths = [path for path, _ in render.site_files(corpus, analyze(corpus))]
    first_text = urls.document_text(corpus.documents[0].id, urls.HANS)
    texts = [n for n, path in enumerate(paths) if path == first_text]
    last_page = max(n for n, path in enumerate(paths) if path.startswith(("terms/", "people/", "places/")))
    assert texts and texts[0] < last_page
    assert len(paths) == len(set(paths))


def test_the_templates_are_compiled_before_the_workers_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled once here, not again in each worker (and, under a server, in each rebuild's workers:
    the environment is kept from build to build, and only this process's compilations stay in it)."""
    corpus = read_corpus(SEEDS)
    compiled_at_fork: list[set[str]] = []

    def recorded(*arguments, **keywords):  # type: ignore[no-untyped-def]
        assert render._RENDERER is not None
        compiled_at_fork.append({name for _, name in render._RENDERER.env.cache or {}})
        return parallel_iter(*arguments, **keywords)

    monkeypatch.setattr(render, "parallel_iter", recorded)
    pages = list(render.site_pages(corpus, analyze(corpus), Settings()))
    list(render.site_files(corpus, analyze(corpus), jobs=2))
    # with those they extend and import
    assert compiled_at_fork == [{page.template for page in pages} | {"base.html", "macros.html"}]


def test_a_document_page_labels_its_other_fields_as_the_page_did(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text(
        "关于做好森林防火工作的通知\n"
        "索引号：11530000MB1234567X/2023-00012　主题分类：综合政务　发布机构：县林草局\n"
        "发文日期：2023年02月01日　文号：某林发〔2023〕5号　浏览次数：321\n"
        "各乡镇人民政府：现将有关事项通知如下。\n",
        encoding="utf-8",
    )
    corpus = read_corpus(tmp_path)
    page = render.render_site(corpus, analyze(corpus))["docs/notice.html"].decode("utf-8")
    for label, value in [("索引号", "11530000MB1234567X/2023-00012"), ("主题分类", "综合政务"),
                         ("发文字号", "某林发〔2023〕5号"), ("点击数", "321")]:  # fmt: skip
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page
    assert "<dt>views</dt>" not in page


def test_the_rows_made_before_the_workers_fork_are_those_the_pages_use() -> None:
    """`_warm_fragments` links as the index and dates pages do: rendering them makes no row again."""
    corpus = read_corpus(SEEDS)
    pages = {page.path: page for page in render.site_pages(corpus, analyze(corpus), Settings())}
    render._warm_fragments(corpus.documents)
    made = (len(fragments._ROWS), len(fragments._DATED))
    by_id = {d.id: d for d in corpus.documents}
    for path in (urls.INDEX, urls.DATES):
        render._render_page(environment(), pages[path], None, by_id, Settings())
    assert (len(fragments._ROWS), len(fragments._DATED)) == made

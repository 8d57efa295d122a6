"""Each page is rendered once for both scripts, its script-specific values filled in afterwards: the
result must be exactly what rendering the page for each script on its own gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_site import render, urls
from corpus_site.analyze import analyze
from corpus_site.reader import read_corpus
from corpus_site.settings import Settings
from corpus_site.theme import environment
from corpus_site.variants import convert_html, to_traditional

SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.mark.parametrize("base_url", [None, "https://example.org/a&b'c/"])
def test_rendering_once_equals_rendering_each_script(base_url: str | None) -> None:
    corpus = read_corpus(SEEDS)
    analysis = analyze(corpus)
    settings = Settings(base_url=base_url)
    env = environment()
    by_id = {d.id: d for d in corpus.documents}
    pages = list(render.site_pages(corpus, analysis, settings))
    renderer = render._Renderer(env, pages, by_id, settings, "site", {})
    traditional = to_traditional(settings.traditional)
    for index, page in enumerate(pages):
        _, once = renderer.render(index)
        prepared = render._prepared(page)
        for (path, content), lang in zip(once, urls.LANGS, strict=True):
            alone = render._render_page(env, prepared, lang, by_id, settings)
            expected = convert_html(alone, traditional) if lang == urls.HANT else alone
            assert path == urls.localized(page.path, lang)
            assert content == expected.encode("utf-8"), path

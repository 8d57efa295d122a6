"""A reader in Debian's Chromium (driven by Playwright): browse the seed site as a person would."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from corpus_site.convert import converter

from conftest import REPO, CorpusMaker, watching_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

sync_api = pytest.importorskip("playwright.sync_api")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(seed_site: Path) -> Path:
    return seed_site


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # Served under a sub-path, which works only if every link is relative.
    yield f"http://127.0.0.1:{server.server_address[1]}/{site.name}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install chromium (scripts/test does it)"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield _Browser(browser)
        browser.close()


class _Browser:
    """Pages with a short timeout, so a missing element fails in seconds."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser

    def new_page(self, **options: Any) -> Any:
        context = self.browser.new_context(**options)
        page = context.new_page()
        page.set_default_timeout(5000)
        return page


def test_reader_opens_a_document_and_follows_a_paragraph_link(browser: object, base_url: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(base_url + "index.html")
    assert page.locator("table.documents tbody tr").count() == 5
    page.get_by_role("link", name="全县专职消防队伍建设暨冬春火灾防控工作推进会召开").click()
    page.wait_for_url("**/docs/001_4e48695c5814e4a6.html")
    assert page.locator("h1").inner_text() == "全县专职消防队伍建设暨冬春火灾防控工作推进会召开"
    assert "民权网" in page.locator("dl.meta").inner_text()
    page.locator("#p2").hover()
    page.locator("#p2 a.permalink").click()
    assert page.url.endswith("#p2")
    assert page.evaluate("document.querySelector(':target').id") == "p2"
    page.get_by_role("navigation", name="索引").get_by_role("link", name="文献").click()
    page.wait_for_url("**/index.html")
    page.close()


def test_cleaning_record_and_original_are_shown(browser: object, base_url: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(base_url + "docs/004_0e8afde9884c6771.html")
    assert page.locator(".cleaning tbody tr").count() > 10
    rows = page.locator(".compare .rows")
    assert not rows.is_visible()
    page.get_by_text("原文与清理结果对照").click()
    assert rows.is_visible()
    header = page.locator(".compare #L1")
    assert "由会员分享" in header.locator("del").first.inner_text()
    page.close()


def test_a_note_links_to_its_line_in_the_comparison(browser: object, base_url: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(base_url + "docs/004_0e8afde9884c6771.html")
    note = page.locator(".cleaning tbody tr").filter(has_text="join_page_chunks").first
    line = note.locator("td.num a").inner_text()
    note.locator("td.num a").click()
    target = page.locator(f"#L{line}")
    assert target.is_visible()  # the closed <details> opens for its fragment
    assert page.evaluate("document.querySelector(':target').id") == f"L{line}"
    assert target.locator("del").first.inner_text().startswith("1、")
    page.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_fit_the_screen(browser: object, base_url: str, width: int, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    for path in [
        "index.html",
        "docs/004_0e8afde9884c6771.html",
        "zh-Hant/docs/001_4e48695c5814e4a6.html",
        "terms/消防安全.html",
        "dates.html",
    ]:
        page.goto(base_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at {width}px"
    page.close()


def test_site_works_from_disk(browser: object, site: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto((site / "index.html").as_uri())
    page.locator("table.documents a").first.click()
    assert page.locator("article h1").count() == 1
    page.close()


DOC_001 = "docs/001_4e48695c5814e4a6.html"
TITLE_001 = "全县专职消防队伍建设暨冬春火灾防控工作推进会召开"


def test_switch_to_traditional_and_back(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + DOC_001)
    paragraphs = [p.inner_text() for p in page.locator(".body p").all()]
    page.get_by_role("link", name="繁體", exact=True).click()
    page.wait_for_url("**/zh-Hant/" + DOC_001)
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert page.locator("h1").inner_text() == converter("s2t")(TITLE_001)
    traditional = [p.inner_text() for p in page.locator(".body p").all()]
    assert len(traditional) == len(paragraphs)
    assert traditional[0] == converter("s2t")(paragraphs[0])
    page.get_by_role("link", name="简体", exact=True).click()
    page.wait_for_url("**/site/" + DOC_001)
    assert page.locator("h1").inner_text() == TITLE_001
    page.close()


@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_term_to_concordance_to_paragraph(browser: Any, base_url: str, prefix: str) -> None:
    page = browser.new_page()
    page.goto(base_url + prefix + DOC_001)
    keyword = page.get_by_role("region", name="关键词" if not prefix else "關鍵詞").get_by_role("link").first
    term = keyword.inner_text()
    keyword.click()
    page.wait_for_url(f"**/{prefix}terms/*.html")
    assert page.locator("h1").inner_text() == term
    lines = page.locator("table.kwic tbody tr")
    assert lines.count() >= 1
    line = lines.first
    assert line.locator("mark").inner_text() == term
    link = line.locator("td.where a")
    href = link.get_attribute("href")
    link.click()
    anchor = href.split("#")[1]
    page.wait_for_url(f"**#{anchor}")
    target = page.locator(f"#{anchor}")
    assert page.evaluate("document.querySelector(':target').id") == anchor
    assert term in target.inner_text()
    page.close()


def test_index_filters_and_sorts_in_the_page(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "index.html")
    rows = page.locator("table.documents tbody tr")
    page.get_by_label("来源").select_option("民权网")
    visible = [r for r in rows.all() if r.is_visible()]
    assert len(visible) == 1 and TITLE_001 in visible[0].inner_text()
    assert page.locator("form.filters .count").inner_text() == "1 / 5"
    page.get_by_label("来源").select_option("")
    page.get_by_role("button", name="字数").click()
    lengths = [int(r.locator("td.num").inner_text()) for r in rows.all()]
    assert lengths == sorted(lengths)
    page.get_by_role("button", name="字数").click()
    lengths = [int(r.locator("td.num").inner_text()) for r in rows.all()]
    assert lengths == sorted(lengths, reverse=True)
    page.close()


def test_copy_citation_of_a_paragraph(browser: Any, base_url: str) -> None:
    page = browser.new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(base_url + DOC_001)
    page.get_by_role("button", name="复制第 2 段的引用").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(TITLE_001 + "，民权网，2021-11-17，")
    assert copied.endswith(DOC_001 + "#p2")
    page.close()


def test_table_of_contents_leads_to_its_heading(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "docs/004_0e8afde9884c6771.html")
    toc = page.get_by_role("navigation", name="目录")
    entry = toc.get_by_role("link").first
    label = entry.inner_text()
    entry.click()
    target_id = page.evaluate("document.querySelector(':target').id")
    assert page.locator(f"#{target_id}").inner_text().startswith(label.rstrip("…"))
    page.close()


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize(
    "path",
    ["index.html", DOC_001, "zh-Hant/" + DOC_001, "terms/消防安全.html", "people/index.html", "dates.html"],
)
def test_axe_finds_no_serious_violations(browser: Any, base_url: str, path: str) -> None:
    assert AXE.exists(), "axe-core comes from npm (scripts/test installs it)"
    page = browser.new_page()
    page.goto(base_url + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in serious]
    page.close()


HOSTILE = (
    "<script>window.__xss = 1; alert(1)</script>标题\n"
    '来源：<img src=x onerror="window.__xss = 2; alert(2)"> 作者：<b onmouseover=alert(3)>张三</b>\n'
    "正文里有<script>alert(4)</script>和<img src=x onerror=alert(5)>，"
    '还有<a href="javascript:alert(6)">链接</a>。\n'
    "会议要求，“<svg onload=alert(7)>”必须当作文字显示。\n"
)


def test_scraped_markup_renders_as_text_and_never_runs(browser: Any, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from corpus_site.cli import cli

    source = tmp_path / "in"
    source.mkdir()
    (source / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (source / "README.md").write_text(
        "<script>alert(8)</script>\n\n[x](javascript:alert(9))\n", encoding="utf-8"
    )
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", "--input", str(source), "--output", str(out)])
    assert result.exit_code == 0, result.output
    page = browser.new_page()
    dialogs: list[str] = []

    def record(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    for path in ["index.html", "docs/hostile.html", "zh-Hant/docs/hostile.html", "about.html"]:
        page.goto((out / path).as_uri())
        page.mouse.move(200, 300)
        for details in page.locator("details").all():
            details.locator("summary").click()
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("main script, main img, main svg, main b").count() == 0, path
    page.goto((out / "docs/hostile.html").as_uri())
    # Cleaning takes the HTML tags out of the text (an unknown tag stays, as text); the original file,
    # shown beside the clean text, keeps them, as text.
    assert page.locator("h1").inner_text().startswith("标题")
    assert "<svg onload=alert(7)>" in page.locator(".body").inner_text()
    page.locator("details.compare summary").click()
    assert "<img src=x onerror=alert(5)>" in page.locator(".compare .rows").inner_text()
    assert dialogs == []
    page.close()


def _search(page: Any) -> list[str]:
    page.wait_for_function("document.getElementById('search-status').dataset.count !== undefined")
    page.wait_for_function(
        "document.querySelectorAll('#search-results > li').length"
        " === Math.min(20, Number(document.getElementById('search-status').dataset.count))"
    )
    return [
        a.get_attribute("href").split("/")[-1].split("_")[0]
        for a in page.locator("#search-results h2 a").all()
    ]


def _seeds_holding(site: Path, phrase: str) -> list[str]:
    records = [json.loads(line) for line in (site / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    return sorted(r["id"][:3] for r in records if any(phrase in p["text"] for p in r["paragraphs"]))


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ("三年行动", "三年行动"),
        ("三年行動", "三年行动"),
        ("火灾隐患", "火灾隐患"),
        ("火災隱患", "火灾隐患"),
        ("王景义", "王景义"),
        ("王景義", "王景义"),
        ("“两会”", "两会"),
        ("十八大", "十八大"),
        ("曲靖", "曲靖"),
        ("隊", "队"),
        ("負責人蔘加", "负责人参加"),  # 蔘 only arises from the phrase 人参 → 人蔘
    ],
)
def test_search_finds_exactly_the_documents_holding_the_phrase(
    browser: Any, base_url: str, site: Path, query: str, phrase: str
) -> None:
    page = browser.new_page()
    page.goto(base_url + DOC_001)
    box = page.get_by_role("searchbox", name="搜索全文")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    found = _search(page)
    assert sorted(found) == _seeds_holding(site, phrase)
    assert page.locator("#search-status").inner_text() == f"找到 {len(found)} 篇文献"
    marks = page.locator("#search-results mark").all_inner_texts()
    assert marks and all(m == phrase for m in marks)
    page.close()


def test_three_year_action_is_only_in_seed_000(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "zh-Hant/search.html?q=" + "三年行動")
    assert _search(page) == ["000"]
    assert page.locator("#search-status").inner_text() == "找到 1 篇文獻"
    title = page.locator("#search-results h2 a").inner_text()
    assert title == converter("s2t")(title)  # shown in the page's script
    page.locator("#search-results h2 a").click()
    page.wait_for_url("**/zh-Hant/docs/000_*.html#p*")
    target = page.evaluate("document.querySelector(':target').id")
    assert "三年行動" in page.locator(f"#{target}").inner_text()
    page.close()


def test_search_words_are_all_required_and_filters_narrow(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "search.html?q=" + "火灾 王景义")
    assert _search(page) == ["001"]
    page.goto(base_url + "search.html?q=" + "消防")
    assert len(_search(page)) == 5
    page.get_by_label("来源").select_option(label="民权网")
    page.wait_for_function("document.getElementById('search-status').textContent === '找到 1 篇文献'")
    assert _search(page) == ["001"]
    page.get_by_label("原文字体").select_option(label="简体")
    page.wait_for_function("document.getElementById('search-status').textContent === '找到 0 篇文献'")
    page.close()


def test_search_from_disk_with_the_keyboard(browser: Any, site: Path) -> None:
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # home link
    box = page.get_by_role("searchbox", name="搜索全文")
    box.focus()
    page.keyboard.type("火災隱患")
    page.keyboard.press("Enter")
    found = _search(page)
    assert len(found) == 4
    page.locator("#search-results h2 a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/docs/*.html#p*")
    page.close()


def test_charts_are_drawn_and_labelled(browser: Any, base_url: str, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "stats.html")
    charts = page.locator("svg.chart")
    assert charts.count() == 5
    first = charts.first
    assert first.get_attribute("role") == "img"
    title = first.locator("title").text_content()
    assert title == "各来源的文献数"
    assert "民权网：1 篇" in (first.locator("desc").text_content() or "")
    box = first.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 20
    bars = first.locator("rect")
    widths = [float(bar.get_attribute("width") or 0) for bar in bars.all()]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1] > 0
    shot = tmp_path / "stats.png"
    first.screenshot(path=str(shot))
    assert shot.stat().st_size > 1000
    page.goto(base_url + "terms/消防安全.html")
    assert page.locator("#chart-spread rect").count() == 4
    page.close()


def test_a_preview_page_reloads_itself_as_soon_as_its_document_is_edited(
    browser: Any, make_corpus: CorpusMaker, tmp_path: Path
) -> None:
    source = make_corpus({"a.txt": "第一版标题\n某县召开会议，部署工作。\n"})
    with watching_server(source, tmp_path / "site") as port:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/docs/a.html")
        assert page.locator("h1").inner_text() == "第一版标题"
        page.evaluate("window.notReloaded = true")
        (source / "a.txt").write_text("第二版标题\n某县召开会议，部署工作。\n", encoding="utf-8")
        page.wait_for_function("document.querySelector('h1').innerText === '第二版标题'", timeout=20000)
        assert page.evaluate("window.notReloaded") is None  # a new page, not an edited one

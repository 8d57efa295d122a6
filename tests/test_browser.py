"""A reader in Debian's Chromium (driven by Playwright): browse the seed site as a person would."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_site.cli import cli

from conftest import SEEDS

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
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = CliRunner().invoke(cli, ["build", "--input", str(SEEDS), "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


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
        yield browser
        browser.close()


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
    page.get_by_role("link", name="← 全部文献").click()
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
    for path in ["index.html", "docs/004_0e8afde9884c6771.html"]:
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

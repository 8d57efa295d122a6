"""The built seed site checked whole: the Nu HTML checker, every internal link and #anchor, the
downloads and hosting files, and pages in both scripts."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from corpus_site.convert import converter

from conftest import REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class _Links(HTMLParser):
    """hrefs, srcs and ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            elif name == "id":
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_nu_html_checker_finds_no_errors(seed_site: Path) -> None:
    java = shutil.which("java")
    assert java and VNU.exists(), "the Nu checker needs java and npm's vnu-jar (scripts/test installs them)"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", str(seed_site)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == [], "\n".join(f"{m.get('url')}: {m.get('message')}" for m in messages[:20])
    assert len(_pages(seed_site)) > 50


def test_every_internal_link_and_anchor_resolves(seed_site: Path) -> None:
    parsed = {page: _parse(page) for page in _pages(seed_site)}
    broken = []
    checked = 0
    for page, links in parsed.items():
        for link in links.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                assert parts.scheme in ("http", "https") or link == "data:,", f"{page}: {link}"
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            checked += 1
            if not target.is_file() or not target.is_relative_to(seed_site.resolve()):
                broken.append(f"{page.relative_to(seed_site)}: {link} (no file)")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(seed_site)}: {link} (no #{parts.fragment})")
    assert not broken, "\n".join(broken[:30])
    assert checked > 1000


def test_links_are_relative_and_nothing_comes_from_other_hosts(seed_site: Path) -> None:
    for page in _pages(seed_site):
        for link in _parse(page).links:
            assert not link.startswith("/"), f"{page}: {link} is not relative"
            if urlsplit(link).scheme and link != "data:,":  # the empty icon, so no request for /favicon.ico
                assert link.startswith("https://example.org/corpus/"), f"{page}: {link}"


def test_every_page_exists_in_both_scripts_and_names_its_counterpart(seed_site: Path) -> None:
    simplified = [p for p in _pages(seed_site) if "zh-Hant" not in p.parts and p.name != "404.html"]
    to_traditional = converter("s2t")
    for page in simplified:
        relative = page.relative_to(seed_site)
        counterpart = seed_site / "zh-Hant" / relative
        assert counterpart.is_file(), relative
        hans, hant = page.read_text(encoding="utf-8"), counterpart.read_text(encoding="utf-8")
        assert '<html lang="zh-Hans">' in hans and '<html lang="zh-Hant">' in hant
        assert 'hreflang="zh-Hant"' in hans and 'hreflang="zh-Hans"' in hant
    page = (seed_site / "docs").glob("001_*.html").__next__()
    title = "全县专职消防队伍建设暨冬春火灾防控工作推进会召开"
    assert f"<h1>{title}" in page.read_text(encoding="utf-8")
    hant = (seed_site / "zh-Hant" / "docs" / page.name).read_text(encoding="utf-8")
    assert f"<h1>{to_traditional(title)}" in hant


def test_original_text_keeps_its_script_on_traditional_pages(seed_site: Path) -> None:
    page = next((seed_site / "zh-Hant" / "docs").glob("004_*.html")).read_text(encoding="utf-8")
    assert "由会员分享" in page  # the simplified original file, shown as it was


def test_corpus_jsonl_gains_urls_keywords_entities_related(seed_site: Path) -> None:
    records = [
        json.loads(line) for line in (seed_site / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(records) == 5
    ids = {r["id"] for r in records}
    for record in records:
        assert record["urls"] == {"zh-Hans": record["url"], "zh-Hant": "zh-Hant/" + record["url"]}
        assert (seed_site / record["urls"]["zh-Hant"]).is_file()
        assert 5 <= len(record["keywords"]) <= 10
        assert set(record["entities"]) == {"person", "place", "organization"}
        assert set(record["related"]) <= ids - {record["id"]}
    by_id = {r["id"][:3]: r for r in records}
    assert "王景义" in by_id["001"]["entities"]["person"]
    assert "曲靖市" in by_id["000"]["entities"]["place"]


def test_downloads(seed_site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((seed_site / "corpus.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 5 and rows[1]["source"] == "民权网" and rows[1]["date"] == "2021-11-17"
    for row in rows:
        hans = (seed_site / "texts" / f"{row['id']}.zh-Hans.txt").read_text(encoding="utf-8")
        hant = (seed_site / "texts" / f"{row['id']}.zh-Hant.txt").read_text(encoding="utf-8")
        assert hans.startswith(row["title"]) and hant == converter("s2t")(hans)


def test_hosting_files(seed_site: Path) -> None:
    assert (seed_site / "404.html").is_file()
    robots = (seed_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/corpus/sitemap.xml" in robots
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [
        e.text for e in ET.parse(seed_site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)
    ]
    assert "https://example.org/corpus/" in locations
    assert "https://example.org/corpus/zh-Hant/" in locations
    assert len(locations) == len([p for p in _pages(seed_site) if p.name != "404.html"])


@pytest.mark.parametrize("page", ["about.html", "zh-Hant/about.html"])
def test_about_page_renders_the_corpus_readme_without_raw_html(seed_site: Path, page: str) -> None:
    html = (seed_site / page).read_text(encoding="utf-8")
    assert "<table>" in html and "<code>隊(duì)</code>" in html
    assert ("样本文献库" if page == "about.html" else "樣本文獻庫") in html

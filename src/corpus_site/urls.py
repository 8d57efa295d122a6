"""The one place that knows where each output file lives and how pages link to each other.

Pages exist once per script: canonical simplified pages at the top of the site, traditional ones under
`zh-Hant/` with the same relative paths, so a link between two pages of one script is the same path.
Data files (downloads, stylesheet, script) are shared by both.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from corpus_site.model import EntryKind

HANS = "zh-Hans"
HANT = "zh-Hant"
LANGS = (HANS, HANT)
LANG_FOLDERS = {HANS: "", HANT: "zh-Hant/"}

INDEX = "index.html"
DATES = "dates.html"
STATS = "stats.html"
FREQUENCIES = "frequencies.html"
FREQUENCY_WORDS_CSV = "frequencies/words.csv"
FREQUENCY_NGRAMS_CSV = "frequencies/ngrams.csv"
ABOUT = "about.html"
NOT_FOUND = "404.html"
STYLESHEET = "static/style.css"
SCRIPT = "static/site.js"
SEARCH_SCRIPT = "static/search.js"
CORPUS_JSONL = "corpus.jsonl"
CORPUS_CSV = "corpus.csv"
REPORT = "report.json"
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
SEARCH_PAGE = "search.html"
SEARCH_CONFIG = "search/config.js"
SEARCH_FILTERS = "search/filters.js"
MARKER = ".corpus-site"
"""File marking an output folder as written by corpus-site, so a rebuild may replace it."""

ENTRY_FOLDERS = {
    EntryKind.TERM: "terms",
    EntryKind.PERSON: "people",
    EntryKind.PLACE: "places",
    EntryKind.ORGANIZATION: "organizations",
}
_PLAIN_NAME = re.compile(r"[\u4e00-\u9fff]{1,40}")


def document_page(doc_id: str) -> str:
    """Output path of a document's page (in canonical script; see `localized`)."""
    return f"docs/{doc_id}.html"


def document_text(doc_id: str, lang: str) -> str:
    """Output path of a document's plain-text download in one script."""
    return f"texts/{doc_id}.{lang}.txt"


def search_shard(number: int) -> str:
    """Output path of one shard of the search index."""
    return f"search/shards/{number}.js"


def search_text(number: int) -> str:
    """Output path of one document's title, link and canonical paragraphs, for a search result."""
    return f"search/text/{number}.js"


def entry_index(kind: EntryKind) -> str:
    """Output path of the index page of one kind of entry (terms, people, …)."""
    return f"{ENTRY_FOLDERS[kind]}/index.html"


def entry_page(kind: EntryKind, name: str) -> str:
    """Output path of one term's or entity's page: its name when that is plain Han text, else a hash."""
    slug = name if _PLAIN_NAME.fullmatch(name) else "x" + hashlib.sha1(name.encode()).hexdigest()[:12]
    return f"{ENTRY_FOLDERS[kind]}/{slug}.html"


def is_page(path: str) -> bool:
    """True for outputs that exist once per script."""
    return path.endswith(".html") and path != NOT_FOUND


def localized(path: str, lang: str) -> str:
    """The output path of `path` in the given script (data files are shared)."""
    return LANG_FOLDERS[lang] + path if is_page(path) else path


def href(from_page: str, to_path: str, anchor: str = "") -> str:
    """A relative, percent-encoded link from one output file to another (works under any sub-path)."""
    return linker(from_page)(to_path, anchor)


def linker(from_page: str) -> Callable[[str, str], str]:
    """`href` from one page, for the thousands of links a page may hold."""
    folder = posixpath.dirname(from_page) or "."

    def link(to_path: str, anchor: str = "") -> str:
        target = _relative(folder, to_path)
        return f"{target}#{anchor}" if anchor else target

    return link


@lru_cache(maxsize=65536)
def _relative(from_folder: str, to_path: str) -> str:
    return quote(posixpath.relpath(to_path, from_folder))


def absolute(base_url: str, path: str) -> str:
    """The public URL of an output file under the site's base URL."""
    return base_url.rstrip("/") + "/" + quote(path.removesuffix(INDEX) if path.endswith(INDEX) else path)

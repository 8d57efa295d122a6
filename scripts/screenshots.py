"""Screenshots of the built seed site at 360 px and 1280 px, for the README and for checking by eye.

    .venv/bin/python scripts/screenshots.py [--site build] [--out docs/screenshots]

Serves the site on loopback and drives Debian's Chromium with Playwright (never a downloaded browser).
"""

from __future__ import annotations

import argparse
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {
    "home": "index.html",
    "document": "docs/001_4e48695c5814e4a6.html",
    "document-hant": "zh-Hant/docs/003_6acfa15ed355cab1.html",
    "term": "terms/消防安全.html",
}
WIDTHS = (360, 1280)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, default=Path("build"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in PAGES.items():
                page.goto(base + path)
                target = args.out / f"{name}-{width}.png"
                page.screenshot(path=str(target))
                print(target)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()

"""A preview server for a built site: only the site's own files, no listings, loopback by default.

With a reload counter (the `--watch` mode), every HTML page it sends carries a small script that
waits on `/__corpus_site__/version?after=N` (the server answers once the count of finished rebuilds
is no longer N, or after `LONG_POLL_SECONDS`) and reloads the page as soon as a rebuild has finished.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from corpus_site import urls

RELOAD_PATH = "/__corpus_site__/version"
LONG_POLL_SECONDS = 25.0
"""How long the server holds a request for the reload count before answering that nothing changed."""
_RELOAD_SCRIPT = (
    "<script>(()=>{let seen='%d';const wait=async()=>{try{"
    f"const now=await (await fetch('{RELOAD_PATH}?after='+seen,{{cache:'no-store'}})).text();"
    "if(now!==seen){location.reload();return;}setTimeout(wait,0);"
    "}catch(e){setTimeout(wait,1000);}};wait();})();</script>"
)
"""Waits for the reload count to differ from the one the page was served at (`%d`), and reloads the
page then: a rebuild that ends before the first request reloads the page too. While the server is
away, it asks again every second."""
_PLAIN_404 = b"<!DOCTYPE html><title>404</title><p>Not found</p>"


class Reloads:
    """A counter of rebuilds whose site is in place, shared by the watcher and the server."""

    def __init__(self) -> None:
        self.count = 0
        self._changed = threading.Condition()

    def bump(self) -> None:
        with self._changed:
            self.count += 1
            self._changed.notify_all()

    def wait_past(self, seen: int, timeout: float) -> int:
        """The count once it is no longer `seen`, or as it is after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.count != seen, timeout)
            return self.count


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files under the site folder; anything else, or a folder without index.html, is a 404."""

    reloads: Reloads | None = None
    quiet = False

    def __init__(self, *args: Any, site: Path, **kwargs: Any) -> None:
        self.site = site.resolve()
        super().__init__(*args, directory=str(self.site), **kwargs)

    def do_GET(self) -> None:
        if self.reloads is not None and self.path.split("?")[0] == RELOAD_PATH:
            seen = _after(self.path)
            count = self.reloads.count if seen is None else self.reloads.wait_past(seen, LONG_POLL_SECONDS)
            self._send_bytes(200, str(count).encode(), "text/plain; charset=utf-8")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        resolved = path.resolve()
        if not resolved.is_file() or not resolved.is_relative_to(self.site):
            self._not_found()
            return
        if resolved.suffix == ".html" and self.reloads is not None:
            version = self.reloads.count  # before the page is read: a rebuild between reloads it
            page = _with_reload(resolved.read_bytes(), version)
            self._send_bytes(200, page, "text/html; charset=utf-8")
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        path = Path(self.translate_path(self.path))
        if not (path / "index.html" if path.is_dir() else path).resolve().is_file():
            self._not_found(body=False)
            return
        super().do_HEAD()

    def list_directory(self, path: str | Any) -> None:
        self._not_found()
        return None

    def _not_found(self, body: bool = True) -> None:
        page = self.site / urls.NOT_FOUND
        content = (
            page.read_bytes() if page.is_file() else b"<!DOCTYPE html><title>404</title><p>Not found</p>"
        )
        self._send_bytes(404, content if body else b"", "text/html; charset=utf-8", len(content))

    def _send_bytes(self, status: int, content: bytes, kind: str, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(content) if length is None else length))
        self.end_headers()
        if content:
            self.wfile.write(content)

    def end_headers(self) -> None:
        # Every file, not only the pages: a rebuild replaces files under the same names, and a page
        # that reloads must not run the search with the shards or configuration the browser kept.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def _after(path: str) -> int | None:
    """The count a request for the reload count waits to see change (`?after=N`), if any."""
    values = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query).get("after", [])
    return int(values[0]) if values and values[0].isdigit() else None


def _with_reload(page: bytes, version: int) -> bytes:
    script = (_RELOAD_SCRIPT % version).encode()
    marker = b"</body>"
    index = page.rfind(marker)
    return page[:index] + script + page[index:] if index >= 0 else page + script


def make_server(
    site: Path, host: str = "127.0.0.1", port: int = 8000, reloads: Reloads | None = None, quiet: bool = False
) -> http.server.ThreadingHTTPServer:
    """A threaded HTTP server for the site folder (port 0 picks a free port)."""
    handler = type("Handler", (SiteHandler,), {"reloads": reloads, "quiet": quiet})
    return http.server.ThreadingHTTPServer((host, port), functools.partial(handler, site=site))


WAKE_MS = 200
"""How often the watcher wakes when nothing changes (to see that it is asked to stop, and to tell
that it is watching)."""

SETTLE_MS = 20
"""How long the watcher waits, once a file changed, for more changes to rebuild for at once (an
editor's save is a burst of writes and renames, microseconds apart)."""


def watch(
    paths: Iterable[Path],
    rebuild: Callable[[Callable[[], None]], None],
    stop: threading.Event,
    reloads: Reloads,
    watching: threading.Event | None = None,
    ready: threading.Event | None = None,
    quiet: Callable[[], None] | None = None,
    ignored: Iterable[Path] = (),
) -> None:
    """Rebuild whenever a file under `paths`, but not under `ignored`, changes, until `stop` is set.
    `rebuild` is handed what to call once the new site is in place (pages reload then, while the
    build finishes its bookkeeping); a rebuild that does not call it reloads them when it ends.
    `watching` is set once changes are being watched; changes seen before `ready` is set (while the
    first build runs) make one rebuild once it is. `quiet` is called, once `ready` is set, whenever
    nothing changed for `WAKE_MS`, and when watching stops (a server saves its cache then)."""
    from watchfiles import DefaultFilter
    from watchfiles import watch as watch_changes

    default = DefaultFilter()
    folders = {os.fspath(path) for folder in ignored for path in (folder.absolute(), folder.resolve())}

    def watched(change: Any, path: str) -> bool:  # a site built inside the input folder, say
        return default(change, path) and not any(
            path == folder or path.startswith(folder + os.sep) for folder in folders
        )

    changes = watch_changes(
        *paths,
        watch_filter=watched,
        stop_event=stop,
        debounce=300,
        step=SETTLE_MS,
        rust_timeout=WAKE_MS,
        yield_on_timeout=True,
    )
    pending = False
    for changed in changes:  # the first result, a change or none, comes once the paths are watched
        if watching is not None:
            watching.set()
        pending = pending or bool(changed)
        if ready is not None and not ready.is_set():
            continue
        if pending:
            pending = False
            before = reloads.count
            rebuild(reloads.bump)
            if reloads.count == before:
                reloads.bump()
        elif quiet is not None:
            quiet()
    if quiet is not None and (ready is None or ready.is_set()):
        quiet()

"""`corpus-site serve` serves only the site; `corpus-site check` reports a corpus's problems."""

from __future__ import annotations

import functools
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_site import cli as cli_module
from corpus_site.cache import Memory
from corpus_site.cli import cli
from corpus_site.decode import decode
from corpus_site.errors import CorpusSiteError
from corpus_site.serve import RELOAD_PATH, Reloads, make_server, watch
from corpus_site.workers import default_jobs

from conftest import CorpusMaker, damaged_corpus, watching_server


@pytest.fixture(scope="module")
def served(seed_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    site = tmp_path_factory.mktemp("served") / "site"
    shutil.copytree(seed_site, site)
    secret = site.parent / "secret.txt"
    secret.write_text("outside the site", encoding="utf-8")
    (site / "leak.txt").symlink_to(secret)
    server = make_server(site, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "127.0.0.1", server.server_address[1]
    server.shutdown()


def _get(address: tuple[str, int], path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*address, timeout=5)
    connection.request("GET", path)  # sent as is, like curl --path-as-is
    response = connection.getresponse()
    return response.status, response.read()


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/docs/../../secret.txt",
        "/..%2fsecret.txt",
        "/leak.txt",
        "/docs/",
        "/static/",
        "/no-such-page.html",
    ],
)
def test_nothing_outside_the_site_and_no_listings(served: tuple[str, int], path: str) -> None:
    status, body = _get(served, path)
    assert status == 404
    assert b"root:" not in body and b"outside the site" not in body and b"Directory listing" not in body
    assert "找不到页面".encode() in body


@pytest.mark.parametrize("path", ["/", "/index.html", "/zh-Hant/", "/static/style.css", "/corpus.jsonl"])
def test_the_site_is_served(served: tuple[str, int], path: str) -> None:
    status, _ = _get(served, path)
    assert status == 200


@pytest.mark.parametrize(
    "path", ["/index.html", "/search/config.js", "/static/style.css", "/no-such-page.html"]
)
def test_no_file_is_kept_by_the_browser(served: tuple[str, int], path: str) -> None:
    """A rebuild replaces files under the same names: a reloaded page fetches every one again (a
    search shard kept from before an edit would miss the edit's words)."""
    connection = http.client.HTTPConnection(*served, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    assert response.getheader("Cache-Control") == "no-store"
    assert len(response.msg.get_all("Cache-Control") or []) == 1


def test_reload_endpoint_only_when_watching(served: tuple[str, int]) -> None:
    assert _get(served, RELOAD_PATH)[0] == 404


def test_a_request_for_the_reload_count_after_n_waits_until_a_rebuild_ends(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>t</title><body></body>", encoding="utf-8")
    reloads = Reloads()
    server = make_server(tmp_path, "127.0.0.1", 0, reloads, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = ("127.0.0.1", server.server_address[1])
    try:
        assert _get(address, RELOAD_PATH) == (200, b"0")  # without `after`: at once
        assert _get(address, f"{RELOAD_PATH}?after=7") == (200, b"0")  # already past 7
        answers: list[tuple[int, bytes]] = []
        waiting = threading.Thread(target=lambda: answers.append(_get(address, f"{RELOAD_PATH}?after=0")))
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive() and answers == []  # held while nothing is rebuilt
        reloads.bump()
        waiting.join(5)
        assert answers == [(200, b"1")]
    finally:
        server.shutdown()
        server.server_close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_watch_rebuilds_on_change(make_corpus: CorpusMaker, tmp_path: Path) -> None:
    source = make_corpus({"a.txt": "第一版标题\n某县召开会议，部署工作。\n"})
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "corpus_site", "serve", "--watch", "--quiet", "--input", str(source),
         "--output", str(tmp_path / "site"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        address = ("127.0.0.1", port)
        page = _wait_for(lambda: _get(address, "/docs/a.html"), lambda r: r[0] == 200)
        assert "第一版标题".encode() in page[1] and RELOAD_PATH.encode() in page[1]
        # The count the page was served at: a rebuild ending before the page's first poll reloads it.
        assert b"let seen='0'" in page[1]
        _edit_and_see_it_served(source / "a.txt", address)
    finally:
        process.terminate()
        process.wait(10)


def test_a_site_served_from_inside_the_input_folder_is_not_taken_for_an_edit(
    make_corpus: CorpusMaker,
) -> None:
    """The watcher passes over what a build writes (the site, its staging folders, the cache): the
    first build, one rebuild for one edit, and no more after it."""
    source = make_corpus({"a.txt": "第一版标题\n某县召开会议，部署工作。\n"})
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "corpus_site", "serve", "--watch", "--quiet", "--input", str(source),
         "--output", str(source / "site"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: list[str] = []
    assert process.stdout is not None
    threading.Thread(target=lambda: lines.extend(process.stdout or ()), daemon=True).start()
    try:
        address = ("127.0.0.1", port)
        _wait_for(lambda: _get(address, "/docs/a.html"), lambda r: r[0] == 200)
        _edit_and_see_it_served(source / "a.txt", address)
        time.sleep(3)  # what a rebuild triggered by its own writes would print, it prints by then
    finally:
        process.terminate()
        process.wait(10)
    rebuilds = [line for line in lines if line.startswith(("Rebuilt", "Up to date"))]
    assert len(rebuilds) == 2 and all(line.startswith("Rebuilt: 1 document(s)") for line in rebuilds), lines


def test_a_server_stopped_removes_the_old_site_it_kept_for_its_rebuilds(
    make_corpus: CorpusMaker, tmp_path: Path
) -> None:
    source = make_corpus({"a.txt": "第一版标题\n某县召开会议，部署工作。\n"})
    site = tmp_path / "site"
    with watching_server(source, site) as port:
        for edition in ("第二版", "第三版"):  # the second rebuild keeps the site it replaces
            _edit_and_see_it_served(source / "a.txt", ("127.0.0.1", port), edition)
        assert _beside(site) == [".site.spare"]
    assert _beside(site) == []  # stopped with Ctrl-C
    assert "第三版".encode() in (site / "docs" / "a.html").read_bytes()


def test_rebuilds_whose_workers_are_forked_from_the_watcher_end_and_the_server_stops(
    tmp_path: Path,
) -> None:
    """An edit with new words runs the corpus-wide steps in workers forked from the watcher thread;
    each rebuild ends (its workers with it), and the server stops."""
    source = damaged_corpus(tmp_path / "in", 30, seed=5)
    edited = source / "doc03.txt"
    text = decode(edited.read_bytes()).text
    with watching_server(source, tmp_path / "site", "--jobs", "2") as port:
        address = ("127.0.0.1", port)
        for sentence in ("水库除险加固工作进展顺利。", "防汛抗旱指挥部召开会商会。", ""):
            before = _get(address, RELOAD_PATH)[1]
            edited.write_text(text.replace("。", "。" + sentence, 1), encoding="utf-8")
            _wait_for(lambda: _get(address, RELOAD_PATH), lambda r, b=before: r[1] != b, seconds=60)


def _beside(site: Path) -> list[str]:
    """Folders of the site's own beside it (the cache aside)."""
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


def test_an_edit_made_as_soon_as_the_server_serves_is_seen(make_corpus: CorpusMaker, tmp_path: Path) -> None:
    source = make_corpus({"a.txt": "第一版标题\n某县召开会议，部署工作。\n"})
    with watching_server(source, tmp_path / "site") as port:
        _edit_and_see_it_served(source / "a.txt", ("127.0.0.1", port))


def test_changes_made_while_the_first_build_runs_make_one_rebuild_once_it_is_done(tmp_path: Path) -> None:
    watched = tmp_path / "in"
    watched.mkdir()
    rebuilds: list[int] = []
    stop, watching, ready = threading.Event(), threading.Event(), threading.Event()
    arguments = ([watched], lambda published: rebuilds.append(1), stop, Reloads(), watching, ready)
    thread = threading.Thread(target=watch, args=arguments, daemon=True)
    thread.start()
    try:
        assert watching.wait(10)
        (watched / "a.txt").write_text("第一版", encoding="utf-8")
        (watched / "b.txt").write_text("第一版", encoding="utf-8")
        time.sleep(1.0)
        assert rebuilds == []  # the first build is still running
        ready.set()
        _wait_for(lambda: len(rebuilds), lambda count: count >= 1)
        time.sleep(0.5)
        assert rebuilds == [1]
    finally:
        stop.set()
        thread.join(5)


@pytest.mark.parametrize("publishes", [True, False], ids=["published", "up to date or failed"])
def test_each_rebuild_reloads_pages_once(tmp_path: Path, publishes: bool) -> None:
    """Pages reload when the rebuild publishes its site, or when it ends without one."""
    reloads, stop, counts = Reloads(), threading.Event(), []

    def rebuild(published: Callable[[], None]) -> None:
        if publishes:
            published()
            counts.append(reloads.count)  # the build goes on with reloads already asked for

    thread = threading.Thread(target=watch, args=([tmp_path], rebuild, stop, reloads), daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        (tmp_path / "a.txt").write_text("第一版", encoding="utf-8")
        _wait_for(lambda: reloads.count, lambda count: count >= 1)
        time.sleep(0.5)
        assert reloads.count == 1 and counts == ([1] if publishes else [])
    finally:
        stop.set()
        thread.join(5)


def test_an_edit_made_during_a_rebuild_is_rebuilt_before_the_inputs_are_called_quiet(tmp_path: Path) -> None:
    """A server saves its cache when nothing changed for a while (`quiet`), never between an edit's
    rebuild and the next edit's, nor before its first build is done; and once more as it stops."""
    events: list[str] = []
    stop, ready = threading.Event(), threading.Event()

    def rebuild(published: Callable[[], None]) -> None:
        events.append("rebuild")
        if events.count("rebuild") == 1:
            (tmp_path / "a.txt").write_text("第二版", encoding="utf-8")  # saved again while it runs
            time.sleep(0.5)

    def quiet() -> None:
        events.append("quiet, stopping" if stop.is_set() else "quiet")

    arguments = ([tmp_path], rebuild, stop, Reloads(), None, ready, quiet)
    thread = threading.Thread(target=watch, args=arguments, daemon=True)
    thread.start()
    try:
        time.sleep(0.6)
        assert events == []  # the first build is still running
        ready.set()
        _wait_for(lambda: list(events), lambda seen: "quiet" in seen)
        events.clear()
        (tmp_path / "a.txt").write_text("第一版", encoding="utf-8")
        _wait_for(lambda: list(events), lambda seen: "quiet" in seen)
        assert events[:3] == ["rebuild", "rebuild", "quiet"]
    finally:
        stop.set()
        thread.join(5)
    assert events[-1] == "quiet, stopping" and not thread.is_alive()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_server_stopped_with_sigterm_saves_its_cache_and_tidies_up(tmp_path: Path, jobs: str) -> None:
    """As Ctrl-C does: the rebuild under way ends, the cache is saved, the old site kept aside goes.
    Its workers (forked from the watcher thread) still end when their pool ends them."""
    source, site = damaged_corpus(tmp_path / "in", 30, seed=5), tmp_path / "site"
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "corpus_site", "serve", "--watch", "--quiet", "--input", str(source),
         "--output", str(site), "--port", str(port), "--jobs", jobs],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        address = ("127.0.0.1", port)
        _wait_for(lambda: _get(address, RELOAD_PATH), lambda r: r[0] == 200)
        edited = source / "doc03.txt"
        text = decode(edited.read_bytes()).text
        for sentence in ("水库除险加固工作进展顺利。", "防汛抗旱指挥部召开会商会。"):
            before = _get(address, RELOAD_PATH)[1]
            edited.write_text(text.replace("。", "。" + sentence, 1), encoding="utf-8")
            _wait_for(lambda: _get(address, RELOAD_PATH), lambda r, b=before: r[1] != b, seconds=60)
        process.terminate()  # at once: before the server found its inputs quiet
        assert process.wait(30) == 0
    finally:
        process.kill()
    assert _beside(site) == []
    # The cache holds the last rebuild's results: a forced build takes as many from it as one after it.
    cached = [_cached_results(source, site) for _ in range(2)]
    assert cached[0] == cached[1] > 0


def _cached_results(source: Path, site: Path) -> int:
    arguments = ["build", "--input", str(source), "--output", str(site), "--force", "--verbose"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    found = re.search(r"(\d+) per-document result\(s\) from the cache", result.output)
    assert found is not None, result.output
    return int(found[1])


def test_a_server_reports_a_broken_template_and_rebuilds_once_it_is_mended(
    make_corpus: CorpusMaker, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The rebuild fails with the template's file and line, the site served stays, and the watcher
    goes on (an exception would end its thread: no rebuild after it)."""
    source, theme, site = (
        make_corpus({"a.txt": "标题\n某县召开会议，部署工作。\n"}),
        tmp_path / "theme",
        tmp_path / "site",
    )
    theme.mkdir()
    rebuild = functools.partial(
        cli_module._rebuild, source, site, theme, 1, Memory(), cli_module._UnsavedCache()
    )
    rebuild(None)
    (theme / "about.html").write_text('{% extends "base.html" %}\n{% block main %}{{ x }', encoding="utf-8")
    capsys.readouterr()
    rebuild(None)
    assert f"rebuild failed: {theme / 'about.html'}:2: " in capsys.readouterr().err
    assert (site / "about.html").is_file()
    (theme / "about.html").write_text(
        '{% extends "base.html" %}{% block main %}关于{% endblock %}', encoding="utf-8"
    )
    rebuild(None)
    assert "Rebuilt" in capsys.readouterr().out and "关于" in (site / "about.html").read_text(
        encoding="utf-8"
    )


def _edit_and_see_it_served(path: Path, address: tuple[str, int], edition: str = "第二版") -> None:
    version = _get(address, RELOAD_PATH)[1]
    path.write_text(f"{edition}标题\n某县召开会议，部署工作。\n", encoding="utf-8")
    _wait_for(lambda: _get(address, RELOAD_PATH), lambda r: r[1] != version)
    assert f"{edition}标题".encode() in _get(address, "/docs/a.html")[1]


def _wait_for(probe, done, seconds: float = 20.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = probe()
            if done(result):
                return result
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def test_serve_refuses_a_folder_without_a_site(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--output", str(tmp_path)])
    assert result.exit_code == 1 and "no site here" in result.output


BAD_FILES: dict[str, str | bytes] = {
    "good.txt": "某县召开安全生产会议\n2023年5月1日，某县召开安全生产工作会议。\n",
    "copy of good.txt": "某县召开安全生产会议\n2023年5月1日，某县召开安全生产工作会议。\n",
    "empty.txt": "",
    "binary.txt": bytes(range(256)) * 4,
    "boilerplate.txt": "首页 > 新闻中心 > 正文\n上一篇：无\n下一篇：无\n【打印本页】【关闭窗口】\n",
    "undated.txt": "会议要求各单位压实责任，做好安全生产工作。\n",
    "gbk.txt": "标题\n".encode("gbk") + b"\xff\xfe\xff bad bytes\n" + "正文。\n".encode("gbk"),
    "notes.docx": b"PK\x03\x04",
    "子目录/嵌套 文件.txt": "某镇开展义诊活动\n5月6日，某镇开展义诊活动。\n",
}


def test_check_reports_each_bad_file_with_its_reason(make_corpus: CorpusMaker) -> None:
    source = make_corpus(BAD_FILES)
    os.symlink("/etc/hostname", source / "outside.txt")
    result = CliRunner().invoke(cli, ["check", "--input", str(source)])
    lines = result.output.splitlines()
    assert result.exit_code == 1
    expected = [
        "good.txt: warning: same text as copy of good.txt",
        "empty.txt: error:",
        "binary.txt: error:",
        "boilerplate.txt: error: no text left after cleaning",
        "undated.txt: warning: no date found",
        "undated.txt:1: warning: no title stated",
        "gbk.txt:2: warning: undecodable bytes",
        "notes.docx: warning:",
        "outside.txt: warning:",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert not any(line.startswith(("copy of good.txt", "子目录")) for line in lines)
    assert lines[-1].startswith("5 document(s) would build; 3 error(s)")


def test_check_passes_a_clean_corpus_and_strict_fails_on_warnings(make_corpus: CorpusMaker) -> None:
    source = make_corpus({"good.txt": BAD_FILES["good.txt"], "undated.txt": BAD_FILES["undated.txt"]})
    assert CliRunner().invoke(cli, ["check", "--input", str(source)]).exit_code == 0
    assert CliRunner().invoke(cli, ["check", "--input", str(source), "--strict"]).exit_code == 1


@pytest.mark.parametrize(("options", "jobs"), [([], default_jobs()), (["--jobs", "3"], 3)])
def test_serve_watch_builds_with_the_jobs_asked(
    options: list[str], jobs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rebuilds on change are builds like any other: all cores unless told otherwise."""
    asked: list[int] = []

    def fake_build(*args: object, jobs: int, **kwargs: object) -> object:
        asked.append(jobs)
        raise CorpusSiteError("stop here")

    def no_server(*args: object) -> object:
        raise OSError(98, "in use")

    monkeypatch.setattr("corpus_site.cli.build", fake_build)
    monkeypatch.setattr("corpus_site.serve.make_server", no_server)
    result = CliRunner().invoke(cli, ["serve", "--watch", "--output", str(tmp_path / "site"), *options])
    assert asked == [jobs]
    assert "rebuild failed: stop here" in result.output and "cannot listen" in result.output

"""A build killed with SIGKILL at any moment leaves the previous site whole; the next build recovers."""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from damage import damaged_file, make_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_site import writer
from corpus_site.errors import DuplicateOutput
from corpus_site.urls import MARKER
from corpus_site.writer import (
    Content,
    Kept,
    _staging,
    check_output,
    discard_spares,
    keep_spare,
    place,
    placing_folder,
    read_marker,
    write_site,
)


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _differing(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """Paths whose contents differ between two trees (at most ten, for a failure's message)."""
    return sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path))[:10]


def _corpus(folder: Path, count: int, seed: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for index in range(count):
        (folder / f"doc{index:04d}.txt").write_bytes(damaged_file(make_article(rng), rng, False).data)
    return folder


def _build(input_dir: Path, output: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "corpus_site",
            "build",
            "--input",
            str(input_dir),
            "--output",
            str(output),
            "-q",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_sigkill_at_many_moments_leaves_a_whole_site(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 40, seed=3)
    site = tmp_path / "site"
    started = time.perf_counter()
    assert _build(corpus, site).wait() == 0
    duration = time.perf_counter() - started
    old = _tree(site)
    (corpus / "doc0000.txt").write_text("新的一篇\n某县召开新的会议，部署新的工作。\n", encoding="utf-8")
    reference = tmp_path / "reference"
    assert _build(corpus, reference).wait() == 0
    new = _tree(reference)
    assert new != old
    outcomes = []
    for fraction in (0.1, 0.5, 0.8, 0.9, 0.95, 1.0, 1.05):
        process = _build(corpus, site)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        check_output(site)  # what the next build does first: put back a site left aside
        now = _tree(site)
        assert now in (old, new), (
            f"killed at {fraction:.0%} of a build: the site is neither old nor new; "
            f"differs from the old in {_differing(now, old)}, from the new in {_differing(now, new)}"
        )
        outcomes.append(now == new)
    assert not all(outcomes), "no kill landed before the swap"
    assert _build(corpus, site).wait() == 0
    assert _tree(site) == new
    assert not _staging(site, "building").exists() and not _staging(site, "previous").exists()


def test_ctrl_c_while_the_old_site_is_removed_leaves_the_new_site_and_nothing_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    write_site({f"page{n}.html": b"old" for n in range(50)}, site)
    rmtree, removals = shutil.rmtree, []

    def interrupted(path: Path, *args: Any, **keywords: Any) -> None:
        removals.append(path)
        if len(removals) == 1:
            os.unlink(next(Path(path).iterdir()))  # removing, when Ctrl-C comes
            raise KeyboardInterrupt
        rmtree(path, *args, **keywords)

    monkeypatch.setattr(shutil, "rmtree", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_site({f"page{n}.html": b"new" for n in range(50)}, site)
    assert sorted(os.listdir(tmp_path)) == ["site"] and (site / "page0.html").read_bytes() == b"new"


def test_a_swap_interrupted_between_renames_is_put_back(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"index.html": b"old"}, site)
    site.rename(_staging(site, "previous"))  # killed after moving the old site aside
    check_output(site)
    assert (site / "index.html").read_bytes() == b"old"


def test_leftover_staging_is_replaced(tmp_path: Path) -> None:
    site = tmp_path / "site"
    staging = _staging(site, "building")
    staging.mkdir(parents=True)
    (staging / "half.html").write_bytes(b"half")
    write_site({"index.html": b"new"}, site)
    assert sorted(p.name for p in site.iterdir()) == [".corpus-site", "index.html"]
    assert not staging.exists()
    assert os.listdir(tmp_path) == ["site"]


def test_an_old_site_removed_in_the_background_is_gone_before_the_next_build_starts(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    write_site({"index.html": b"first", "a.html": b"a"}, site)
    write_site({"index.html": b"second"}, site, again=True)  # not written by this process: removed
    assert (site / "index.html").read_bytes() == b"second" and not (site / "a.html").exists()
    check_output(site)  # where the next build starts
    # In its place, the new site is linked aside for the next build to start from.
    assert sorted(os.listdir(tmp_path)) == [".site.spare", "site"]
    assert _contents(_staging(site, "spare")) == {"index.html": b"second"}
    discard_spares()
    assert os.listdir(tmp_path) == ["site"]


def test_a_site_another_process_wrote_is_linked_aside_with_its_recorded_digests(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"index.html": b"first", "a/b.html": b"b"}, site)
    (site / "stray.txt").write_bytes(b"put there by hand")
    keep_spare(site, read_marker(site)["digests"])  # type: ignore[index]
    try:
        spare = _staging(site, "spare")
        assert _contents(spare) == _contents(site)
        assert (spare / "a" / "b.html").stat().st_ino == (site / "a" / "b.html").stat().st_ino
        known = read_marker(site)["digests"]  # type: ignore[index]
        write_site({"index.html": b"second", "a/b.html": b"b"}, site, known=known, again=True)
        assert _contents(site) == {"index.html": b"second", "a/b.html": b"b"}  # the stray file gone
        old = {"index.html": b"first", "a/b.html": b"b", "stray.txt": b"put there by hand"}
        assert _contents(spare) == old
    finally:
        discard_spares()


_PATHS = ["index.html", "a/one.html", "a/b/two.html", "c/three.txt"]
_versions = st.lists(
    st.dictionaries(st.sampled_from(_PATHS), st.sampled_from([b"x", b"y", b"yy", b""]), min_size=1),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(versions=_versions, keep=st.randoms(use_true_random=False))
def test_a_process_that_builds_again_keeps_the_old_site_and_only_replaces_what_differs(
    tmp_path_factory: pytest.TempPathFactory, versions: list[dict[str, bytes]], keep: random.Random
) -> None:
    """Site after site written by one process (as a watching server does): each is exactly its files,
    and the site it replaced, kept aside for the next, is exactly as it was served (its files may be
    links of the new site's: a change must never be written into them)."""
    site = tmp_path_factory.mktemp("spare") / "site"
    write_site(versions[0], site)
    served = versions[0]
    try:
        for step, version in enumerate(versions[1:]):
            known = read_marker(site)["digests"]  # type: ignore[index]
            files = {  # what a build keeps without rendering it again, some of the time
                path: Kept.UNCHANGED if served.get(path) == data and keep.random() < 0.7 else data
                for path, data in version.items()
            }
            assert write_site(files.items(), site, known=known, again=True) == len(version)
            assert _contents(site) == version
            # Kept aside: the site replaced, or after the first build, the new site linked aside.
            kept = _contents(_staging(site, "spare"))
            assert kept == served or (step == 0 and kept == version)
            listing = writer._SPARES[os.path.abspath(site)]  # what the next build trusts it holds
            assert listing.keys() == kept.keys()
            assert all(d in (None, hashlib.sha256(kept[p]).hexdigest()) for p, d in listing.items())
            served = version
        check_output(site)
        assert _contents(site) == served
    finally:
        discard_spares()
    assert sorted(os.listdir(site.parent)) == ["site"]


def test_a_kept_old_site_left_by_a_process_that_is_gone_goes_at_the_next_build(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for content in (b"1", b"2", b"3"):
        known = (read_marker(site) or {}).get("digests")
        write_site({"index.html": content}, site, known=known, again=True)
    assert _staging(site, "spare").is_dir()
    writer._SPARES.clear()  # as in a new process
    writer._WRITTEN.clear()
    check_output(site)
    assert os.listdir(tmp_path) == ["site"]


def _contents(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != MARKER
    }


@pytest.mark.parametrize("aside", [False, True], ids=["linked here", "linked aside by a helper"])
def test_recorded_digests_spare_reading_unchanged_files(tmp_path: Path, aside: bool) -> None:
    site = tmp_path / "site"
    write_site({"a.txt": b"same", "b.txt": b"old"}, site)
    known = read_marker(site)["digests"]  # type: ignore[index]
    assert known["a.txt"] == hashlib.sha256(b"same").hexdigest()
    inode = (site / "a.txt").stat().st_ino
    (site / "b.txt").write_bytes(b"hand-edited")  # another size: written again whatever was recorded
    with writer.linked_aside(site, known if aside else None):
        write_site({"a.txt": b"same", "b.txt": b"old"}, site, known=known)
    assert (site / "a.txt").stat().st_ino == inode  # linked, not rewritten
    assert (site / "b.txt").read_bytes() == b"old"


def test_a_build_starts_from_the_old_site_a_helper_linked_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the files that differ are put in the spare, each as a new file: the old site stays as it
    was served until the swap."""
    site = tmp_path / "site"
    write_site({"index.html": b"first", "a/b.html": b"b", "a/gone.html": b"gone"}, site)
    known = read_marker(site)["digests"]  # type: ignore[index]
    os.link(site / "index.html", tmp_path / "served")
    inode = (site / "a" / "b.html").stat().st_ino
    kept_here: list[str] = []
    monkeypatch.setattr(writer, "_keep", lambda existing, target: kept_here.append(target))
    with writer.linked_aside(site, known):
        write_site([("index.html", b"second"), ("a/b.html", Kept.UNCHANGED)], site, known=known)
    assert _contents(site) == {"index.html": b"second", "a/b.html": b"b"}
    assert kept_here == [] and (site / "a" / "b.html").stat().st_ino == inode
    assert (tmp_path / "served").read_bytes() == b"first"
    assert sorted(os.listdir(tmp_path)) == ["served", "site"]


def test_a_helper_that_cannot_link_every_recorded_file_leaves_no_spare(tmp_path: Path) -> None:
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere.html"
    write_site({"index.html": b"page", "a/b.html": b"b"}, site)
    known = read_marker(site)["digests"]  # type: ignore[index]
    elsewhere.write_bytes(b"not the page")
    (site / "index.html").unlink()
    (site / "index.html").symlink_to(elsewhere)
    with writer.linked_aside(site, known):
        write_site([("index.html", b"page"), ("a/b.html", Kept.UNCHANGED)], site, known=known)
    assert _contents(site) == {"index.html": b"page", "a/b.html": b"b"}
    assert not (site / "index.html").is_symlink() and elsewhere.read_bytes() == b"not the page"
    assert sorted(os.listdir(tmp_path)) == ["elsewhere.html", "site"]


def test_a_spare_this_process_keeps_for_its_next_build_is_left_to_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"index.html": b"1"}, site, again=True)
    write_site({"index.html": b"2"}, site, known=read_marker(site)["digests"], again=True)  # type: ignore[index]
    spare = _staging(site, "spare")
    kept = _contents(spare)
    try:
        known = read_marker(site)["digests"]  # type: ignore[index]
        with writer.linked_aside(site, known):
            write_site({"index.html": b"3"}, site, known=known)
        assert _contents(site) == {"index.html": b"3"} and _contents(spare) == kept
    finally:
        discard_spares()


def test_a_spare_linked_for_a_build_that_fails_is_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({f"page{n}.html": b"page" for n in range(200)}, site)
    known = read_marker(site)["digests"]  # type: ignore[index]
    with pytest.raises(RuntimeError), writer.linked_aside(site, known):
        raise RuntimeError("the build failed")  # at once: the helper may still be linking
    assert os.listdir(tmp_path) == ["site"] and not writer._LINKERS
    assert not [p for p in multiprocessing.active_children() if p.name == "corpus-site spare"]


_SLOW_HELPER = """
import sys, time
from pathlib import Path
from corpus_site import writer

link_files = writer._link_files

def link_slowly(output, spare, relatives):
    for relative in relatives:
        link_files(output, spare, [relative])
        time.sleep(0.01)

writer._link_files = link_slowly
site = Path(sys.argv[1])
with writer.linked_aside(site, writer.read_marker(site)["digests"]):
    print(writer._LINKERS[writer._key(site)][0].pid, flush=True)
    time.sleep(60)
"""


def _gone(pid: int) -> bool:
    """True when the process has ended (a zombie no one reaped has ended too)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] in "ZX"
    except (FileNotFoundError, IndexError):
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper's end is Linux's")
def test_a_helper_linking_a_spare_ends_with_a_build_killed_with_sigkill(tmp_path: Path) -> None:
    """The next build removes the spare a killed build left; its helper, were it still linking, would
    make it again (or make its removal fail)."""
    site = tmp_path / "site"
    write_site({f"page{n}.html": b"page" for n in range(500)}, site)
    build = subprocess.Popen(
        [sys.executable, "-c", _SLOW_HELPER, str(site)], stdout=subprocess.PIPE, text=True
    )
    assert build.stdout is not None
    helper = int(build.stdout.readline())
    spare = _staging(site, "spare")
    deadline = time.monotonic() + 10
    while len(list(spare.glob("*.html"))) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)  # the helper is linking
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 5
    while not _gone(helper) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _gone(helper)
    check_output(site)
    time.sleep(0.1)
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_leftover_spare_a_dying_helper_linked_into_is_removed_on_a_second_try(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper dies with its build, but may finish the link it was making while the next build
    removes the spare: that removal fails once (folder not empty), and is tried again."""
    site = tmp_path / "site"
    write_site({"index.html": b"page"}, site)
    spare = _staging(site, "spare")
    (spare / "a").mkdir(parents=True)
    rmtree, tries = shutil.rmtree, []

    def late_link(path: Path) -> None:
        tries.append(path)
        if len(tries) == 1:
            raise OSError(errno.ENOTEMPTY, "Directory not empty", str(path))
        rmtree(path)

    monkeypatch.setattr(shutil, "rmtree", late_link)
    check_output(site)
    assert tries == [spare, spare] and sorted(os.listdir(tmp_path)) == ["site"]


@pytest.mark.parametrize("kind", ["building", "previous", "spare"])
def test_a_folder_a_killed_build_left_goes_even_when_the_site_is_up_to_date(
    tmp_path: Path, kind: str
) -> None:
    """Killed while it removed the old site after the swap, a build leaves that folder behind; the
    next build finds the site up to date and writes nothing, but removes it."""
    corpus = _corpus(tmp_path / "in", 3, seed=1)
    site = tmp_path / "site"
    assert _build(corpus, site).wait() == 0
    before = _tree(site)
    leftover = _staging(site, kind)
    leftover.mkdir()
    (leftover / "index.html").write_bytes(b"the old site, half removed")
    assert _build(corpus, site).wait() == 0
    assert not leftover.exists()
    assert _tree(site) == before


def test_a_text_written_again_as_the_very_same_object_is_not_encoded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, same, other = tmp_path / "site", "同一个文本对象" * 100, "另一个"
    encoded: list[str | bytes] = []
    encode = writer._encoded

    def recorded_encode(content: str | bytes) -> bytes:
        encoded.append(content)
        return encode(content)

    monkeypatch.setattr(writer, "_encoded", recorded_encode)
    try:
        for text in (other, "第二个", "第三个"):  # a kept site comes with the third build
            known = (read_marker(site) or {}).get("digests")
            write_site([("same.txt", same), ("other.txt", text)], site, known=known, again=True)
        assert encoded.count(same) == 1 and encoded.count("第三个") == 1
        assert (site / "same.txt").read_text(encoding="utf-8") == same
        assert (site / "other.txt").read_text(encoding="utf-8") == "第三个"
    finally:
        discard_spares()


def test_a_link_put_in_the_output_by_hand_is_not_kept_aside_as_a_page(tmp_path: Path) -> None:
    """Linked aside, it would stand for the page its recorded digest names while holding other bytes."""
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere.html"
    write_site({"index.html": b"page"}, site)
    known = read_marker(site)["digests"]  # type: ignore[index]
    elsewhere.write_bytes(b"not the page")
    (site / "index.html").unlink()
    (site / "index.html").symlink_to(elsewhere)
    keep_spare(site, known)
    try:
        assert _contents(_staging(site, "spare")) == {}
        write_site({"index.html": b"page"}, site, known=known, again=True)
        assert (site / "index.html").read_bytes() == b"page" and not (site / "index.html").is_symlink()
    finally:
        discard_spares()


def test_files_placed_in_the_staging_folder_are_taken_as_they_are(tmp_path: Path) -> None:
    site = tmp_path / "site"

    def files() -> Iterator[tuple[str, Content]]:
        folders: set[str] = set()
        yield "a/page.html", place(placing_folder(site), "a/page.html", b"placed", folders)
        yield "index.html", b"given"
        yield "a/other.html", place(placing_folder(site), "a/other.html", b"also placed", folders)

    assert write_site(files(), site) == 3
    placed = {"a/page.html": b"placed", "a/other.html": b"also placed"}
    assert _contents(site) == {**placed, "index.html": b"given"}
    digests = read_marker(site)["digests"]  # type: ignore[index]
    assert digests["a/page.html"] == hashlib.sha256(b"placed").hexdigest()
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_file_is_never_placed_over_one_already_there(tmp_path: Path) -> None:
    """A file in the staging folder may be a link to one the live site serves."""
    root = tmp_path / "building"
    root.mkdir()
    (tmp_path / "served.html").write_bytes(b"served")
    os.link(tmp_path / "served.html", root / "page.html")
    with pytest.raises(FileExistsError):
        place(os.fspath(root), "page.html", b"new", set())
    assert (tmp_path / "served.html").read_bytes() == b"served"


def test_a_failed_write_stops_the_files_maker_before_removing_the_staging_folder(tmp_path: Path) -> None:
    """The maker's workers may still be placing files: stopped first, nothing is left beside the site."""
    site = tmp_path / "site"
    write_site({"index.html": b"old"}, site)
    seen_on_close: list[bool] = []

    def files() -> Iterator[tuple[str, Content]]:
        try:
            yield "a.html", place(placing_folder(site), "a.html", b"a", set())
            yield "a.html", b"twice"  # refused by the writer
        finally:
            seen_on_close.append(Path(placing_folder(site)).is_dir())

    with pytest.raises(DuplicateOutput):
        write_site(files(), site)
    assert seen_on_close == [True]
    assert _contents(site) == {"index.html": b"old"} and sorted(os.listdir(tmp_path)) == ["site"]

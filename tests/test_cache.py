"""The cache's packs: entries kept only while builds use them, and only changed packs written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corpus_site import cache as cache_module
from corpus_site import workers
from corpus_site.cache import PACK_SUFFIX, Cache


def _inodes(root: Path) -> dict[str, int]:
    return {path.name: path.stat().st_ino for path in root.glob(f"*{PACK_SUFFIX}")}


def test_a_build_that_changes_one_entry_writes_only_its_packs(tmp_path: Path) -> None:
    first = Cache(tmp_path)
    for number in range(100):
        first.put("results", f"key{number}", number)
    first.save()
    before = _inodes(tmp_path)
    assert len(before) > 2  # spread over several packs

    second = Cache(tmp_path)
    assert [second.get("results", f"key{n}") for n in range(1, 100)] == list(range(1, 100))
    second.put("results", "key100", 100)  # key0 was not used: it goes
    second.save()
    after = _inodes(tmp_path)
    assert len([name for name, inode in after.items() if before.get(name) != inode]) <= 2

    third = Cache(tmp_path)
    assert third.get("results", "key0") is None
    assert [third.get("results", f"key{n}") for n in range(1, 101)] == list(range(1, 101))


def test_entries_no_build_used_disappear(tmp_path: Path) -> None:
    first = Cache(tmp_path)
    first.put("results", "old", 1)
    first.save()
    second = Cache(tmp_path)
    second.put("results", "new", 2)
    second.save()
    assert Cache(tmp_path).get("results", "old") is None
    assert Cache(tmp_path).get("results", "new") == 2


def test_packs_of_earlier_versions_are_removed(tmp_path: Path) -> None:
    (tmp_path / f"results{PACK_SUFFIX}").write_bytes(b"a pack of one file per kind")
    cache = Cache(tmp_path)
    cache.put("results", "key", 1)
    cache.save()
    assert not (tmp_path / f"results{PACK_SUFFIX}").exists()
    assert Cache(tmp_path).get("results", "key") == 1


def test_an_entry_stored_again_under_its_key_keeps_its_new_value(tmp_path: Path) -> None:
    """A fixed key whose value changes from build to build (the key of the last build's state)."""
    first = Cache(tmp_path)
    first.put("latest", "key", "first")
    first.save()
    second = Cache(tmp_path)
    assert second.get("latest", "key") == "first"
    second.put("latest", "key", "second")
    second.save()
    assert Cache(tmp_path).get("latest", "key") == "second"


def _doubled(item: int) -> int:
    return item * 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_map_makes_a_few_missing_results_aside_and_a_damaged_one_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """After an edit, the few results the cache lacks are made aside (by a forked helper, with two
    jobs, unless this process is done loading the others before it begins) rather than by the
    workers; an entry the cache holds but cannot load is made again by them, and stored."""
    items = list(range(40))
    first = Cache(tmp_path)
    first.map("results", [f"key{n}" for n in items], _doubled, items, 1)
    first.save()
    damaging = Cache(tmp_path)
    damaging.keep("results", [f"key{n}" for n in items])
    damaging.put_pickled("results", "key3", b"not a pickle")
    damaging.save()
    asked: list[object] = []

    def recorded(function: Any, items: list[Any], *args: Any) -> Any:
        asked.extend(items)
        return workers.parallel_iter(function, items, *args)

    monkeypatch.setattr(cache_module, "parallel_iter", recorded)
    keys = [f"key{n}" for n in items]
    keys[10], keys[20] = "new10", "new20"  # as an edit gives two documents new keys
    found = Cache(tmp_path).map("results", keys, _doubled, items, jobs)
    assert found == [n * 2 for n in items]
    assert asked == [3]
    assert Cache(tmp_path).get("results", "key3") == found[3]


def test_the_versions_read_from_folder_names_are_those_the_metadata_gives() -> None:
    """The tool's digest takes each library's version from its `.dist-info` folder's name, without
    importing `importlib.metadata`; the versions agree with it."""
    from importlib import metadata

    installed = cache_module._installed_versions()
    for library in cache_module.RESULT_LIBRARIES:
        try:
            expected = metadata.version(library)
        except metadata.PackageNotFoundError:
            expected = "absent"
        assert installed.get(cache_module._normalized(library), "absent") == expected, library

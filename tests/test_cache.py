"""The cache's packs: entries kept only while builds use them, and only changed packs written."""

from __future__ import annotations

from pathlib import Path

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

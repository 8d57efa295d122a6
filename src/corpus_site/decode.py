"""Bytes to text: detect each file's encoding and report what could not be decoded."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)
# Legacy encodings a Chinese web corpus is found in, tried only when UTF-8 fails.
_LEGACY = ["gb18030", "big5", "utf_16_le", "utf_16_be"]
# A mostly-UTF-8 file with some broken bytes stays UTF-8 up to this share of bytes replaced.
_UTF8_DAMAGE_LIMIT = 0.05
_CONTROL_LIMIT = 0.05


class NotText(ValueError):
    """The bytes are not a text document (binary data, or nothing at all)."""


@dataclass(slots=True, frozen=True)
class Decoded:
    """A decoded file."""

    text: str
    """The text, with `\\ufffd` where bytes could not be decoded."""
    encoding: str
    """Python codec name of the encoding used."""
    bad_lines: tuple[int, ...]
    """1-based lines holding replaced (undecodable) bytes."""


def decode(data: bytes) -> Decoded:
    """Decode a file's bytes, detecting its encoding; raise NotText for empty or binary data."""
    if not data.strip():
        raise NotText("empty file")
    text, encoding = _decode_with_bom(data) or _decode_utf8(data) or _decode_legacy(data)
    if _looks_binary(text):
        raise NotText("binary data, not text")
    return Decoded(text, encoding, _lines_with_replacements(text))


def _decode_with_bom(data: bytes) -> tuple[str, str] | None:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            return text.lstrip("\ufeff"), name
    return None


def _decode_utf8(data: bytes) -> tuple[str, str] | None:
    if b"\x00" in data:
        return None
    text = data.decode("utf-8", errors="replace")
    damage = text.count("\ufffd") / len(data)
    if damage == 0 or (damage <= _UTF8_DAMAGE_LIMIT and _has_multibyte_utf8(data)):
        return text, "utf-8"
    return None


def _has_multibyte_utf8(data: bytes) -> bool:
    return any(0xE0 <= b <= 0xEF for b in data[:4096])


def _decode_legacy(data: bytes) -> tuple[str, str]:
    best = charset_normalizer.from_bytes(data, cp_isolation=_LEGACY).best()
    encoding = best.encoding if best is not None else "gb18030"
    return data.decode(encoding, errors="replace"), encoding


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    return "\x00" in sample or controls / max(len(sample), 1) > _CONTROL_LIMIT


def _lines_with_replacements(text: str) -> tuple[int, ...]:
    if "\ufffd" not in text:
        return ()
    return tuple(n for n, line in enumerate(text.splitlines(), 1) if "\ufffd" in line)

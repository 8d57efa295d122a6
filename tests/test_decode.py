from __future__ import annotations

import pytest

from corpus_site.convert import converter
from corpus_site.decode import NotText, decode

SIMPLIFIED = "会议由张帆政委主持，支队机关各科室人员参加会议。\n各大队干部分别在主、分会场参加会议。\n"
TRADITIONAL = converter("s2t")(SIMPLIFIED)


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
        (SIMPLIFIED, "utf-16", "utf-16"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "utf-16", "utf-16"),
    ],
)
def test_encodings_detected(text: str, codec: str, expected: str) -> None:
    decoded = decode(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == expected
    assert decoded.bad_lines == ()


def test_undecodable_bytes_replaced_and_located() -> None:
    data = SIMPLIFIED.encode("utf-8") + "第三行".encode() + b"\xff\xfe\xfa" + "结束。\n".encode()
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.bad_lines == (3,)
    assert "\ufffd" in decoded.text.splitlines()[2]


@pytest.mark.parametrize(
    "data", [b"", b"   \n\n", bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"]
)
def test_not_text(data: bytes) -> None:
    with pytest.raises(NotText):
        decode(data)

"""The pinyin annotation pattern starts only at the start of a Han run (so that long runs cost linear
time), and finds exactly what the plain pattern finds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from corpus_site.clean.pinyin import _ANNOTATION, _BODY

PLAIN = re.compile(_BODY)  # tried from every character


@given(st.text("隊伍建設(（)）duìwǔ 3,", max_size=60))
def test_same_matches_as_the_plain_pattern(text: str) -> None:
    found = [(m.span(), m.group("han", "pinyin")) for m in _ANNOTATION.finditer(text)]
    plain = [(m.span(), m.group("han", "pinyin")) for m in PLAIN.finditer(text)]
    assert found == plain

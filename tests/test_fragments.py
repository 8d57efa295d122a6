"""Fragments written in Python escape text exactly as Jinja's autoescape does."""

from __future__ import annotations

import markupsafe
from hypothesis import given
from hypothesis import strategies as st

from corpus_site.fragments import escape


@given(st.text())
def test_escape_matches_markupsafe(text: str) -> None:
    assert escape(text) == str(markupsafe.escape(text))


def test_escape_of_markup_characters() -> None:
    assert (
        escape("<a href=\"x\" title='y'>&</a>")
        == "&lt;a href=&#34;x&#34; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
    )

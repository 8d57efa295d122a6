from __future__ import annotations

import pytest

from corpus_site.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-11-17 18:50", "2021-11-17"),
        ("2021年11月17日", "2021-11-17"),
        ("2021/11/17", "2021-11-17"),
        ("2021.11.17", "2021-11-17"),
        ("2021 年 1 月 5 日", "2021-01-05"),
        ("二〇二一年十一月十七日", "2021-11-17"),
        ("11月17日下午", "--11-17"),
        ("4月17日,,曲靖", "--04-17"),
        ("十一月十七日", "--11-17"),
        ("2021年11月", "2021-11"),
        ("202x年1月", None),
        ("13月40日", None),
        ("2021-13-01", None),
        ("共有32个重点镇", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected

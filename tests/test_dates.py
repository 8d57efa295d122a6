from __future__ import annotations

import pytest

from corpus_site.dates import date_in_file_name, parse_date


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
        ("中華民國112年5月8日", "2023-05-08"),
        ("民国99年12月31日", "2010-12-31"),
        ("發布日期：112-05-08", "2023-05-08"),
        ("112/5/8", "2023-05-08"),
        ("建校112年来", None),
        ("共计112.5万元", None),
        ("第112-3号", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2023-05-08_会议.txt", "2023-05-08"),
        ("news/20230509-防汛.txt", "2023-05-09"),
        ("1999.12.31 新闻.txt", "1999-12-31"),
        ("doc00001.txt", None),
        ("id_120230508999.txt", None),  # inside a longer number: an id, not a date
        ("2023-02-30.txt", None),
        ("2023/05/08/a.txt", None),  # a folder's name is not the file's
    ],
)
def test_a_date_in_a_file_name(name: str, expected: str | None) -> None:
    assert date_in_file_name(name) == expected

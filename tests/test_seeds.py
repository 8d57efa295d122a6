"""The seed corpus, cleaned end to end: what issue #2 asks of corpus.jsonl."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from corpus_site.export import document_record
from corpus_site.reader import read_corpus

from conftest import SEEDS


@pytest.fixture(scope="module")
def records() -> dict[str, dict[str, Any]]:
    corpus = read_corpus(SEEDS)
    return {record["source_file"][:3]: record for record in map(document_record, corpus.documents)}


def _body(record: dict[str, Any]) -> str:
    return "\n".join(p["text"] for p in record["paragraphs"])


def test_seed_folder_is_the_shared_sample_byte_for_byte() -> None:
    shared = SEEDS.parent.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("shared/ is not beside this checkout")
    for path in sorted(shared.glob("*.txt")):
        assert (SEEDS / path.name).read_bytes() == path.read_bytes()


def test_every_seed_is_built(records: dict[str, dict[str, Any]]) -> None:
    assert sorted(records) == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_no_scraping_damage_left(records: dict[str, dict[str, Any]], seed: str) -> None:
    body = _body(records[seed])
    assert not re.search(r"[\u4e00-\u9fff]\([a-zü\u00e0-\u01dc]+\)", body), "pinyin left"
    assert not re.search(r"[,，]{2}|[,，][、；;。]", body), "comma damage left"
    assert not re.search(r"[\u4e00-\u9fff],|,[\u4e00-\u9fff]", body), "ASCII comma in Chinese text"
    for boilerplate in ["首页 >", "上一篇", "下一篇", "预览阅读已结束", "由会员分享", "共 19 页", "共19页"]:
        assert boilerplate not in body
    assert not re.search(r"^\d+、", body, re.MULTILINE), "page-chunk prefix left"
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", body), "stray space left"


def test_page_chunks_joined(records: dict[str, dict[str, Any]]) -> None:
    body = _body(records["004"])
    assert "各级党组织要坚持不懈" in body
    assert "教化成果" in body


def test_seed_001_metadata(records: dict[str, dict[str, Any]]) -> None:
    record = records["001"]
    assert record["title"] == "全县专职消防队伍建设暨冬春火灾防控工作推进会召开"
    assert record["title_inferred"] is False
    assert (record["source"], record["author"], record["editor"]) == ("民权网", "亚敏", "薛皓")
    assert record["date"] == "2021-11-17"
    assert record["script"] == "traditional"


def test_dates_and_authors_from_the_body(records: dict[str, dict[str, Any]]) -> None:
    assert records["000"]["date"] == "--04-17"
    assert records["000"]["author"] == "卢成良"
    assert records["003"]["date"] == "--03-22"


def test_titles_inferred_where_none_is_stated(records: dict[str, dict[str, Any]]) -> None:
    for seed in ("000", "003"):
        assert records[seed]["title_inferred"] is True
        assert 4 <= len(records[seed]["title"]) <= 41
    assert records["000"]["title"].startswith("曲靖市消防救援支队召开")


def test_doc_share_header_gives_the_title(records: dict[str, dict[str, Any]]) -> None:
    record = records["004"]
    assert record["title"] == "2022年在全市抓基层党建工作推进大会上讲话在全市消防工作会上讲话"
    assert record["title_inferred"] is False
    assert record["paragraphs"][0]["text"] != record["title"]


def test_run_on_seed_split_into_paragraphs(records: dict[str, dict[str, Any]]) -> None:
    texts = [p["text"] for p in records["004"]["paragraphs"]]
    assert len(texts) > 30
    assert any(t.startswith("第一，") for t in texts)
    assert any(t.startswith("一是") for t in texts)
    assert any(t.startswith("（一）") for t in texts)


def test_paragraphs_keep_source_lines(records: dict[str, dict[str, Any]]) -> None:
    lines = [p["line"] for p in records["004"]["paragraphs"]]
    assert lines == sorted(lines) and lines[-1] > 30
    raw = (SEEDS / records["001"]["source_file"]).read_text(encoding="utf-8").splitlines()
    first = records["001"]["paragraphs"][0]
    assert raw[first["line"] - 1].startswith("11月17日下午")


def test_original_script_is_kept(records: dict[str, dict[str, Any]]) -> None:
    paragraph = records["001"]["paragraphs"][0]
    assert "縣" in paragraph["original"] and "县" in paragraph["text"]


def test_record_keys(records: dict[str, dict[str, Any]]) -> None:
    line = json.dumps(records["001"], sort_keys=True)
    assert set(json.loads(line)) >= {
        "id", "source_file", "url", "title", "title_inferred", "date", "author", "source", "editor",
        "script", "encoding", "paragraphs", "cleaning",
    }  # fmt: skip
    assert Path(records["001"]["url"]).as_posix() == "docs/001_4e48695c5814e4a6.html"

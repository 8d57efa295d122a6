"""Boilerplate found by repetition: a line at the edge of many documents goes even if no rule names it."""

from __future__ import annotations

from corpus_site.reader import read_corpus

from conftest import CorpusMaker

FOOTER = "主办单位：青龙镇融媒体中心 技术支持：某某科技"
BODIES = ["青龙镇召开防汛会议。", "白沙县开展消防检查。", "临江市部署安全生产。", "东湖区举办应急演练。"]


def test_a_footer_repeated_across_documents_is_dropped(make_corpus: CorpusMaker) -> None:
    root = make_corpus(
        {f"d{i}.txt": f"{body}\n会议要求各单位落实责任。\n{FOOTER}\n" for i, body in enumerate(BODIES)}
    )
    corpus = read_corpus(root)
    assert len(corpus.documents) == 4
    for document in corpus.documents:
        assert all(FOOTER not in p.original for p in document.paragraphs)
        assert document.rule_counts()["drop_repeated_boilerplate"] == 1


def test_lines_repeated_in_only_two_documents_or_salutations_stay(make_corpus: CorpusMaker) -> None:
    files = {f"d{i}.txt": f"同志们：\n{body}\n谢谢大家！\n" for i, body in enumerate(BODIES)}
    files["d0.txt"] += "本文转自青龙镇人民政府网站\n"
    files["d1.txt"] += "本文转自青龙镇人民政府网站\n"
    corpus = read_corpus(make_corpus(files))
    for document in corpus.documents:
        texts = [p.original for p in document.paragraphs]
        assert texts[0] == "同志们：" and "谢谢大家！" in texts
        assert "drop_repeated_boilerplate" not in document.rule_counts()
    assert "本文转自青龙镇人民政府网站" in [p.original for p in corpus.documents[0].paragraphs]

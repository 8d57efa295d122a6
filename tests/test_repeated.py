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
    files["d0.txt"] += "会议精神已传达到全体干部职工\n"
    files["d1.txt"] += "会议精神已传达到全体干部职工\n"
    corpus = read_corpus(make_corpus(files))
    for document in corpus.documents:
        texts = [p.original for p in document.paragraphs]
        assert texts[0] == "同志们：" and "谢谢大家！" in texts
        assert "drop_repeated_boilerplate" not in document.rule_counts()
    assert "会议精神已传达到全体干部职工" in [p.original for p in corpus.documents[0].paragraphs]


def test_an_article_republished_by_several_sites_keeps_its_title(make_corpus: CorpusMaker) -> None:
    """Three copies of one article, each with its own damage and its own site's footer, and two
    other documents: the title at the edge of the three copies is the article's, not boilerplate."""
    title = "县政府召开防汛工作会议"
    body = [
        "6月1日，县政府召开防汛工作会议，部署今年防汛抗旱工作。",
        "会议要求，各乡镇要压实责任，确保安全度汛。",
    ]
    copies = [
        body,
        [
            "6月1日,,县政府召(zhào)开防汛工作会议,部署今年防汛抗旱工作。",
            "会议要求，，各乡镇要压实责任，确保安全度汛。",
        ],
        ["6月1日， 县政府召开防汛工作会议， 部署今年防汛抗旱工作。", *body[1:]],
    ]
    files = {
        f"copy{n}.txt": "\n".join([title, *lines, f"第{n}网站版权所有"]) + "\n"
        for n, lines in enumerate(copies)
    }
    files |= {f"other{n}.txt": f"{text}\n会议要求各单位落实责任。\n" for n, text in enumerate(BODIES[:2])}
    corpus = read_corpus(make_corpus(files))
    for document in corpus.documents[:3]:
        assert document.metadata.title == title
        assert "drop_repeated_boilerplate" not in document.rule_counts()

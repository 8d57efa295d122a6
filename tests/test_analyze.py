"""Analysis stage: key terms, entities checked by name shape, related documents, concordance."""

from __future__ import annotations

import hashlib
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_site import concordance as concordance_module
from corpus_site.analyze import analyze
from corpus_site.clean import Context
from corpus_site.concordance import KWIC_CONTEXT, concordance
from corpus_site.decode import decode
from corpus_site.entities import (
    complete_names,
    entity_kind,
    is_person_in_context,
    merge_surnames,
    place_parts,
)
from corpus_site.loader import load_document
from corpus_site.model import Corpus, Document, EntryKind, KwicLine, Metadata, Paragraph


def _document(doc_id: str, text: str) -> Document:
    document = load_document(doc_id, f"{doc_id}.txt", decode(text.encode()), Context()).document
    assert document is not None
    return document


FIRE = "全县消防安全工作会议召开\n副县长王景义出席会议并讲话。王景义强调，要做好消防安全和隐患排查。\n"
FIRE_2 = "全市消防安全部署会召开\n会议部署消防安全和隐患排查工作，李红梅主持会议。\n"
SCHOOL = "某县教育局召开开学工作会议\n会议要求各学校做好开学准备和教学安排，确保教学秩序。\n"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus([_document("a", FIRE), _document("b", FIRE_2), _document("c", SCHOOL)])


def test_the_analysis_holds_every_character_of_the_canonical_text(corpus: Corpus) -> None:
    """The search page's conversion tables are made for these characters."""
    texts = [paragraph.text for document in corpus.documents for paragraph in document.paragraphs]
    assert analyze(corpus).characters == frozenset("".join(texts))


def test_keywords_and_related_documents(corpus: Corpus) -> None:
    analysis = analyze(corpus)
    assert "消防安全" in analysis.documents["a"].keywords
    related = analysis.documents["a"].related
    assert [r.id for r in related][:1] == ["b"]
    assert "消防安全" in related[0].shared
    assert [r.id for r in related] in (["b"], ["b", "c"])


def test_people_need_a_surname_and_a_title_or_a_verb(corpus: Corpus) -> None:
    analysis = analyze(corpus)
    assert analysis.documents["a"].entities[EntryKind.PERSON] == ("王景义",)
    assert analysis.documents["b"].entities[EntryKind.PERSON] == ("李红梅",)
    people = [e.name for e in analysis.entries[EntryKind.PERSON]]
    assert people == ["李红梅", "王景义"]


def test_entries_list_every_document_that_uses_the_word(corpus: Corpus) -> None:
    analysis = analyze(corpus)
    entry = next(e for e in analysis.entries[EntryKind.TERM] if e.name == "消防安全")
    assert entry.documents == ("a", "b")
    assert entry.occurrences == len(entry.lines) == 2  # titles are not paragraphs
    first = entry.lines[0]
    assert (first.document, first.paragraph, first.keyword) == ("a", "p1", "消防安全")
    assert first.left.endswith("要做好") and first.right.startswith("和隐患")


def test_concordance_context_is_bounded(corpus: Corpus) -> None:
    lines = list(concordance(corpus.documents, "会议"))
    assert all(len(line.left) <= 18 and len(line.right) <= 18 for line in lines)


def _concordance_paragraph_by_paragraph(documents: list[Document], keyword: str) -> list[KwicLine]:
    """What `concordance` must find: each paragraph searched on its own."""
    lines = []
    for document in documents:
        for paragraph in document.paragraphs:
            text = paragraph.text
            start = text.find(keyword)
            while start >= 0:
                end = start + len(keyword)
                left, right = text[max(0, start - KWIC_CONTEXT) : start], text[end : end + KWIC_CONTEXT]
                lines.append(KwicLine(document.id, paragraph.id, left, keyword, right))
                start = text.find(keyword, end)
    return lines


@given(
    st.lists(st.lists(st.text("会议开召县", max_size=60), max_size=6), min_size=1, max_size=3),
    st.text("会议开召县", min_size=1, max_size=3),
)
def test_concordance_finds_what_each_paragraph_holds(texts: list[list[str]], keyword: str) -> None:
    documents = [
        Document(
            f"d{n}",
            f"d{n}.txt",
            "utf-8",
            "simplified",
            Metadata("题"),
            [Paragraph(f"p{i + 1}", i + 1, text, text) for i, text in enumerate(paragraphs)],
        )
        for n, paragraphs in enumerate(texts)
    ]
    assert list(concordance(documents, keyword)) == _concordance_paragraph_by_paragraph(documents, keyword)


def _found_lines(
    texts: dict[str, str], limit: int
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[KwicLine, ...], int]:
    """Documents' ids and digests (in id order), and the first `limit` lines of 会 in them with how many
    documents they were found in."""
    ids = tuple(sorted(texts))
    digests = tuple(hashlib.sha256(texts[doc_id].encode()).hexdigest() for doc_id in ids)
    joined = {
        doc_id: concordance_module._JoinedText(doc_id, text, [0], ["p1"]) for doc_id, text in texts.items()
    }
    lines_in = concordance_module._lines_in(joined.__getitem__, "会")
    lines, looked = concordance_module._first_lines_looked(ids, lines_in, limit)
    return ids, digests, lines, looked


EDITS = st.lists(
    st.tuples(st.sampled_from(["edit", "add", "drop"]), st.integers(0, 7), st.text("会议开", max_size=12)),
    max_size=3,
)


@given(st.lists(st.text("会议开", max_size=12), min_size=1, max_size=6), EDITS, st.integers(1, 6))
def test_an_entrys_lines_are_the_recorded_ones_whenever_its_record_holds(
    texts: list[str], edits: list[tuple[str, int, str]], limit: int
) -> None:
    """A rebuild takes an entry's lines' digest from the last build's record when the record holds
    for the documents it has now: they must then give the same lines."""
    before = {f"d{n}": text for n, text in enumerate(texts)}
    ids, digests, lines, looked = _found_lines(before, limit)
    record = concordance_module._LinesRecord.of(ids, digests, looked, lines, limit)
    assert record.holds(ids, digests)
    after = dict(before)
    for edit, number, text in edits:
        if edit == "drop":
            after.pop(f"d{number}", None)
        else:  # an edit, or a document added (its id sorts among the others)
            after[f"d{number}"] = text
    ids_after, digests_after, lines_after, _ = _found_lines(after, limit)
    if record.holds(ids_after, digests_after):
        assert lines_after == lines
        assert record.digest == concordance_module._lines_digest(lines_after)


def test_a_record_of_lines_found_in_the_first_documents_holds_whatever_comes_after_them() -> None:
    texts = {"d0": "会会", "d1": "会议", "d2": "开会"}
    ids, digests, lines, looked = _found_lines(texts, 3)
    record = concordance_module._LinesRecord.of(ids, digests, looked, lines, 3)
    assert (looked, record.full) == (2, True)
    for after in ({**texts, "d2": "会"}, {**texts, "d3": "会"}, {"d0": "会会", "d1": "会议"}):
        assert record.holds(*_found_lines(after, 3)[:2])
    assert not record.holds(*_found_lines({**texts, "d1": "会会"}, 3)[:2])
    _, _, all_lines, all_looked = _found_lines(texts, 9)
    few = concordance_module._LinesRecord.of(ids, digests, all_looked, all_lines, 9)
    assert not few.full  # every document was looked at: one more may add lines
    assert not few.holds(*_found_lines({**texts, "d3": "会"}, 9)[:2])


def test_lines_found_on_demand_are_a_tuple_to_whoever_reads_or_pickles_them() -> None:
    found = [KwicLine("a", "p1", "左", "会", "右")]
    lazy = concordance_module._LinesOnDemand(lambda: (*found,))
    found.append(KwicLine("a", "p2", "", "会", ""))  # read only now
    assert len(lazy) == 2 and lazy[1].paragraph == "p2" and list(lazy) == found
    assert lazy == tuple(found) and tuple(found) == lazy and hash(lazy) == hash(tuple(found))
    assert pickle.loads(pickle.dumps(lazy)) == tuple(found)
    assert type(pickle.loads(pickle.dumps(lazy))) is tuple


@pytest.mark.parametrize(
    ("word", "pos", "kind"),
    [
        ("王景义", "nr", EntryKind.PERSON),
        ("欧阳明远", "nr", EntryKind.PERSON),
        ("严格执行", "nr", None),
        ("北京", "ns", EntryKind.PLACE),
        ("曲靖市", "ns", EntryKind.PLACE),
        ("加大力度", "ns", None),
        ("各乡镇", "ns", None),
        ("文明城市", "ns", None),
        ("国务院", "nt", EntryKind.ORGANIZATION),
        ("人民政府", "nt", None),
        ("暨", "nt", None),
        ("王国", "ns", None),
    ],
)
def test_entity_kind(word: str, pos: str, kind: EntryKind | None) -> None:
    assert entity_kind(word, pos) is kind


def test_a_lone_surname_joins_the_given_name() -> None:
    assert merge_surnames([("张", "q"), ("高潮", "nr"), ("局长", "n")]) == [("张高潮", "nr"), ("局长", "n")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("副市长张帆出席会议。", True),
        ("毕明支队长、代红波副支队长出席。", True),
        ("张帆强调，要压实责任。", True),
        ("要杜绝安全隐患。", False),
    ],
)
def test_person_in_context(text: str, expected: bool) -> None:
    name = "杜绝" if "杜绝" in text else ("代红波" if "代红波" in text else "张帆")
    assert is_person_in_context(name, text) is expected


@pytest.mark.parametrize(
    ("tagged", "expected"),
    [
        ([("副局长", "n"), ("刘海", "nr"), ("波", "j"), ("主持会议", "n")], "刘海波"),
        ([("市长", "n"), ("苏海", "ns"), ("出席会议", "l")], "苏海"),
        ([("交通部长", "n"), ("王国", "ns"), ("材", "zg"), ("表示", "v")], "王国材"),
        ([("王国", "ns"), ("材", "zg"), ("表示", "v")], None),  # another word needs a title before too
        ([("市长", "n"), ("任期", "n"), ("内", "n"), ("出席", "v")], None),  # a common word is no name
        ([("局长", "n"), ("刘海", "nr"), ("还", "d"), ("强调", "v")], "刘海"),  # an adverb is no name's
        ([("支队长", "n"), ("赵国", "nr"), ("强", "a"), ("现场", "n")], "赵国强"),
        ([("刘海", "nr"), ("波", "j"), ("荡漾", "v")], "刘海"),  # no title before, or speech verb after
        ([("市委书记", "n"), ("王强", "nr"), ("副", "b"), ("市长", "n")], "王强"),
        ([("县长", "n"), ("高度", "d"), ("重视", "v")], None),
    ],
)
def test_cut_names_are_completed(tagged: list[tuple[str, str]], expected: str | None) -> None:
    names = [word for word, pos in complete_names(tagged) if pos == "nr"]
    assert names == ([expected] if expected else [])


@pytest.mark.parametrize("name", ["张伟", "李娜"])
def test_a_byline_with_spaces_names_its_people(name: str) -> None:
    assert is_person_in_context(name, "本报讯（记者 张伟 通讯员 李娜）近日，某县召开会议。")


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("上海市浦东新区", ("上海市", "浦东新区")),
        ("湖南省长沙市芙蓉区", ("湖南省", "长沙市", "芙蓉区")),
        ("济南市市中区", ("济南市", "市中区")),
        ("广西壮族自治区南宁市", ("广西壮族自治区", "南宁市")),
        ("杭州市区", ("杭州市区",)),
        ("上海市政府", ("上海市政府",)),
    ],
)
def test_a_place_named_with_the_larger_one_is_split(word: str, parts: tuple[str, ...]) -> None:
    assert place_parts(word) == parts


def test_surnames_join_once() -> None:
    tagged = [("张", "q"), ("王", "nr"), ("明", "nr"), ("说", "v")]
    assert "".join(w for w, _ in merge_surnames(tagged)) == "张王明说"

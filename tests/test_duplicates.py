"""Near-duplicates: a republished text is found whatever its site, script and punctuation; two reports
of the same meeting in other words are not the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from corpus_site import duplicates
from corpus_site.analyze import analyze
from corpus_site.convert import converter
from corpus_site.duplicates import MAX_POSTINGS, THRESHOLD, _similar, near_duplicates, similarity, sketch
from corpus_site.reader import read_corpus

from conftest import CorpusMaker

REPORT = (
    "全县森林防火工作推进会召开\n"
    "来源：青山县融媒体中心  作者：陈立\n"
    "3月12日上午，全县森林防火工作推进会在县行政中心召开。副县长刘志远出席会议并讲话，"
    "各乡镇分管负责人和县直有关部门负责人参加会议。\n"
    "刘志远强调，当前正值春季森林防火关键期，各地要压实属地责任，严格野外用火管理，"
    "加强重点时段巡山护林，确保不发生重大森林火灾。\n"
    "会议要求，各乡镇要细化应急预案，充实扑火物资储备，开展实战化演练，切实提升早期处置能力。\n"
    "上一篇：青山县开展安全生产大检查\n"
)
REPUBLISHED = converter("s2t")(
    "首页 > 地方新闻 > 正文\n"
    "青山县召开森林防火工作推进会\n"
    "发布时间:2021-03-13  信息来源:市林业局网站\n"
    "3月12日上午,全县森林防火工作推进会在县行政中心召开.副县长刘志远出席会议并讲话,"
    "各乡镇分管负责人和县直有关部门负责人参加会议. 刘志远强调,当前正值春季森林防火关键期,"
    "各地要压实属地责任,严格野外用火管理,加强重点时段巡山护林,确保不发生重大森林火灾.\n"
    "会议要求,各乡镇要细化应急预案,充实扑火物资储备,开展实战化演练,切实提升早期处置能力.\n"
    "【打印本页】【关闭窗口】\n"
)
SAME_MEETING = (
    "青山县部署春季森林防火工作\n"
    "来源：青山县林业局\n"
    "3月12日，青山县召开森林防火工作推进会，对春季森林防火工作进行再部署。会上，副县长刘志远"
    "要求，全县上下要充分认识防火形势的严峻性，把森林防火作为当前的头等大事来抓。\n"
    "会议通报了今年以来全县森林火情情况，县林业局、县应急管理局分别作了工作安排。\n"
    "刘志远指出，要加强宣传教育，做好入山人员管控，落实网格化巡护，发现火情及时报告、快速扑救。\n"
)


def test_republished_text_is_found_and_other_reports_are_not(make_corpus: CorpusMaker) -> None:
    root = make_corpus({"a.txt": REPORT, "b.txt": REPUBLISHED.encode("big5"), "c.txt": SAME_MEETING})
    corpus = read_corpus(Path(root))
    analysis = analyze(corpus)
    assert analysis.documents["a"].near_duplicates == ("b",)
    assert analysis.documents["b"].near_duplicates == ("a",)
    assert analysis.documents["c"].near_duplicates == ()
    assert "b" not in [r.id for r in analysis.documents["a"].related]


def test_similarity_estimates() -> None:
    text = "".join(REPORT.splitlines()[2:5])
    assert similarity(sketch(text), sketch(text)) == 1.0
    assert similarity(sketch(text), sketch(SAME_MEETING)) < 0.3
    assert similarity(sketch(text), sketch("")) == 0.0


def test_site_says_also_published_as(runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path) -> None:
    import json

    from corpus_site.cli import cli

    root = make_corpus({"a.txt": REPORT, "b.txt": REPUBLISHED})
    out = tmp_path / "site"
    assert runner.invoke(cli, ["build", "--input", str(root), "--output", str(out)]).exit_code == 0
    page = (out / "docs" / "a.html").read_text(encoding="utf-8")
    assert "也发表为：" in page and 'href="b.html"' in page
    records = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["near_duplicates"] for r in records] == [["b"], ["a"]]


hash_sets = st.frozensets(st.integers(0, 400), max_size=140)


@given(hash_sets, hash_sets)
def test_quick_check_agrees_with_the_estimate(a: frozenset[int], b: frozenset[int]) -> None:
    first, second = tuple(sorted(a)[:128]), tuple(sorted(b)[:128])
    expected = similarity(first, second) >= THRESHOLD
    assert _similar(first, second, frozenset(first)) is expected


_HASHES = st.frozensets(st.integers(0, 40), max_size=16).map(lambda found: tuple(sorted(found)))
_IDS = st.sampled_from([f"d{n:02d}" for n in range(30)])


def _before_and_edits(
    texts: list[tuple[int, ...]],
) -> st.SearchStrategy[tuple[dict[str, tuple[int, ...]], ...]]:
    """Sketches before and edited, most of them copies of a few texts: the same text in many
    documents shares all of its hashes, and its lists grow past the limit and back."""
    sketches = st.sampled_from(texts) | _HASHES
    return st.tuples(st.dictionaries(_IDS, sketches, min_size=2), st.dictionaries(_IDS, sketches))


@given(
    st.lists(_HASHES, min_size=1, max_size=3).flatmap(_before_and_edits),
    st.sampled_from([MAX_POSTINGS, 4, 2]),
)
def test_near_duplicates_compared_again_only_where_needed_are_the_same(
    sketches: tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]], max_postings: int
) -> None:
    """An edit may change, add or remove sketches, and move a hash's list past the limit of too
    common or back: the pairs compared again, and those kept from the previous state, make exactly
    the near-duplicates of a full comparison."""
    before, edits = sketches
    after = {**before, **edits}
    for removed in list(after)[: len(edits) // 3]:
        del after[removed]
    previous = near_duplicates(before, max_postings=max_postings)
    incremental = near_duplicates(after, previous, max_postings=max_postings)
    assert incremental == near_duplicates(after, max_postings=max_postings)


def test_a_third_copy_makes_a_pairs_hashes_too_common() -> None:
    """Past `max_postings` documents a hash says nothing: a third copy of a text unmakes the pair of
    the first two, which did not change."""
    text = tuple(range(20))
    previous = near_duplicates({"a": text, "b": text}, max_postings=2)
    assert previous.found == {"a": ("b",), "b": ("a",)}
    assert near_duplicates({"a": text, "b": text, "c": text}, previous, max_postings=2).found == {
        "a": (),
        "b": (),
        "c": (),
    }


def test_an_edit_compares_again_only_the_edited_documents_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = {f"d{n}": sketch(REPORT * (n % 3 + 1) + f"第{n}篇" * n) for n in range(6)}
    previous = near_duplicates(texts)
    compared: list[tuple[int, ...]] = []
    function = duplicates._similar

    def recorded(a: tuple[int, ...], b: tuple[int, ...], a_set: frozenset[int]) -> bool:
        compared.append(a)
        return function(a, b, a_set)

    monkeypatch.setattr(duplicates, "_similar", recorded)
    edited = {**texts, "d4": sketch(SAME_MEETING)}
    incremental = near_duplicates(edited, previous)
    assert set(compared) <= {edited["d4"]}  # only from the edited document's side
    assert incremental.found["d4"] == () and "d4" in previous.found["d1"]
    assert incremental.found["d1"] == tuple(d for d in previous.found["d1"] if d != "d4")

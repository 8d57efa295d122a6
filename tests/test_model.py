"""The data model: documents survive the cache's pickling whole, their notes unpacked only when read."""

from __future__ import annotations

import pickle

from corpus_site.model import Document, Metadata, Note, Notes, Paragraph

NOTES = [
    Note("strip_pinyin_annotations", 3, "(duì)"),
    Note("collapse_comma_damage", 4, ",,", "，"),
    Note("strip_pinyin_annotations", 5, "(wǔ)"),
]


def _document(notes: list[Note]) -> Document:
    return Document(
        "a",
        "a.txt",
        "utf-8",
        "simplified",
        Metadata(title="题"),
        [Paragraph("p1", 3, "队伍", "队伍")],
        Notes(notes),
    )


def test_a_pickled_document_comes_back_equal() -> None:
    document = _document(NOTES)
    loaded = pickle.loads(pickle.dumps(document))
    assert loaded == document
    assert list(loaded.notes) == NOTES


def test_counts_and_length_need_no_unpacking() -> None:
    loaded = pickle.loads(pickle.dumps(_document(NOTES)))
    assert loaded.rule_counts() == {"strip_pinyin_annotations": 2, "collapse_comma_damage": 1}
    assert len(loaded.notes) == 3
    assert loaded.notes._notes is None  # still packed
    assert loaded.notes[1] == NOTES[1]
    assert loaded.notes._notes is not None


def test_notes_compare_with_lists_and_repickle() -> None:
    notes = Notes(NOTES)
    assert notes == NOTES and notes != NOTES[:2]
    again = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(notes))))
    assert again == notes and again.counts == notes.counts
    assert Notes() == [] and len(Notes()) == 0

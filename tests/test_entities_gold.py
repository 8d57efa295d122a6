"""Entity recall and precision on gold-annotated news paragraphs written for this project.

Each paragraph of tests/fixtures/entities/news.txt is one document with its people and places marked
`{name|person}` / `{name|place}`; the marks are stripped, the documents analysed, and what the
analysis finds compared with the marks. Printed figures: `pytest -s tests/test_entities_gold.py`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus_site.analyze import analyze
from corpus_site.clean import Context
from corpus_site.decode import decode
from corpus_site.loader import load_document
from corpus_site.model import Corpus, EntryKind

from conftest import FIXTURES

TUNED = FIXTURES / "entities" / "news.txt"
HELD_OUT = FIXTURES / "entities" / "heldout.txt"
"""Written after the rules were tuned on TUNED; its figures are the honest ones."""
CUT = FIXTURES / "entities" / "cut.txt"
"""Names the segmenter cuts, or tags as other words."""
_MARK = re.compile(r"\{([^|}]+)\|(person|place)\}")
KINDS = {"person": EntryKind.PERSON, "place": EntryKind.PLACE}


def _gold(path: Path) -> list[tuple[str, dict[EntryKind, set[str]]]]:
    documents = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        marks: dict[EntryKind, set[str]] = {kind: set() for kind in KINDS.values()}
        for name, kind in _MARK.findall(line):
            marks[KINDS[kind]].add(name)
        documents.append((_MARK.sub(r"\1", line), marks))
    return documents


def _scores(path: Path) -> dict[EntryKind, tuple[float, float]]:
    gold = _gold(path)
    documents = []
    for number, (text, _) in enumerate(gold):
        loaded = load_document(f"d{number:02d}", f"d{number:02d}.txt", decode(text.encode()), Context())
        assert loaded.document is not None
        documents.append(loaded.document)
    analysis = analyze(Corpus(documents))
    scores = {}
    for kind in KINDS.values():
        true = found = expected = 0
        for document, (_, marks) in zip(documents, gold, strict=True):
            names = set(analysis.documents[document.id].entities.get(kind, ()))
            true += len(names & marks[kind])
            found += len(names)
            expected += len(marks[kind])
        scores[kind] = (true / expected, true / max(found, 1))
    return scores


@pytest.mark.parametrize("path", [TUNED, HELD_OUT, CUT], ids=["tuned", "held-out", "cut"])
def test_people_and_places_recall_and_precision(path: Path) -> None:
    scores = _scores(path)
    for kind, (recall, precision) in scores.items():
        print(f"{path.name} {kind.value}: recall {recall:.2f}, precision {precision:.2f}")
    person_recall, person_precision = scores[EntryKind.PERSON]
    place_recall, place_precision = scores[EntryKind.PLACE]
    assert person_recall >= 0.85 and person_precision >= 0.80
    assert place_recall >= 0.85 and place_precision >= 0.80

"""The typed data model that flows through every stage of a build."""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from corpus_site.frequency import Collocate, Frequency


_TEXT = attrgetter("text")


class Compact:
    """Pickles a slotted dataclass as its constructor's arguments: loading many small objects from
    the cache, or from a worker process, this way is several times faster than the generic
    slotted-dataclass state."""

    __slots__ = ()
    __match_args__: tuple[str, ...]

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__match_args__)


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(slots=True, frozen=True)
class Problem(Compact):
    """Something wrong with the input, reported with its place."""

    path: str
    """The file, relative to the input folder."""
    message: str
    """What is wrong, in one line."""
    line: int | None = None
    """1-based source line, when one line is to blame."""
    severity: Severity = Severity.WARNING
    """Warnings let the file build; errors skip it."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity.value}: {self.message}"


@dataclass(slots=True, frozen=True)
class Line(Compact):
    """One line of a source file as the cleaning rules see it."""

    number: int
    """1-based line number in the decoded source file (kept through joins and splits)."""
    text: str
    """The line's current text."""
    joins: tuple[tuple[int, int], ...] = ()
    """(offset in text, source line) where text joined on from a later source line begins."""

    def line_at(self, offset: int) -> int:
        """The source line of the character at `offset`."""
        number = self.number
        for start, line in self.joins:
            if start <= offset:
                number = line
        return number


@dataclass(slots=True, frozen=True)
class Note(Compact):
    """A record of one change a cleaning rule made."""

    rule: str
    """Name of the rule that made the change."""
    line: int
    """Source line the change applies to."""
    before: str
    """The text that was removed or replaced."""
    after: str = ""
    """What replaced it; empty when text was removed."""


class Notes(Sequence[Note]):
    """A document's cleaning notes, with how many each rule made.

    A build loads every document from the cache but reads the notes of only the pages it renders, and
    a long damaged document has thousands of them: they are pickled as one block of plain tuples and
    made into `Note`s when first read. The counts by rule travel beside the block.
    """

    __slots__ = ("_notes", "_packed", "counts")

    def __init__(self, notes: Iterable[Note] = ()) -> None:
        self._notes: tuple[Note, ...] | None = tuple(notes)
        self._packed: bytes | None = None
        self.counts: dict[str, int] = dict(Counter(map(attrgetter("rule"), self._notes)))
        """How many changes each rule made, rules in the order they first made one."""

    def _all(self) -> tuple[Note, ...]:
        if self._notes is None:
            assert self._packed is not None
            self._notes = tuple(Note(*fields) for fields in pickle.loads(self._packed))
            self._packed = None
        return self._notes

    def rows(self) -> list[tuple[str, int, str, str]]:
        """(rule, line, before, after) of each note, without making `Note`s of packed ones."""
        if self._packed is not None:
            rows: list[tuple[str, int, str, str]] = pickle.loads(self._packed)
            return rows
        return [(n.rule, n.line, n.before, n.after) for n in self._all()]

    def __reduce__(self) -> tuple[object, tuple[bytes, dict[str, int]]]:
        packed = self._packed
        if packed is None:
            packed = pickle.dumps(self.rows(), protocol=pickle.HIGHEST_PROTOCOL)
        return _packed_notes, (packed, self.counts)

    @overload
    def __getitem__(self, index: int) -> Note: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Note]: ...
    def __getitem__(self, index: int | slice) -> Note | Sequence[Note]:
        return self._all()[index]

    def __len__(self) -> int:
        return sum(self.counts.values())

    def __iter__(self) -> Iterator[Note]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Notes):
            return self.counts == other.counts and self._all() == other._all()
        if isinstance(other, list | tuple):
            return list(self._all()) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Notes({list(self._all())!r})"


def _packed_notes(packed: bytes, counts: dict[str, int]) -> Notes:
    notes = Notes()
    notes._notes, notes._packed, notes.counts = None, packed, counts
    return notes


@dataclass(slots=True)
class Metadata(Compact):
    """What a document says about itself, in canonical simplified script."""

    title: str = ""
    """The document's title, stated or inferred."""
    title_inferred: bool = False
    """True when no title was stated and one was made from the text."""
    date: str | None = None
    """ISO date of the precision the text gives: `2021-11-17`, `--04-17`, or None."""
    author: str | None = None
    """Author or reporter."""
    source: str | None = None
    """The publishing site or outlet."""
    editor: str | None = None
    """Responsible editor."""
    extra: dict[str, str] = field(default_factory=dict)
    """Any other stated field (clicks, reviewer, …) by its canonical key."""


@dataclass(slots=True, frozen=True)
class Paragraph(Compact):
    """One paragraph of cleaned text."""

    id: str
    """Stable anchor, `p1`, `p2`, … in reading order."""
    line: int
    """Source line the paragraph starts on."""
    original: str
    """Cleaned text in the document's own script."""
    text: str
    """Cleaned text in canonical simplified script."""


@dataclass(slots=True)
class Document(Compact):
    """One source file after loading, cleaning and conversion."""

    id: str
    """URL-safe identifier derived from the file name."""
    source_file: str
    """Path relative to the input folder, with forward slashes."""
    encoding: str
    """The encoding the file was decoded with."""
    script: str
    """`simplified`, `traditional` or `mixed`: the script of the original text."""
    metadata: Metadata
    """Title, date, author, source, editor and other stated fields."""
    paragraphs: list[Paragraph]
    """The body in reading order."""
    notes: Notes = field(default_factory=Notes)
    """Every change the cleaning rules made, in rule order."""
    raw_text: str = ""
    """The decoded source file, kept for the "what was cleaned" view."""
    digest: str = ""
    """A digest of all the document was made from (its text, file name and encoding, what the rules
    knew of the corpus, the tool): equal digests mean equal documents. Empty when not known."""
    _length: int = field(default=-1, init=False, repr=False, compare=False)

    @property
    def length(self) -> int:
        """Characters of canonical body text (counted once: paragraphs are not changed once made)."""
        if self._length < 0:
            self._length = sum(map(len, map(_TEXT, self.paragraphs)))
        return self._length

    def rule_counts(self) -> dict[str, int]:
        """How many changes each rule made, rules in the order they ran."""
        return dict(self.notes.counts)

    def __post_init__(self) -> None:
        if not isinstance(self.notes, Notes):
            self.notes = Notes(self.notes)


@dataclass(slots=True)
class Corpus:
    """All documents of a build, plus the problems met while reading them."""

    documents: list[Document]
    """Documents sorted by id."""
    problems: list[Problem] = field(default_factory=list)
    """Warnings and errors, in file order."""
    skipped: dict[str, str] = field(default_factory=dict)
    """Files not built, with the reason, by relative path."""


class EntryKind(StrEnum):
    """The kinds of index entry, each with its own index page."""

    TERM = "term"
    PERSON = "person"
    PLACE = "place"
    ORGANIZATION = "organization"


@dataclass(slots=True, frozen=True)
class KwicLine(Compact):
    """One concordance line: a keyword in its context, and where it stands."""

    document: str
    """Id of the document."""
    paragraph: str
    """Id of the paragraph (its permalink anchor)."""
    left: str
    """Canonical text just before the keyword."""
    keyword: str
    """The keyword as it stands in the canonical text."""
    right: str
    """Canonical text just after the keyword."""


@dataclass(slots=True, frozen=True)
class Related(Compact):
    """A document similar to another one. Its cosine similarity only orders the list: pages are keyed
    on what they hold, and a score moving with every profile would render many of them again."""

    id: str
    """Id of the related document."""
    shared: tuple[str, ...]
    """The profile terms the two documents share, most telling first."""


@dataclass(slots=True, frozen=True)
class DocumentAnalysis(Compact):
    """What analysis found in one document."""

    keywords: tuple[str, ...]
    """Key terms by TF-IDF over the corpus, strongest first."""
    entities: dict[EntryKind, tuple[str, ...]]
    """People, places and organisations named, most frequent first."""
    related: tuple[Related, ...]
    """The most similar documents, most similar first (republications of the same text excluded)."""
    near_duplicates: tuple[str, ...] = ()
    """Ids of documents that are the same text, republished (sorted)."""
    frequent: tuple[tuple[str, int], ...] = ()
    """The document's most frequent words (function words left out) with their counts."""


@dataclass(slots=True, frozen=True)
class Entry(Compact):
    """One index entry: a term or a named entity, with its documents and concordance."""

    kind: EntryKind
    """Term, person, place or organisation."""
    name: str
    """The word, in canonical simplified script."""
    documents: tuple[str, ...]
    """Ids of the documents that use it, sorted."""
    occurrences: int
    """How many times it occurs in those documents."""
    lines: Sequence[KwicLine]
    """Concordance lines, in document order (capped; `occurrences` counts all): a tuple, or lines
    found only when read."""
    counts: tuple[int, ...] = ()
    """Occurrences in each of `documents`, in the same order."""
    collocates: tuple[Collocate, ...] = ()
    """Words found near it more often than chance, strongest first."""
    lines_digest: str = ""
    """A digest of `lines`, which stands for them in a page's key (`pagekeys`), when known."""


@dataclass(slots=True, frozen=True)
class Analysis:
    """The analysis stage's result for a whole corpus."""

    documents: dict[str, DocumentAnalysis]
    """Per-document results by document id."""
    entries: dict[EntryKind, list[Entry]]
    """Index entries of each kind, sorted by name."""
    vocabulary: frozenset[str] = frozenset()
    """Every word of two or more characters the segmenter found, for phrase-aware script conversion."""
    words: list[Frequency] = field(default_factory=list)
    """The corpus's word frequency list, most frequent first."""
    ngrams: list[Frequency] = field(default_factory=list)
    """Word 2-, 3- and 4-grams occurring at least twice, most frequent first."""
    index: SearchIndex = field(default_factory=lambda: SearchIndex({}, 1))
    """The search index's postings (`search.search_index`)."""
    characters: frozenset[str] = frozenset()
    """Every character of the canonical text, for the search page's conversion tables."""


@dataclass(slots=True, frozen=True)
class SearchIndex:
    """The full-text search index's postings, spread over the shards the browser loads."""

    shards: Mapping[int, str]
    """Each shard's file, the script handing the browser its encoded postings by key (keys sorted),
    by shard number; empty shards left out. A dict, or files loaded only when read."""
    count: int
    """How many shards there are (a power of two)."""
    key: str = ""
    """A digest of what the index is made of (indexes of the same key have the same files), when
    known."""

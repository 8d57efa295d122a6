"""Readers: each source file becomes a Document (decode → clean → metadata → convert)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from corpus_site.clean import Context, clean_lines
from corpus_site.clean.metadata import byline_in_body
from corpus_site.clean.spaces import remove_stray_spaces
from corpus_site.convert import detect_script, to_simplified
from corpus_site.dates import date_in_file_name, find_date
from corpus_site.decode import Decoded
from corpus_site.model import Document, Line, Metadata, Notes, Paragraph, Problem, Severity
from corpus_site.titles import infer_title

BODY_DATE_WINDOW = 100
"""A date within this many characters of the body's start dates a document that states none."""


@dataclass(slots=True, frozen=True)
class Loaded:
    """A document, or None when nothing of it could be kept, and the problems met."""

    document: Document | None
    problems: tuple[Problem, ...]


def source_lines(text: str) -> tuple[Line, ...]:
    """The decoded file as numbered lines."""
    return tuple(Line(number, line) for number, line in enumerate(text.splitlines(), 1))


def load_document(doc_id: str, relative_path: str, decoded: Decoded, context: Context) -> Loaded:
    """Clean one decoded file into a Document."""
    problems = [
        Problem(relative_path, "undecodable bytes replaced with U+FFFD", line) for line in decoded.bad_lines
    ]
    cleaned = clean_lines(source_lines(decoded.text), context)
    paragraphs = [
        Paragraph(f"p{index}", line.number, line.text, to_simplified(line.text))
        for index, line in enumerate(cleaned.lines, 1)
    ]
    if not paragraphs:
        problems.append(Problem(relative_path, "no text left after cleaning", None, Severity.ERROR))
        return Loaded(None, tuple(problems))
    closing = byline_in_body(paragraphs[-1].original, closing=True)
    fields = {**closing, **_body_byline(decoded.text, paragraphs[0].line), **cleaned.fields}
    metadata = build_metadata(fields, paragraphs, date_in_file_name(relative_path))
    script = detect_script("".join(p.original for p in paragraphs))
    document = Document(
        doc_id,
        relative_path,
        decoded.encoding,
        script,
        metadata,
        paragraphs,
        Notes(cleaned.notes),
        decoded.text,
    )
    return Loaded(document, tuple(problems))


def _body_byline(text: str, line: int) -> dict[str, str]:
    """Author and other fields from a bracketed byline opening the body, read on the source line
    because the spaces between names are gone from the cleaned text."""
    lines = text.splitlines()
    return byline_in_body(lines[line - 1]) if 0 < line <= len(lines) else {}


def _simplified_field(fields: Mapping[str, str], key: str) -> str | None:
    value = fields.get(key)
    if not value:
        return None
    value = to_simplified(value)
    if key in _PERSON_FIELDS and _NAME_LIST.fullmatch(value):
        return "、".join(value.split())
    return _tidy(value)


_PERSON_FIELDS = {"author", "editor"}
_NAME_LIST = re.compile(r"[\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4})+")
"""Names written apart with spaces, `张三 李四`, a list the metadata keeps as `张三、李四`."""


def _tidy(text: str) -> str:
    step = remove_stray_spaces((Line(0, text),), Context())
    return step.lines[0].text if step.lines else text


def build_metadata(
    fields: Mapping[str, str], paragraphs: list[Paragraph], named_date: str | None = None
) -> Metadata:
    """Metadata in canonical script from the fields the rules found, inferring what is missing.

    A date the file's name holds (`named_date`) dates a document whose text states none, and gives
    the year to a date without one that falls on the same day (`5月8日` in `2023-05-08_会议.txt`)."""
    title = _simplified_field(fields, "title")
    date = fields.get("date") or _body_date(paragraphs[0].text)
    if named_date and (date is None or (date.startswith("--") and named_date.endswith(date[1:]))):
        date = named_date
    extra = {k: to_simplified(v) for k, v in sorted(fields.items()) if k not in _MAIN_FIELDS and v}
    return Metadata(
        title=title or infer_title(paragraphs[0].text),
        title_inferred=not title,
        date=date,
        author=_simplified_field(fields, "author"),
        source=_simplified_field(fields, "source"),
        editor=_simplified_field(fields, "editor"),
        extra=extra,
    )


_MAIN_FIELDS = {"title", "date", "author", "source", "editor"}


def _body_date(text: str) -> str | None:
    found = find_date(text[:BODY_DATE_WINDOW])
    return found[0] if found else None

"""Read a whole input folder into a Corpus: every file checked before anything is written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from corpus_site.cache import Cache, Memory, key_of
from corpus_site.clean import Context
from corpus_site.clean.repeated import Edges, edges_of, repeated_edges
from corpus_site.clean.whitespace import normalize_whitespace
from corpus_site.decode import Decoded, NotText, decode
from corpus_site.discover import discover
from corpus_site.ids import unique_ids
from corpus_site.loader import Loaded, load_document, source_lines
from corpus_site.model import Corpus, Problem, Severity
from corpus_site.workers import parallel_map

Progress = Callable[[str, int, int], None]


def _read(path: Path) -> bytes | str:
    """The file's bytes, or why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"


def _decode_with_edges(data: bytes) -> tuple[Decoded, Edges] | str:
    """The decoded file and its candidate boilerplate lines, or why it is not text."""
    try:
        decoded = decode(data)
    except NotText as error:
        return str(error)
    return decoded, document_edges(decoded)


def document_edges(decoded: Decoded) -> Edges:
    """What the corpus context needs of one file: the lines at its edges, and its body's digest."""
    lines = normalize_whitespace(source_lines(decoded.text), Context()).lines
    return edges_of([line.text for line in lines])


@dataclass(slots=True)
class _Files:
    """The input files' bytes, and what is known of each: decoded, its edge lines, or why skipped."""

    data: dict[str, bytes]
    digests: dict[str, str]
    decoded: dict[str, Decoded]
    edges: dict[str, Edges]
    skipped: dict[str, str]


def _read_files(
    root: Path, paths: tuple[str, ...], jobs: int, cache: Cache, contents: Mapping[str, bytes | None]
) -> _Files:
    """Read every file (or take its bytes from `contents`); decode only those whose edge lines the
    cache does not hold (a file with the same bytes decodes the same way), so a rebuild after one
    edit decodes one file."""
    files = _Files({}, {}, {}, {}, {})
    for relative in paths:
        result = contents.get(relative) or _read(root / relative)
        if isinstance(result, str):
            files.skipped[relative] = result
        else:
            files.data[relative] = result
            # the very bytes of the last build's file (`read_inputs` keeps them): the digest it had
            files.digests[relative] = cache.memory.derived("file digest", result, _hex_digest)
    keys = {relative: _edges_key(digest, cache.memory) for relative, digest in files.digests.items()}
    for relative, key in keys.items():
        if (edges := cache.get("edges", key)) is not None:
            files.edges[relative] = edges
    missing = [relative for relative in files.data if relative not in files.edges]
    results = parallel_map(_decode_with_edges, [files.data[r] for r in missing], jobs)
    for relative, outcome in zip(missing, results, strict=True):
        if isinstance(outcome, str):
            files.skipped[relative] = outcome
            continue
        files.decoded[relative], files.edges[relative] = outcome
        cache.put("edges", keys[relative], outcome[1])
    cache.write("edges")
    return files


def _hex_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _edges_key(digest: str, memory: Memory) -> str:
    if (key := memory.get("edges key", digest)) is None:
        key = key_of("edges", digest)
    memory.put("edges key", digest, key)
    return key


def _load(task: tuple[str, str, Decoded | bytes, Context]) -> Loaded:
    doc_id, relative, source, context = task
    return load_document(doc_id, relative, source if isinstance(source, Decoded) else decode(source), context)


def _context_digest(context: Context) -> str:
    return hashlib.sha256("\n".join(sorted(context.repeated_lines)).encode()).hexdigest()


def _unique_ids(paths: list[str], memory: Memory) -> dict[str, str]:
    """`unique_ids`, the last build's when the paths are the same."""
    last: tuple[list[str], dict[str, str]] | None = memory.get("ids", "")
    if last is None or last[0] != paths:
        last = (paths, unique_ids(paths))
    memory.put("ids", "", last)
    return last[1]


def _read_key(doc_id: str, relative: str, digest: str, context_digest: str, memory: Memory) -> str:
    """The key of a document's cached reading: its id, path, bytes and corpus context."""
    parts = (doc_id, relative, digest, context_digest)
    if (key := memory.get("read key", parts)) is None:
        key = key_of(*parts)
    memory.put("read key", parts, key)
    return key


def read_corpus(
    root: Path,
    jobs: int = 1,
    progress: Progress | None = None,
    cache: Cache | None = None,
    contents: Mapping[str, bytes | None] | None = None,
) -> Corpus:
    """Decode, clean and convert every document under root; problems collected, nothing raised.

    With a cache, a document whose bytes, name and corpus context are unchanged is not cleaned again.
    `contents` may hold files' bytes already read, by path under root.
    """
    cache = cache or Cache(None)
    found = discover(root)
    files = _read_files(root, found.paths, jobs, cache, contents or {})
    skipped = files.skipped
    problems = list(found.problems)
    problems += [
        Problem(path, f"skipped: {reason}", None, Severity.ERROR) for path, reason in skipped.items()
    ]
    readable = sorted(files.edges)
    context = Context(repeated_lines=repeated_edges(files.edges[r] for r in readable))
    ids = _unique_ids(readable, cache.memory)
    context_digest = _context_digest(context)
    tasks = [
        (ids[relative], relative, files.decoded.get(relative, files.data[relative]), context)
        for relative in readable
    ]
    keys = [_read_key(ids[r], r, files.digests[r], context_digest, cache.memory) for r in readable]
    documents = []
    report = (lambda done, total: progress("read", done, total)) if progress else None
    results = cache.map("read", keys, _load, tasks, jobs, report)
    for (_, relative, _, _), loaded, key in zip(tasks, results, keys, strict=True):
        problems.extend(loaded.problems)
        if loaded.document is None:
            skipped[relative] = loaded.problems[-1].message
        else:
            loaded.document.digest = key
            documents.append(loaded.document)
    problems.sort(key=lambda p: (p.path, p.line or 0))
    return Corpus(sorted(documents, key=lambda d: d.id), problems, dict(sorted(skipped.items())))

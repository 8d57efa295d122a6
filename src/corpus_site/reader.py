"""Read a whole input folder into a Corpus: every file checked before anything is written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from corpus_site.cache import Cache, key_of
from corpus_site.clean import Context
from corpus_site.clean.repeated import find_repeated_lines
from corpus_site.clean.whitespace import normalize_whitespace
from corpus_site.decode import Decoded, NotText, decode
from corpus_site.discover import discover
from corpus_site.ids import unique_ids
from corpus_site.loader import Loaded, load_document, source_lines
from corpus_site.model import Corpus, Problem, Severity
from corpus_site.workers import parallel_map

Progress = Callable[[str, int, int], None]


def _decode_one(path: Path) -> Decoded | str:
    """The decoded file, or why it cannot be read."""
    try:
        return decode(path.read_bytes())
    except NotText as error:
        return str(error)
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"


def _decode_all(
    root: Path, paths: tuple[str, ...], jobs: int = 1
) -> tuple[dict[str, Decoded], dict[str, str]]:
    decoded: dict[str, Decoded] = {}
    skipped: dict[str, str] = {}
    for relative, result in zip(
        paths, parallel_map(_decode_one, [root / p for p in paths], jobs), strict=True
    ):
        if isinstance(result, str):
            skipped[relative] = result
        else:
            decoded[relative] = result
    return decoded, skipped


def corpus_context(decoded: dict[str, Decoded]) -> Context:
    """What the rules need to know about the whole corpus: lines repeated across documents."""
    texts = (
        [line.text for line in normalize_whitespace(source_lines(d.text), Context()).lines]
        for d in decoded.values()
    )
    return Context(repeated_lines=find_repeated_lines(texts))


def _load(task: tuple[str, str, Decoded, Context]) -> Loaded:
    return load_document(*task)


def _context_digest(context: Context) -> str:
    return hashlib.sha256("\n".join(sorted(context.repeated_lines)).encode()).hexdigest()


def read_corpus(
    root: Path, jobs: int = 1, progress: Progress | None = None, cache: Cache | None = None
) -> Corpus:
    """Decode, clean and convert every document under root; problems collected, nothing raised.

    With a cache, a document whose bytes, name and corpus context are unchanged is not cleaned again.
    """
    cache = cache or Cache(None)
    found = discover(root)
    decoded, skipped = _decode_all(root, found.paths, jobs)
    problems = list(found.problems)
    problems += [
        Problem(path, f"skipped: {reason}", None, Severity.ERROR) for path, reason in skipped.items()
    ]
    context = corpus_context(decoded)
    ids = unique_ids(decoded)
    documents = []
    tasks = [(ids[relative], relative, text, context) for relative, text in decoded.items()]
    context_digest = _context_digest(context)
    keys = [key_of(doc_id, relative, d.encoding, d.text, context_digest) for doc_id, relative, d, _ in tasks]
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

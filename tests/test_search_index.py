"""The search index's postings: merging again only the blocks an edit changed gives a full merge's
index, and both encode each key's documents as gaps."""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_site import search
from corpus_site.search import POSTING_SEPARATOR, IndexState, search_index

from conftest import recorded_merges

_KEYS = st.sampled_from(["会", "议", "会议", "议召", "召开", "开", "a", "ab"])
_ENTRIES = st.sampled_from(["0", "1", "0,3", "2,1,4", "0;0,5"])
_POSTINGS = st.dictionaries(_KEYS, _ENTRIES, max_size=5).map(
    lambda found: POSTING_SEPARATOR.join(
        f"{key}{POSTING_SEPARATOR}{entries}" for key, entries in found.items()
    )
)
_CORPORA = st.lists(_POSTINGS, max_size=24)


def _digests(per_document: list[str]) -> list[str]:
    return [hashlib.sha256(postings.encode()).hexdigest() for postings in per_document]


def _index(per_document: list[str], previous: IndexState | None = None, block: int = 3) -> IndexState:
    return search_index(per_document, _digests(per_document), previous, block=block)


def _gap_encoded(per_document: list[str]) -> dict[str, str]:
    """Each key's documents one by one, behind the gap from the previous document that holds it."""
    parts: dict[str, list[str]] = defaultdict(list)
    previous: dict[str, int] = {}
    for number, postings in enumerate(per_document):
        fields = postings.split(POSTING_SEPARATOR) if postings else []
        for key, entries in zip(fields[::2], fields[1::2], strict=True):
            parts[key].append(f"{search._base36(number - previous.get(key, 0))},{entries}")
            previous[key] = number
    return {key: ";".join(chunks) for key, chunks in parts.items()}


@given(_CORPORA, st.sampled_from([1, 3, 128]))
def test_blocks_put_together_encode_each_keys_documents_as_gaps(per_document: list[str], block: int) -> None:
    assert _index(per_document, block=block).encoded == _gap_encoded(per_document)


@given(_CORPORA, st.data(), st.sampled_from([1, 3, 128]), st.sampled_from([search.SHARD_TARGET_BYTES, 8]))
def test_merging_again_only_the_changed_blocks_gives_a_full_merges_index(
    before: list[str], data: st.DataObject, block: int, shard_bytes: int
) -> None:
    """Edits change, add and remove documents, which moves the later ones to other blocks; small
    shards make the number of shards change too."""
    after = _edited(before, data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_TARGET_BYTES", shard_bytes)
        incremental = _index(after, _index(before, block=block), block=block)
        assert incremental == _index(after, block=block)


def _edited(before: list[str], data: st.DataObject) -> list[str]:
    after = list(before)
    for _ in range(data.draw(st.integers(0, 3))):
        position = data.draw(st.integers(0, len(after)))
        action = data.draw(st.sampled_from(["change", "add", "remove"]))
        if action == "add" or not after:
            after.insert(position, data.draw(_POSTINGS))
        elif action == "remove":
            del after[min(position, len(after) - 1)]
        else:
            after[min(position, len(after) - 1)] = data.draw(_POSTINGS)
    return after


@given(_CORPORA, st.data(), st.sampled_from([(3, 1), (4, 2), (128, 2)]))
def test_blocks_put_together_from_kept_runs_give_a_full_merges_index(
    first: list[str], data: st.DataObject, sizes: tuple[int, int]
) -> None:
    """A server keeps the merged runs through a sequence of edits."""
    block, run = sizes
    runs: search.Runs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "RUN", run)
        state, documents = _index(first, block=block), first
        for _ in range(3):
            documents = _edited(documents, data)
            state = search_index(documents, _digests(documents), state, block=block, runs=runs)
            assert state == _index(documents, block=block)
            digests = _digests(documents)  # runs of documents no longer there are let go
            assert all(
                tuple(digests[start : start + len(run_digests)]) == run_digests for start, run_digests in runs
            )


def test_an_edit_merges_again_only_its_block_and_writes_again_only_its_shards(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    per_document = [f"会{POSTING_SEPARATOR}0{POSTING_SEPARATOR}k{n}{POSTING_SEPARATOR}1" for n in range(30)]
    monkeypatch.setattr(search, "SHARD_TARGET_BYTES", 16)
    previous = _index(per_document, block=10)
    assert previous.sharded.count > 4
    merged = recorded_merges(monkeypatch)
    edited = [*per_document[:12], f"开{POSTING_SEPARATOR}3", *per_document[13:]]
    incremental = _index(edited, previous, block=10)
    assert merged == [10]
    changed = {
        n for n, script in incremental.sharded.shards.items() if script is not previous.sharded.shards.get(n)
    }
    assert changed == {search.fnv1a(key) % incremental.sharded.count for key in ("会", "k12", "开")}


def test_with_kept_runs_an_edit_merges_again_only_its_run(monkeypatch: pytest.MonkeyPatch) -> None:
    per_document = [f"会{POSTING_SEPARATOR}0{POSTING_SEPARATOR}k{n}{POSTING_SEPARATOR}1" for n in range(30)]
    monkeypatch.setattr(search, "RUN", 5)
    runs: search.Runs = {}
    state = _index(per_document, block=20)
    for n, edit in enumerate(["开", "议"]):
        edited = [*per_document[:12], f"{edit}{POSTING_SEPARATOR}{n}", *per_document[13:]]
        merged = recorded_merges(monkeypatch)
        state = search_index(edited, _digests(edited), state, block=20, runs=runs)
        assert merged == ([0, 5, 10, 15] if n == 0 else [10])  # the first edit merges its block's runs
        assert state == _index(edited, block=20)


def test_runs_warmed_while_a_server_waits_spare_an_edit_merging_its_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    per_document = [f"会{POSTING_SEPARATOR}0{POSTING_SEPARATOR}k{n}{POSTING_SEPARATOR}1" for n in range(30)]
    monkeypatch.setattr(search, "RUN", 5)
    runs: search.Runs = {}
    state = _index(per_document, block=20)
    assert not search.warm_runs(per_document, _digests(per_document), runs, seconds=0) and not runs
    assert search.warm_runs(per_document, _digests(per_document), runs, seconds=60)
    assert sorted(start for start, _ in runs) == [0, 5, 10, 15, 20, 25]
    edited = [*per_document[:12], f"开{POSTING_SEPARATOR}0", *per_document[13:]]
    merged = recorded_merges(monkeypatch)
    state = search_index(edited, _digests(edited), state, block=20, runs=runs)
    assert merged == [10]  # its run only, the first time too
    assert state == _index(edited, block=20)

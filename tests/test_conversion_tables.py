"""The tables the search page folds a query with: worked out again after an edit, from the last
build's, they are the tables made anew, and only the words the last build did not have are converted."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_site import search
from corpus_site.cache import Memory
from corpus_site.search import conversion_tables

# 了解 makes the phrase 瞭解: 瞭 alone stays 瞭 (as in 瞭望), so only the whole word folds back to
# 了解. The others fold back character by character, or are the same in both scripts.
WORDS = ["了解", "头发", "皇后", "后来", "乾隆", "干净", "面条", "理发", "计算机", "软件", "出租车", "鼠标"]
CHARACTERS = frozenset("".join(WORDS))


@pytest.fixture(scope="module")
def char_map() -> dict[str, str]:
    return conversion_tables(CHARACTERS, frozenset(), "s2t")["t2s"]  # type: ignore[return-value]


def test_a_word_whose_traditional_form_folds_only_as_a_whole_is_a_phrase() -> None:
    tables = conversion_tables(CHARACTERS, frozenset(WORDS), "s2t")
    assert tables["t2s_phrases"] == {"瞭解": "了解"}
    assert conversion_tables(CHARACTERS, frozenset(WORDS) - {"了解"}, "s2t")["t2s_phrases"] == {}


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.frozensets(st.sampled_from(WORDS)), st.frozensets(st.sampled_from(sorted(CHARACTERS)))),
        min_size=1,
        max_size=5,
    )
)
def test_tables_worked_out_from_the_last_builds_are_those_made_anew(
    builds: list[tuple[frozenset[str], frozenset[str]]],
) -> None:
    memory = Memory()
    for vocabulary, missing in builds:
        characters = CHARACTERS - missing  # a character's folding is in the tables if the corpus has it
        made_anew = conversion_tables(characters, vocabulary, "s2t")
        assert conversion_tables(characters, vocabulary, "s2t", memory) == made_anew
        memory.forget_unused()


def test_only_the_words_the_last_build_did_not_have_are_converted(
    char_map: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    converted: list[list[str]] = []
    candidates = search._candidates

    def recorded(words: frozenset[str]) -> dict[str, list[tuple[int, str]]]:
        converted.append(sorted(words))
        return candidates(words)

    monkeypatch.setattr(search, "_candidates", recorded)
    memory = Memory()
    search._phrases(char_map, frozenset(WORDS[1:]), memory)
    memory.forget_unused()
    assert search._phrases(char_map, frozenset(WORDS[:-1]), memory) == {"瞭解": "了解"}
    assert converted == [sorted(WORDS[1:]), ["了解"]]


def test_new_characters_make_the_character_tables_again(char_map: dict[str, str]) -> None:
    memory = Memory()
    first = conversion_tables(CHARACTERS, frozenset(WORDS), "s2t", memory)
    memory.forget_unused()
    assert conversion_tables(CHARACTERS, frozenset(WORDS), "s2t", memory)["t2s"] is first["t2s"]
    memory.forget_unused()
    more = conversion_tables(CHARACTERS | {"發"}, frozenset(WORDS), "s2t", memory)
    assert more == conversion_tables(CHARACTERS | {"發"}, frozenset(WORDS), "s2t")
    assert more["t2s"] is not first["t2s"]

"""The round words of digest/language/data/round_words.yaml: each entry's examples contain a
match of its patterns and its `not:` lines none."""

from __future__ import annotations

import pytest

from digest.language.lexicon import round_words, words

ENTRIES = [(group, e) for group, entries in round_words().items() for e in entries]
EXAMPLES = [(g, e["patterns"], line) for g, e in ENTRIES for line in e["examples"]]
NOT = [(g, e["patterns"], line) for g, e in ENTRIES for line in e["not"]]


@pytest.mark.parametrize(("group", "patterns", "line"), EXAMPLES)
def test_an_example_contains_its_words(group: str, patterns: list[str], line: str) -> None:
    assert words(patterns).search(line), group


@pytest.mark.parametrize(("group", "patterns", "line"), NOT)
def test_a_counter_example_does_not(group: str, patterns: list[str], line: str) -> None:
    assert not words(patterns).search(line), group


def test_every_entry_has_examples_and_counter_examples() -> None:
    assert ENTRIES and all(e["examples"] and e["not"] for _, e in ENTRIES)

"""The write stage on every labelled story (samples and tests/corpus): the levels reached."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import parse_config
from digest.evaluate.write import load, with_gold_mentions

CONFIG = parse_config("feeds: []\n", Path("feeds.yaml"))


@pytest.fixture(scope="module")
def report():
    return with_gold_mentions(load(), CONFIG)


def test_every_labelled_story_is_written(report) -> None:
    assert report.stories >= 40
    assert all(s.headline and s.summary for s in report.written)


def test_fused_facts_equal_the_gold_facts(report) -> None:
    for name in ("amount", "currency", "investor", "places", "jobs"):
        assert report.share(name) >= 0.95, (name, report.wrong)
    assert report.all_facts >= 0.95, report.wrong


def test_conflicts_are_found_and_not_invented(report) -> None:
    assert report.conflict_recall >= 0.95
    assert report.conflict_precision >= 0.95


def test_traceability_passes_on_every_fixture_story(report) -> None:
    assert report.held == []


def test_summaries_are_one_to_three_sentences_of_french_typography(report) -> None:
    for story in report.written:
        text = story.summary
        assert text[0].isupper() and text.endswith(".")
        assert text.count(". ") + 1 <= 3, text
        assert "  " not in text and " ," not in text and "d'euros" not in story.headline.split()[0]
        assert " de euros" not in text and " de IA" not in text

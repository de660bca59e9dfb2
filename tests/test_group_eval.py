"""Grouping quality on the labelled corpus: the levels `make eval-group` reports, asserted."""

from __future__ import annotations

import pytest

from digest.evaluate.corpus import load_corpus
from digest.evaluate.group import SHUFFLES, gold_run, reader_run, report
from digest.evaluate.metrics import bcubed
from digest.group import GroupSettings


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_the_corpus_is_big_enough_to_measure(corpus):
    mentions = sum(len(g.mentions) for g in corpus.items)
    assert len(corpus.items) >= 150 and len(corpus.stories) >= 40 and mentions >= 150


def test_gold_mentions_are_grouped_into_their_deals(corpus):
    run = gold_run(corpus, GroupSettings())
    assert run.bcubed.precision >= 0.97 and run.bcubed.f1 >= 0.95, report(run)
    assert run.pairwise.precision >= 0.97 and run.pairwise.f1 >= 0.95, report(run)
    assert run.stable == SHUFFLES  # feeds polled in any order: the same stories


@pytest.mark.slow
def test_read_then_group_keeps_deals_apart_and_groups_what_the_reader_found(corpus):
    from digest.read import Reader

    run = reader_run(corpus, GroupSettings(), Reader().read_many)
    found = [e for e in run.elements if not e.predicted.startswith("missed:")]
    scores = bcubed([e.gold for e in found], [e.predicted for e in found])
    assert scores.precision >= 0.97 and scores.f1 >= 0.93, report(run)
    assert run.bcubed.precision >= 0.97, report(run)  # reader misses cost recall, never merges

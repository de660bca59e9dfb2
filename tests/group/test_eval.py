"""Grouping quality on the labelled corpus: the levels `make eval-group` reports, asserted."""

from __future__ import annotations

import pytest

from digest.evaluate.corpus import load_corpus
from digest.evaluate.group import SHUFFLES, found_scores, gold_run, reader_run, report
from digest.evaluate.metrics import bcubed
from digest.group.grouper import GroupSettings
from digest.models import Mention


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
    from digest.read.reader import Reader

    run = reader_run(corpus, GroupSettings(), Reader().read_many)
    scores = found_scores(run)
    assert scores.precision >= 0.97 and scores.f1 >= 0.93, report(run)
    assert run.bcubed.precision >= 0.97, report(run)  # reader misses cost recall, never merges


def test_the_store_path_polled_feed_by_feed_in_any_order_reaches_the_same_level(
    corpus, config, tmp_path
):
    """The labelled items go through the store one outlet per poll, outlets in shuffled
    orders; group_pending must give the same stories whatever the order, at the same level."""
    import random

    from digest.evaluate.group import partition
    from digest.store import open_db
    from tests.group.test_store import group, store_item

    outlets = sorted({g.item.feed_name for g in corpus.items})
    partitions = []
    for seed in range(2):
        db = open_db(tmp_path / f"order{seed}.db")
        random.Random(seed).shuffle(outlets)
        ids, gold, names = [], [], []
        for outlet in outlets:
            for g in corpus.items:
                if g.item.feed_name == outlet and g.mentions:
                    plain = [Mention(**{**vars(m), "story_id": None}) for m in g.mentions]
                    ids += store_item(db, g.item, plain)
                    gold += g.stories
                    names += [(g.item.guid, n) for n in range(len(plain))]
            group(db, config)
        rows = dict(db.execute("SELECT id, story_id FROM mentions"))
        predicted = [rows[i] for i in ids]
        db.close()
        scores = bcubed(gold, predicted)
        assert scores.precision >= 0.97 and scores.f1 >= 0.95, (seed, scores)
        order = sorted(range(len(ids)), key=lambda n: names[n])  # the same mention, same place
        partitions.append(partition([predicted[n] for n in order]))
    assert partitions[0] == partitions[1]

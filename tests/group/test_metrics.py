"""Pairwise and B-cubed scores on labellings worked out by hand."""

from __future__ import annotations

import pytest

from digest.evaluate.metrics import bcubed, merges, pairwise, splits

GOLD = ["a", "a", "b", "b"]
PRED = ["x", "x", "x", "y"]


def test_pairwise_counts_pairs():
    s = pairwise(GOLD, PRED)
    assert s.precision == pytest.approx(1 / 3)
    assert s.recall == pytest.approx(1 / 2)
    assert s.f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))


def test_bcubed_averages_over_elements():
    s = bcubed(GOLD, PRED)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(3 / 4)


def test_perfect_and_all_singletons():
    assert bcubed(GOLD, GOLD).f1 == 1.0 and pairwise(GOLD, GOLD).f1 == 1.0
    single = ["1", "2", "3", "4"]
    assert bcubed(GOLD, single).precision == 1.0 and bcubed(GOLD, single).recall == 0.5
    assert pairwise(GOLD, single).recall == 0.0


def test_worst_merges_and_splits_are_named():
    (merge,) = merges(GOLD, PRED)
    assert merge.cluster == "x" and merge.parts == [("a", 2), ("b", 1)] and merge.wrong == 1
    (split,) = splits(GOLD, PRED)
    assert split.cluster == "b" and sorted(split.parts) == [("x", 1), ("y", 1)]


def test_labellings_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="3 gold labels but 2"):
        bcubed(["a", "b", "c"], ["x", "y"])

"""The confidence threshold holds the most wrong stories for the fewest right ones a deal needs:
a right story that repeats a larger right story of the same announcement costs nothing."""

from __future__ import annotations

from digest.evaluate.confidence import Row, threshold


def row(name: str, right: bool, needed: bool | None = None) -> Row:
    return Row(name, {}, right, 0, False, right if needed is None else needed)


def test_a_right_story_a_deal_needs_weighs_against_holding() -> None:
    odds = [(0.1, row("a", False)), (0.2, row("b", True)), (0.3, row("c", False))]
    odds += [(0.9, row("d", True))]
    assert threshold(odds) == 0.2  # holding "c" too would hold "b", whose deal needs it


def test_a_right_story_repeating_a_larger_one_costs_nothing() -> None:
    odds = [(0.1, row("a", False)), (0.2, row("b", True, needed=False)), (0.3, row("c", False))]
    odds += [(0.9, row("d", True))]
    assert threshold(odds) == 0.9  # "b" repeats another story: "a", "b" and "c" are held

"""The constructions of digest/language/data/constructions.yaml: each one's examples carry it and
its `not:` lines do not; the lines pointing back at a figure likewise."""

from __future__ import annotations

import pytest

from digest.language import data
from digest.read.constructions import find, points_back

TABLE = data.load("constructions.yaml")
BUILT = TABLE["constructions"]
EXAMPLES = [(name, line) for name, c in BUILT.items() for line in c["examples"]]
NOT = [(name, line) for name, c in BUILT.items() for line in c["not"]]


@pytest.mark.parametrize(("name", "line"), EXAMPLES)
def test_an_example_carries_its_construction(name: str, line: str) -> None:
    assert name in [f.construction.name for f in find(line)]


@pytest.mark.parametrize(("name", "line"), NOT)
def test_a_counter_example_does_not(name: str, line: str) -> None:
    assert name not in [f.construction.name for f in find(line)]


@pytest.mark.parametrize("line", TABLE["pointing_back"]["examples"])
def test_a_line_pointing_back_at_a_figure(line: str) -> None:
    assert points_back(line)


@pytest.mark.parametrize("line", TABLE["pointing_back"]["not"])
def test_a_line_that_points_nowhere(line: str) -> None:
    assert not points_back(line)


def test_every_construction_has_examples_and_counter_examples() -> None:
    assert all(c["examples"] and c["not"] for c in BUILT.values())
    assert {c["kind"] for c in BUILT.values()} <= {"fund", "invest"}
    assert {c["actor"] for c in BUILT.values()} <= {"subject", "object"}

"""The role words of the learned scorer (digest/language/data/roles.yaml): each role's examples
carry its words and its `not:` lines do not."""

from __future__ import annotations

import pytest

from digest.language import data
from digest.read.roles import found

ROLES = data.load("roles.yaml")["roles"]
EXAMPLES = [(name, line) for name, role in ROLES.items() for line in role["examples"]]
NOT = [(name, line) for name, role in ROLES.items() for line in role["not"]]


@pytest.mark.parametrize(("role", "line"), EXAMPLES)
def test_an_example_carries_its_role(role: str, line: str) -> None:
    assert role in found(line)


@pytest.mark.parametrize(("role", "line"), NOT)
def test_a_counter_example_does_not(role: str, line: str) -> None:
    assert role not in found(line)


def test_every_role_has_examples_and_counter_examples() -> None:
    assert all(role["examples"] and role["not"] for role in ROLES.values())

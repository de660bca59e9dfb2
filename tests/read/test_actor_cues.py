"""The cue words of the actor model (digest/language/data/actor_cues.yaml): each example gives
its cue to the name marked «…», and no `not:` line does."""

from __future__ import annotations

import pytest

from digest.language import data
from digest.read.cues import around

CUES = data.load("actor_cues.yaml")["cues"]
EXAMPLES = [(name, line) for name, cue in CUES.items() for line in cue["examples"]]
NOT = [(name, line) for name, cue in CUES.items() for line in cue["not"]]


def _cues(line: str) -> frozenset[str]:
    start = line.index("«")
    end = line.index("»") - 1
    return around(line.replace("«", "").replace("»", ""), start, end)


@pytest.mark.parametrize(("cue", "line"), EXAMPLES)
def test_an_example_gives_its_cue(cue: str, line: str) -> None:
    assert cue in _cues(line)


@pytest.mark.parametrize(("cue", "line"), NOT)
def test_a_counter_example_does_not(cue: str, line: str) -> None:
    assert cue not in _cues(line)


def test_every_cue_has_examples_and_counter_examples() -> None:
    assert all(cue["examples"] and cue["not"] for cue in CUES.values())

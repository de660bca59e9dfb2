"""The constructions of digest/language/data/constructions.yaml, compiled once: words that tell a
deal without one of the trigger verbs, or without an amount ("X entre au capital de Y", "X
choisit la Bretagne pour implanter son usine"), and the sentences that point back at a figure
standing before them ("C'est la somme que X vient de lever")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from digest.language import data


@dataclass(frozen=True)
class Construction:
    name: str
    kind: str  # "fund": the actor raises; "invest": the actor invests
    actor: str  # "subject": the name before the words; "object": the name right after them
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    construction: Construction


def _compile(patterns: list[str]) -> re.Pattern[str]:
    site = "(?:" + "|".join(data.load("patterns.yaml")["investment"]["site_nouns"]) + ")"
    alts = "|".join(f"(?:{p.replace('{site}', site)})" for p in patterns)
    return re.compile(r"(?<![\w])(?:" + alts + r")(?:(?<=['’\s])|(?![\w]))", re.I)


@cache
def constructions() -> tuple[Construction, ...]:
    table = data.load("constructions.yaml")["constructions"]
    return tuple(
        Construction(name, c["kind"], c["actor"], _compile(c["patterns"]))
        for name, c in table.items()
    )


@cache
def _pointing_back() -> re.Pattern[str]:
    return _compile(data.load("constructions.yaml")["pointing_back"]["patterns"])


def find(text: str) -> list[Found]:
    """The constructions of a sentence, in order (an overlapping later one is left out)."""
    found = sorted(
        (Found(m.start(), m.end(), c) for c in constructions() for m in c.pattern.finditer(text)),
        key=lambda f: (f.start, -f.end),
    )
    out: list[Found] = []
    for f in found:
        if not out or f.start >= out[-1].end:
            out.append(f)
    return out


def points_back(text: str) -> bool:
    """The sentence refers to a figure told just before it: "C'est la somme que…"."""
    return bool(_pointing_back().search(text))

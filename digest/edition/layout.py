"""Layout: the bands of an edition (lead, cards, brief, held) and the figures of its round-up.

Pure functions over the dataclasses. The bands are not stored: `layout(edition)` recomputes
them from the order `compose` chose, so render, the web preview and the tests agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from digest.edition.plausible import counted, doubt
from digest.language.regions import region_of
from digest.models import Edition, Story

MAX_INVESTMENT_CARDS = 8
MAX_ROUND_CARDS = 10


@dataclass
class Total:
    """The sum of the amounts stated in one currency (never converted)."""

    currency: str | None
    value: float
    count: int
    qualifier: str  # exact | at_least | about


@dataclass
class Group:
    """A sector or a region with its stories and totals."""

    name: str
    count: int
    totals: list[Total]


@dataclass
class Layout:
    """The bands of the email, in reading order, and the figures of the round-up."""

    lead: Story | None
    investments: list[Story]
    rounds: list[Story]
    brief: list[Story]
    held: list[Story]
    totals: list[Total] = field(default_factory=list)
    podium: list[Story] = field(default_factory=list)
    sectors: list[Group] = field(default_factory=list)
    regions: list[Group] = field(default_factory=list)
    count: int = 0
    doubtful: list[tuple[Story, str]] = field(default_factory=list)  # amounts left out, why


def _card_worthy(story: Story) -> bool:
    return story.amount is not None or story.jobs is not None or bool(story.figures)


def bands(stories: list[Story]) -> tuple[Story | None, list[Story], list[Story], list[Story]]:
    """lead, investment cards, round cards, brief: the bands of stories already ordered."""
    if not stories:
        return None, [], [], []
    lead, rest = stories[0], stories[1:]
    investments = [s for s in rest if s.kind == "investment" and _card_worthy(s)]
    rounds = [s for s in rest if s.kind == "funding_round" and _card_worthy(s)]
    investments, rounds = investments[:MAX_INVESTMENT_CARDS], rounds[:MAX_ROUND_CARDS]
    carded = {id(s) for s in (*investments, *rounds)}
    return lead, investments, rounds, [s for s in rest if id(s) not in carded]


def totals(stories: list[Story]) -> list[Total]:
    """Sum per currency as stated, the most frequent currency first; doubtful amounts
    (`plausible.doubt`) are left out."""
    sums: dict[str | None, list[float]] = defaultdict(list)
    quals: dict[str | None, set[str]] = defaultdict(set)
    for s in stories:
        if amount := counted(s):
            sums[amount.currency].append(amount.value)
            quals[amount.currency].add(amount.qualifier)
    out = []
    for cur, values in sums.items():
        q = quals[cur]
        qual = "exact" if q == {"exact"} else "at_least" if q <= {"exact", "at_least"} else "about"
        out.append(Total(cur, sum(values), len(values), qual))
    return sorted(out, key=lambda t: (t.currency is None, -t.count, -t.value))


def _groups(stories: list[Story], key: Callable[[Story], str | None]) -> list[Group]:
    found: dict[str, list[Story]] = defaultdict(list)
    for s in stories:
        name = key(s)
        if name:
            found[name].append(s)
    groups = [Group(name, len(members), totals(members)) for name, members in found.items()]
    return sorted(groups, key=lambda g: (-g.count, g.name))


def layout(edition: Edition) -> Layout:
    """The bands and round-up figures of a composed edition."""
    visible = [s for s in edition.stories if not s.held_reason]
    lead, investments, rounds, brief = bands(visible)
    amounts = {id(s): a.value for s in visible if (a := counted(s))}
    podium = sorted((s for s in visible if id(s) in amounts), key=lambda s: -amounts[id(s)])[:3]
    return Layout(
        lead=lead,
        investments=investments,
        rounds=rounds,
        brief=brief,
        held=[s for s in edition.stories if s.held_reason],
        totals=totals(visible),
        podium=podium,
        sectors=_groups(visible, lambda s: s.sector),
        regions=_groups(visible, region_of),
        count=len(visible),
        doubtful=[(s, why) for s in visible if (why := doubt(s))],
    )

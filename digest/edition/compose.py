"""Compose: the stories of a period become an edition (bands, order, id, subject, preheader).

Pure functions over the dataclasses. The bands are not stored: `layout(edition)` recomputes
them from the order `compose` chose, so render, the web preview and the tests agree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from digest.config import Config
from digest.edition import wording
from digest.language.regions import region_of
from digest.models import Edition, Story
from digest.write.writer import update_note

MAX_INVESTMENT_CARDS = 8
MAX_ROUND_CARDS = 10


class EmptyEdition(ValueError):
    """No story may be sent: an edition with no story is not built."""


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
    opening: str = ""


def importance(story: Story) -> float:
    """How prominent a story is: the stated amount first, then the outlets covering it, the jobs.

    Each tenfold of the amount weighs as much as about three more outlets, so a record
    investment leads the edition over a smaller one that created jobs."""
    amount = story.amount.value if story.amount else 0.0
    jobs = story.jobs.value if story.jobs else 0
    outlets = len({s.feed for s in story.sources})
    score = 4 * math.log10(amount + 1) + 1.5 * outlets + 0.5 * math.log10(jobs + 1)
    return score * (0.6 if story.update_note else 1.0)


def _card_worthy(story: Story) -> bool:
    return story.amount is not None or story.jobs is not None or bool(story.figures)


def _split(stories: list[Story]) -> tuple[Story | None, list[Story], list[Story], list[Story]]:
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
    """Sum per currency as stated, the most frequent currency first."""
    sums: dict[str | None, list[float]] = defaultdict(list)
    quals: dict[str | None, set[str]] = defaultdict(set)
    for s in stories:
        if s.amount:
            sums[s.amount.currency].append(s.amount.value)
            quals[s.amount.currency].add(s.amount.qualifier)
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
    lead, investments, rounds, brief = _split(visible)
    with_amount = [s for s in visible if s.amount]
    podium = sorted(with_amount, key=lambda s: -s.amount.value)[:3] if with_amount else []
    out = Layout(
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
    )
    out.opening = wording.opening(out, edition.period_start, edition.period_end)
    return out


def _with_updates(stories: list[Story], sent_before: dict[str, Story]) -> list[Story]:
    """Stories already sent come back only with new facts, marked with what changed."""
    kept = []
    for story in stories:
        previous = sent_before.get(story.id)
        if previous is None:
            kept.append(story)
            continue
        note = update_note(previous, story)
        if note:
            kept.append(replace(story, update_note=note))
    return kept


def edition_id(period_end: datetime, config: Config) -> str:
    """The edition's date in the newsletter's time zone: 2024-05-21."""
    return period_end.astimezone(ZoneInfo(config.newsletter.timezone)).date().isoformat()


def compose(
    stories: list[Story],
    config: Config,
    *,
    number: int,
    period_start: datetime,
    period_end: datetime,
    created_at: datetime,
    sent_before: dict[str, Story],
) -> Edition:
    """Choose, order and title the stories of a period; raise EmptyEdition when none is sendable."""
    fresh = _with_updates(stories, sent_before)
    visible = sorted((s for s in fresh if not s.held_reason), key=importance, reverse=True)
    if not visible:
        raise EmptyEdition(
            f"no sendable story between {period_start:%Y-%m-%d} and {period_end:%Y-%m-%d}"
            f" ({len(stories)} found, {len(stories) - len(fresh)} already sent without news,"
            f" {len(fresh) - len(visible)} held back)"
        )
    lead, investments, rounds, brief = _split(visible)
    ordered = [lead, *investments, *rounds, *brief, *(s for s in fresh if s.held_reason)]
    edition = Edition(
        id=edition_id(period_end, config),
        number=number,
        period_start=period_start,
        period_end=period_end,
        created_at=created_at,
        state="draft" if config.schedule.require_approval else "approved",
        stories=ordered,
    )
    plan = layout(edition)
    edition.subject = wording.subject(plan)
    edition.preheader = wording.preheader(plan)
    return edition

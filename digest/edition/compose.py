"""Compose: the stories of a period become an edition (order, id, subject, preheader).

Pure functions over the dataclasses. A story sent before arrives here only with its update note
(the write stage says what changed); the bands are `layout`'s, the words `wording`'s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from digest.config import Config
from digest.edition import wording
from digest.edition.figureless import hold_figureless
from digest.edition.layout import bands, layout
from digest.edition.plausible import counted
from digest.models import Edition, Story


class EmptyEdition(ValueError):
    """No story may be sent: an edition with no story is not built."""


def importance(story: Story) -> float:
    """How prominent a story is: the stated amount first, then the outlets covering it, the jobs.

    Each tenfold of the amount weighs as much as about three more outlets, so a record
    investment leads the edition over a smaller one that created jobs; a doubtful amount
    (`plausible.doubt`: a misread unit, a summit total) weighs nothing."""
    amount = a.value if (a := counted(story)) else 0.0
    jobs = story.jobs.value if story.jobs else 0
    outlets = len({s.feed for s in story.sources})
    score = 4 * math.log10(amount + 1) + 1.5 * outlets + 0.5 * math.log10(jobs + 1)
    return score * (0.6 if story.update_note else 1.0)


@dataclass
class Choices:
    """What editors chose for an edition: the order of its stories and its lead (pinned "À la
    une"), and their own subject, preheader and opening line ("" keeps compose's)."""

    order: Sequence[str] = field(default_factory=list)
    lead: str | None = None
    subject: str = ""
    preheader: str = ""
    opening: str = ""


def arranged(visible: list[Story], choices: Choices) -> list[Story]:
    """The lead (the pinned one, else the most important), then the others in the editors'
    order; those they never placed come after, by importance. visible: by importance."""
    if not visible:
        return visible
    rank = {story_id: i for i, story_id in enumerate(choices.order)}
    lead = next((s for s in visible if s.id == choices.lead), visible[0])
    rest = sorted((s for s in visible if s is not lead), key=lambda s: rank.get(s.id, len(rank)))
    return [lead, *rest]


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
    choices: Choices | None = None,
) -> Edition:
    """Order and title the stories of a period as a draft; EmptyEdition when none is sendable."""
    choices = choices or Choices()
    stories = [s for s in stories if s.kind != "event"]  # news of a company, no investment
    placed = {*choices.order, *([choices.lead] if choices.lead else [])}
    stories = hold_figureless(stories, config.grouping.window_days, placed)
    visible = sorted((s for s in stories if not s.held_reason), key=importance, reverse=True)
    visible = arranged(visible, choices)
    if not visible:
        raise EmptyEdition(
            f"no sendable story between {period_start:%Y-%m-%d} and {period_end:%Y-%m-%d}"
            f" ({len(stories)} found, {len(stories) - len(visible)} held back)"
        )
    lead, investments, rounds, brief = bands(visible)
    assert lead is not None  # visible is not empty
    ordered = [lead, *investments, *rounds, *brief, *(s for s in stories if s.held_reason)]
    edition = Edition(
        id=edition_id(period_end, config),
        number=number,
        period_start=period_start,
        period_end=period_end,
        created_at=created_at,
        stories=ordered,
    )
    plan = layout(edition)
    opening = wording.opening(plan, period_start, period_end)
    edition.opening = choices.opening or opening
    edition.subject = choices.subject or wording.subject(plan)
    edition.preheader = choices.preheader or wording.preheader(plan, opening)
    return edition

"""Stories as the JSON of the `digest stories --json` contract (DESIGN.md), also stories.json."""

from __future__ import annotations

from typing import Any

from digest.codec import to_dict
from digest.models import Amount, Story


def _amount(amount: Amount | None) -> dict[str, Any] | None:
    if amount is None:
        return None
    stated = [amount.as_stated, *(e.as_stated for e in amount.equivalents)]
    value = int(amount.value) if float(amount.value).is_integer() else amount.value
    return {
        "value": value,
        "currency": amount.currency,
        "qualifier": amount.qualifier,
        "as_stated": [s for s in stated if s],
    }


def story_json(story: Story) -> dict[str, Any]:
    """One story in the contract's shape; unknown facts are null or [], never invented."""
    return {
        "id": story.id,
        "kind": story.kind,
        "headline": story.headline,
        "summary": story.summary,
        "investor": story.investor,
        "beneficiary": story.beneficiary,
        "investors": story.investors,
        "country": story.country,
        "locations": story.locations,
        "amount": _amount(story.amount),
        "jobs": None
        if story.jobs is None
        else {"value": story.jobs.value, "qualifier": story.jobs.qualifier},
        "timeframe": story.timeframe,
        "sector": story.sector,
        "event": story.event,
        "round": story.round,
        "figures": to_dict(story.figures),
        "conflicts": to_dict(story.conflicts),
        "held": story.held_reason,
        "update": story.update_note,
        "items": [
            {"url": s.url, "title": s.title, "feed": s.feed, "published": s.published.isoformat()}
            for s in story.sources
        ],
    }


def stories_json(stories: list[Story]) -> dict[str, Any]:
    return {"stories": [story_json(s) for s in stories]}

"""A story that is only recalled: on each of its pages another story's deal of the same actor
leads (a past round, a valuation, the plan of another country recalled beside this week's
news). It is held back, not shown as news: it has no page of its own."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from digest.group.fit import aka
from digest.language.fold import name_key
from digest.models import Item, Mention

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _actor(m: Mention) -> str | None:
    name = m.beneficiary or m.investor
    return name_key(name) if name else None


def in_title(m: Mention, title: str) -> bool:
    """Whether the page's title states the mention's amount (its first number)."""
    stated = _NUMBER.findall(m.amount.as_stated or "") if m.amount else []
    return bool(stated) and stated[0].replace(",", ".") in {
        n.replace(",", ".") for n in _NUMBER.findall(title or "")
    }


def lead(mentions: Sequence[Mention], actor: str, title: str) -> Mention | None:
    """The mention of an actor a page leads with: the largest amount its title states (a
    misread unit makes a small one), else the first telling the actor raising money, else the
    first (mentions in reading order). The others are background, or the same deal again."""
    theirs = [m for m in mentions if (a := _actor(m)) and aka(a, actor)]
    titled = [m for m in theirs if in_title(m, title)]
    if titled:
        return max(titled, key=lambda m: m.amount.value if m.amount else 0.0)
    raising = [m for m in theirs if m.beneficiary]
    found = raising or theirs
    return found[0] if found else None


def recalled_only(
    story_id: str,
    pairs: Sequence[tuple[Mention, Item]],
    neighbours: Mapping[int, Sequence[Mention]],
) -> str | None:
    """The actor when on each of the story's pages another story's mention of that actor leads
    (neighbours: the mentions of each item, in reading order); None when one page leads with
    this story."""
    said = None
    for mention, item in pairs:
        actor = _actor(mention)
        if actor is None or item.id is None or item.id not in neighbours:
            return None
        first = lead(neighbours[item.id], actor, item.title)
        if first is None or first.story_id == story_id:
            return None
        said = said or mention.beneficiary or mention.investor
    return said

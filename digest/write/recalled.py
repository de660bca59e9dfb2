"""A story that is only recalled: on each of its pages another story's deal of the same actor
leads (a past round, a valuation, the plan of another country recalled beside this week's
news). It is held back, not shown as news: it has no page of its own. So is a story
that only reads again, with another actor, the sum a page's title gives another story's actor
(the title names who makes the deal and states its figure; a unit or a person read in the body
beside the same figure is that deal again, not a second one).

Which of an actor's figures a page leads with: the one its title states, else one not told as
past by its own clause (a recall word or an earlier year beside the figure: "une seconde de 11
M€ en 2020, puis…"), the actor raising before the actor named otherwise, in reading order. The
actor is found in any role a mention gives it (a misread role does not hide the page's lead).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from digest.group.fit import aka, told, words_of
from digest.language.fold import name_key
from digest.models import Item, Mention
from digest.read.topics import past_dates, recalled
from digest.write.fusion import same_amount

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_REACH = 70  # characters before a figure that may hold its clause
_CLAUSE_END = re.compile(r"[,;:(]|\s[-–—]\s")
_FOUNDED = re.compile(  # a date of the company, not of its deal
    r"(?:depuis|fond[ée]e?s?|cr[ée]{2}e?s?|cr[ée]ation|n[ée]e?s?|founded|since|launched)"
    r"\s+(?:\S+\s+){0,2}?(?:19|20)\d\d",
    re.I,
)


def _actor(m: Mention) -> str | None:
    name = m.beneficiary or m.investor
    return name_key(name) if name else None


def _names(m: Mention) -> set[str]:
    """Every name a mention gives in a role: who raises, who invests, the investors named."""
    return {name_key(n) for n in (m.beneficiary, m.investor, *m.investors) if n} - {""}


def states_amount(m: Mention, text: str) -> bool:
    """Whether the text (a page's title, its lead) states the mention's amount (its first
    number)."""
    stated = _NUMBER.findall(m.amount.as_stated or "") if m.amount else []
    return bool(stated) and stated[0].replace(",", ".") in {
        n.replace(",", ".") for n in _NUMBER.findall(text or "")
    }


def clause(m: Mention) -> str:
    """The words of the clause the mention's amount stands in, the figure left out."""
    said = m.evidence.get("amount") or m.evidence.get("deal") or ""
    stated = m.amount.as_stated if m.amount else ""
    at = said.find(stated) if stated else -1
    if at < 0:
        return ""
    before = _CLAUSE_END.split(said[max(0, at - _REACH) : at])[-1]
    after = _CLAUSE_END.split(said[at + len(stated) : at + len(stated) + _REACH])[0]
    return f"{before} … {after}"


def told_past(m: Mention, published: datetime | None) -> bool:
    """The mention's figure is told as past by its own clause: a recall word, or a year before
    the page's (not the company's founding year)."""
    words = _FOUNDED.sub(" ", clause(m))
    if not words.strip(" …"):
        return False
    year, month = (published.year, published.month) if published else (None, None)
    return bool(recalled().search(words)) or past_dates(words, year, month)


def lead(
    mentions: Sequence[Mention], actor: str, title: str, published: datetime | None = None
) -> Mention | None:
    """The mention of an actor a page leads with: the largest amount its title states (a
    misread unit makes a small one), else the first not told as past, telling the actor
    raising money before the others (mentions in reading order). The others are background,
    or the same deal again."""
    theirs = [m for m in mentions if any(aka(n, actor) for n in _names(m))]
    titled = [m for m in theirs if states_amount(m, title)]
    if titled:
        return max(titled, key=lambda m: m.amount.value if m.amount else 0.0)
    now = [m for m in theirs if not told_past(m, published)] or theirs
    raising = [m for m in now if m.beneficiary and aka(name_key(m.beneficiary), actor)]
    found = raising or now
    return found[0] if found else None


def led_by_another(
    story_id: str, mention: Mention, item: Item, neighbours: Mapping[int, Sequence[Mention]]
) -> Mention | None:
    """The mention of another story of the same actor that leads the page; None when the page
    leads with this story, or tells no other story of its actor."""
    actor = _actor(mention)
    if actor is None or item.id is None or item.id not in neighbours:
        return None
    first = lead(neighbours[item.id], actor, item.title, item.published)
    return None if first is None or first.story_id == story_id else first


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
        if led_by_another(story_id, mention, item, neighbours) is None:
            return None
        said = said or mention.beneficiary or mention.investor
    return said


def titled_twin(
    m: Mention, item: Item, neighbours: Mapping[int, Sequence[Mention]]
) -> Mention | None:
    """Another story's mention of the page stating the mention's amount, which the title
    states, with its actor named in the title and the mention's own actor not."""
    title = words_of(item.title or "")
    if m.amount is None or item.id is None or _actor(m) is None or told(_actor(m), title):
        return None
    for o in neighbours.get(item.id, ()):
        if (
            o.story_id != m.story_id
            and o.amount is not None
            and same_amount(o.amount, m.amount)
            and states_amount(o, item.title)
            and (actor := _actor(o)) is not None
            and told(actor, title)
        ):
            return o
    return None


def read_twice(
    pairs: Sequence[tuple[Mention, Item]], neighbours: Mapping[int, Sequence[Mention]]
) -> str | None:
    """The titled actor when on each of the story's pages its figure is another story's deal
    named in the title (`titled_twin`); None when one page tells it otherwise."""
    said = None
    for mention, item in pairs:
        twin = titled_twin(mention, item, neighbours)
        if twin is None:
            return None
        said = said or twin.beneficiary or twin.investor
    return said

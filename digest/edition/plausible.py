"""Plausible amounts: whether a story's amount may count in the edition's total, podium, tables,
order and subject.

An amount is doubtful when the story's own evidence speaks against it:
- as stated: the words it was read from say another figure ("4 milliards" read as 4 000
  milliards: a unit misread);
- its sources: every other figure stated for the same deal (the other side of a conflict on the
  amount, the same amount in another currency) is more than AGREE times smaller;
- its kind: it is above the ceiling of data/ceilings.yaml for a story of its kind or round (a
  summit total, a valuation), whose reason is given.
A doubtful amount stays in its story's card, as its sources state it; the edition's figures
leave it out and the pre-flight checks list the story for the editor.
"""

from __future__ import annotations

from functools import cache, lru_cache

from digest.language import data, french
from digest.language.amounts import AGREE, COMPARABLE, parse_amount
from digest.models import Amount, Story


@cache
def ceilings() -> dict:
    return data.load("ceilings.yaml")


def _figure(value: float) -> str:
    """4 000 milliards, 45 millions: a value in the scale a misread is seen in (no "billions")."""
    for scale, word in ((1e9, "milliards"), (1e6, "millions")):
        if value >= scale:
            return f"{french.number(value / scale, 1)} {word}"
    return french.number(value, 0)


@lru_cache(maxsize=4096)
def _stated(words: str) -> tuple[float, ...]:
    """The values words state, read as French and as English ("4,300" is both)."""
    read = (parse_amount(words, lang) for lang in ("fr", "en"))
    return tuple(a.value for a in read if a and a.value)


def _as_stated(amount: Amount) -> str | None:
    """Why the value is not what its own words say ("4 milliards" read as 4 000 milliards)."""
    if not amount.as_stated:
        return None
    read = _stated(amount.as_stated)
    if not read or any(1 / AGREE <= amount.value / v <= AGREE for v in read):
        return None
    return f"la source écrit «\u202f{amount.as_stated}\u202f», lu {_figure(amount.value)}"


def _other_figures(story: Story) -> list[float]:
    """The other figures stated for the deal, in a comparable currency."""
    assert story.amount is not None
    out = [e.value for e in story.amount.equivalents if e.currency in COMPARABLE]
    for conflict in story.conflicts:
        if conflict.field == "amount.value":  # each side as written: "1,2 milliard d'euros"
            out += [read[0] for side in conflict.values if (read := _stated(side.value))]
    return [v for v in out if v > 0 and v != story.amount.value]


def _sources(story: Story) -> str | None:
    """Why the amount stands far above every other figure stated for the same deal."""
    assert story.amount is not None
    others = _other_figures(story)
    if not others or story.amount.value <= AGREE * max(others):
        return None
    ratio = story.amount.value / max(others)
    said = french.join([_figure(v) for v in sorted(set(others))])
    return f"{french.number(ratio, 0)} fois ce que disent ses autres sources ({said})"


def _ceiling(story: Story) -> str | None:
    """Why the amount is above what a story of its kind or round may state."""
    assert story.amount is not None
    if story.amount.currency not in COMPARABLE:
        return None
    table = ceilings()
    for limit in (table["rounds"].get(story.round or ""), table["kinds"].get(story.kind)):
        if limit and story.amount.value > float(limit["value"]):
            return f"au-dessus de {_figure(float(limit['value']))}\u202f: {limit['reason']}"
    return None


def doubt(story: Story) -> str | None:
    """Why the story's amount should not count in the edition's figures, or None."""
    if not story.amount or story.amount.value <= 0:
        return None
    return _as_stated(story.amount) or _sources(story) or _ceiling(story)


def counted(story: Story) -> Amount | None:
    """The story's amount when it may count in totals, podium, tables, order and subject."""
    return story.amount if story.amount and not doubt(story) else None

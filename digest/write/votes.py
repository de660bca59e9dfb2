"""Votes of independent outlets: who states a value, and which value most of them state.

A syndicated copy votes with its original (it is not a second witness), an outlet's latest item
is its word, ties go to `writing.source_priority`, then to the feed's priority.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from digest.language.fold import fold
from digest.models import Item, Mention
from digest.write.settings import WriteSettings

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Voice:
    """Who states a fact: key is the independent outlet (copies share their original's key)."""

    key: str
    outlet: str
    rank: tuple[int, int]  # lower is more trusted: (source_priority index, -feed priority)
    published: datetime
    lang: str = "fr"


@dataclass
class Claim:
    voice: Voice
    value: Any
    mention: Mention


@dataclass
class Side(Generic[K]):
    """One normalised value and the outlets that state it."""

    key: K
    claims: list[Claim]

    @property
    def voices(self) -> int:
        return len({c.voice.key for c in self.claims})

    @property
    def outlets(self) -> list[str]:
        """Who states it (copies included, by name), oldest first."""
        ordered = sorted(self.claims, key=lambda c: c.voice.published)
        return list(dict.fromkeys(c.voice.outlet for c in ordered))

    @property
    def spelling(self) -> Any:
        """The form French outlets write most, ties to a capitalised one, then the most trusted."""
        counts: dict[Any, int] = {}
        for c in self.claims:
            counts[c.value] = counts.get(c.value, 0) + 1

        def lower(v: Any) -> bool:
            return isinstance(v, str) and v == v.lower()

        ranked = sorted(
            self.claims,
            key=lambda c: (c.voice.lang != "fr", -counts[c.value], lower(c.value), c.voice.rank),
        )
        return ranked[0].value

    @property
    def best(self) -> Claim:
        return min(self.claims, key=lambda c: (c.voice.rank, c.voice.published))

    def order(self) -> tuple[Any, ...]:
        best = self.best
        return (-self.voices, best.voice.rank, best.voice.published, str(self.key))


def voices(pairs: list[tuple[Mention, Item]], settings: WriteSettings) -> list[Voice]:
    """One Voice per pair, aligned with pairs."""
    items = {i.id: i for _, i in pairs if i.id is not None}
    trusted = list(settings.source_priority)
    feed_priority = settings.feed_priority

    def root(item: Item) -> Item | None:
        seen = set()
        while item.duplicate_of is not None and item.id not in seen:
            seen.add(item.id)
            if item.duplicate_of not in items:
                return None
            item = items[item.duplicate_of]
        return item

    out = []
    for _, item in pairs:
        original = root(item)
        name = original.feed_name if original else item.feed_name
        key = fold(name) if original else f"item:{item.duplicate_of}"
        folded = fold(name)
        rank = (
            trusted.index(folded) if folded in trusted else len(trusted),
            -feed_priority.get(folded, 0),
        )
        out.append(Voice(key, item.feed_name, rank, item.published, item.lang))
    return out


def tally(claims: list[Claim], norm: Callable[[Any], K]) -> list[Side[K]]:
    """Sides best first; an outlet counts once, for the value of its latest item."""
    latest: dict[str, Claim] = {}
    for c in claims:
        held = latest.get(c.voice.key)
        if held is None or c.voice.published > held.voice.published:
            latest[c.voice.key] = c
    sides: dict[K, Side[K]] = {}
    for c in claims:
        if norm(c.value) != norm(latest[c.voice.key].value):
            continue  # the outlet said otherwise later: its earlier word is superseded
        sides.setdefault(norm(c.value), Side(norm(c.value), [])).claims.append(c)
    return sorted(sides.values(), key=Side.order)


def claims_of(pairs, vs, get: Callable[[Mention], Any]) -> list[Claim]:
    """A claim for each mention that states the fact get reads."""
    return [Claim(v, get(m), m) for (m, _), v in zip(pairs, vs, strict=True) if get(m)]

"""The topic words of digest/language/data/topics.yaml, compiled once: what an item is about when
it is not a new deal (an acquisition, results, an opening, a closure…), and the words that say
a deal is only recalled ("déjà", "avait levé", "récemment")."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from digest.language import data

_MONTH_NAMES = (
    ("janvier", "january"),
    ("février", "fevrier", "february"),
    ("mars", "march"),
    ("avril", "april"),
    ("mai", "may"),
    ("juin", "june"),
    ("juillet", "july"),
    ("août", "aout", "august"),
    ("septembre", "september"),
    ("octobre", "october"),
    ("novembre", "november"),
    ("décembre", "decembre", "december"),
)
_MONTH_NUMBER = {name: n for n, names in enumerate(_MONTH_NAMES, 1) for name in names}
_DATE = re.compile(rf"\b(?:({'|'.join(_MONTH_NUMBER)})\s+)?((?:19|20)\d\d)\b", re.I)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    alts = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(r"(?<![\w])(?:" + alts + r")(?![\w])", re.I)


@cache
def topics() -> dict[str, re.Pattern[str]]:
    """Topic name → one pattern matching any of its words."""
    return {k: _compile(v["patterns"]) for k, v in data.load("topics.yaml")["topics"].items()}


@cache
def recalled() -> re.Pattern[str]:
    """The words that say a deal is recalled, not announced."""
    return _compile(data.load("topics.yaml")["recalled"]["patterns"])


@cache
def announced() -> re.Pattern[str]:
    """The words that tell a deal as the page's news, not a project's cost told again."""
    return _compile(data.load("topics.yaml")["announced"]["patterns"])


@cache
def frames() -> re.Pattern[str]:
    """The words that, told by an amount, say it is no company's deal (a fund's, a state's aid)."""
    return _compile(data.load("topics.yaml")["frames"]["patterns"])


@lru_cache(maxsize=4096)
def topics_in(text: str) -> frozenset[str]:
    """The topics whose words occur in a text."""
    return frozenset(name for name, pattern in topics().items() if pattern.search(text))


def first_topic(text: str) -> tuple[int, str] | None:
    """The topic word that comes first in a text, with its offset."""
    hits = [(m.start(), k) for k, p in topics().items() if (m := p.search(text))]
    return min(hits) if hits else None


def past_dates(text: str, year: int | None, month: int | None = None) -> bool:
    """The text names a date before the page's own: an earlier year, or an earlier month of the
    same year ("en février 2024" on a page of May 2024)."""
    if year is None:
        return False
    for m in _DATE.finditer(text):
        y = int(m.group(2))
        if y < year:
            return True
        named = _MONTH_NUMBER.get(m.group(1).lower()) if m.group(1) else None
        if y == year and month is not None and named is not None and named < month - 1:
            return True
    return False

"""The role words of digest/language/data/roles.yaml, compiled once: which role (valuation,
past round, total, fund size, cited source…) the words around a figure or a name give it."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from digest.language import data


@cache
def roles() -> dict[str, re.Pattern[str]]:
    """Role name → one pattern matching any of its words (whole words, any case)."""
    found = {}
    for name, role in data.load("roles.yaml")["roles"].items():
        alts = "|".join(f"(?:{p})" for p in role["patterns"])
        found[name] = re.compile(r"(?<![\w])(?:" + alts + r")(?![\w])", re.I)
    return found


@lru_cache(maxsize=8192)
def found(text: str) -> frozenset[str]:
    """The roles whose words occur in a text (the same windows come back for every name)."""
    return frozenset(name for name, pattern in roles().items() if pattern.search(text))

"""The cue words of the actor model (digest/language/data/actor_cues.yaml), compiled once: what
the words right around a name say of it (a company described as one, where money goes, a
person's title, a heading, a web address, a verb of the deal)."""

from __future__ import annotations

import re
from functools import cache

from digest.language import data

WINDOW = 60  # characters looked at on each side of a name


@cache
def cues() -> dict[str, tuple[str, re.Pattern[str]]]:
    """Cue name → (window, one pattern matching any of its forms)."""
    found = {}
    for name, cue in data.load("actor_cues.yaml")["cues"].items():
        alts = "|".join(f"(?:{p})" for p in cue["patterns"])
        anchored = {"before": f"(?:{alts})$", "after": f"^(?:{alts})"}.get(cue["window"], alts)
        found[name] = (cue["window"], re.compile(anchored, re.I))
    return found


def around(text: str, start: int, end: int) -> frozenset[str]:
    """The cues of the name at text[start:end]."""
    before = text[max(0, start - WINDOW) : start]
    after = text[end : end + WINDOW]
    name = text[start:end]
    out = set()
    for cue, (window, pattern) in cues().items():
        if pattern.search({"before": before, "after": after}.get(window, name)):
            out.add(cue)
    return frozenset(out)

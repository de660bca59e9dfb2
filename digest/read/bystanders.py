"""Names a round's investors must not include: the company raising, a place, a cited newspaper
or agency, a public plan or programme, a person merely quoted, a common word taken for a name.
Judged from the role words (digest/language/data/roles.yaml) and actor cues (actor_cues.yaml)
around each time the item names it."""

from __future__ import annotations

import re

from digest.language.fold import fold
from digest.language.places import gazetteer
from digest.read.clauses import Sent
from digest.read.cues import around
from digest.read.deals import Assembler
from digest.read.roles import found

REACH = 30  # characters looked at before a name for a cited source
_REPORTS = re.compile(
    r"\s+(?:(?:a|ont|avait|avaient|had|has|have)\s+)?(?:rapport\w*|r[ée]v[èée]l\w*|reveal\w*|report\w*)\b",
    re.I,
)


def _cited(s: Sent, start: int, end: int) -> bool:
    """A source quoted ("selon X", "d'après X") or a wire credit or web address."""
    before = s.text[max(0, start - REACH) : start]
    return "source" in found(before) or "credit" in around(s.text, start, end)


def _reported(s: Sent, end: int) -> bool:
    """A newspaper reporting: "X rapporte", "X avait révélé", "X reported"."""
    return bool(_REPORTS.match(s.text[end : end + REACH]))


def _speaker(s: Sent, start: int, end: int, source: str) -> bool:
    """A person with a title ("son cofondateur X") or speaking ("X explique")."""
    if "person_title" in around(s.text, start, end):
        return True
    return source == "per" and "quote" in found(s.text[end : end + REACH])


def bystander(a: Assembler, name: str, company: str | None) -> bool:
    """Is this name no investor of the company's round, whatever words surround it?"""
    if company and fold(name) == fold(company):
        return True
    if no_firm(a, name):
        return True
    seen = [(s, o) for s in a.sents for o in s.orgs if o.name == name]
    return bool(seen) and all(
        a.is_common_name(o) for _, o in seen
    )  # "des venture capitalists (VC)"


def no_firm(a: Assembler, name: str) -> bool:
    """A place, a public plan, a cited source or a person speaking: never a party to a deal."""
    if gazetteer().lookup(name) is not None or "public_plan" in found(name):
        return True
    seen = [(s, o) for s in a.sents for o in s.orgs if o.name == name]
    if any(_cited(s, o.start, o.end) or _reported(s, o.end) for s, o in seen):
        return True
    return bool(seen) and all(_speaker(s, o.start, o.end, o.source) for s, o in seen)

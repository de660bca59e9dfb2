"""The form of a firm's name as read from a page (digest/language/data/name_form.yaml): a
picture's credit names no actor ("Crédits : DR", "Photo : Agence X"); a word that says the
firm's sector or stage before its name is no part of it ("FoodTech Brumel"), nor a nationality
adjective ("French Brumel") or a participle a glued heading put after it ("Brumel Soutenue")
when the page also names the firm alone; a name read twice in a row is one ("Brumel Brumel").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

from digest.language import data
from digest.language.fold import fold
from digest.language.lexicon import company_words
from digest.language.names import Org


@cache
def _table() -> dict:
    return data.load("name_form.yaml")


@cache
def _credit() -> re.Pattern[str]:
    """A credit's cue, then its earlier names each ended by a slash: the text before a name of
    the credit ends so."""
    cues = "|".join(f"(?:{c})" for c in _table()["credits"]["cues"])
    return re.compile(rf"(?:^|[\s(\[])(?:{cues})\s*:?\s*(?:[^/\n]{{0,40}}?/\s*)*$", re.I)


def in_credit(text: str, start: int) -> bool:
    """Whether the name starting at text[start] is a picture's credit (a photographer's, an
    agency's): right after a credit's cue, or after a slash of the same credit."""
    return bool(_credit().search(text[max(0, start - 120) : start]))


@cache
def _descriptor() -> re.Pattern[str]:
    alts = "|".join(f"(?:{d})" for d in _table()["descriptors"])
    return re.compile(rf"(?:{alts})", re.I)


@cache
def _nationalities() -> frozenset[str]:
    table = data.load("country_words.yaml")
    return frozenset(fold(w) for words in table.values() for w in words)


@cache
def _trailing() -> re.Pattern[str]:
    return re.compile(_table()["trailing"])


@cache
def _name_words() -> frozenset[str]:
    """Words that end organisations' names (company_words.yaml)."""
    words = company_words()
    return frozenset(fold(w) for w in (*words["name_endings"], *words["same_company_endings"]))


def _doubled(words: list[str]) -> list[str]:
    """'Brumel Brumel' → 'Brumel': a name whose two halves are the same words."""
    half = len(words) // 2
    if len(words) % 2 == 0 and half and words[:half] == words[half:]:
        return words[:half]
    return words


def tidied(
    name: str, alone: Iterable[str] = (), common: Callable[[str], bool] = lambda _w: True
) -> str:
    """The firm's name without what describes it. `alone`: the names the page gives elsewhere;
    `common`: whether the model knows a word in lower case (a participle, not a name)."""
    words = _doubled(name.split())
    named = {fold(n) for n in alone}
    if len(words) > 1 and words[1][:1].isupper():
        sector = bool(_descriptor().fullmatch(words[0]))
        nationality = fold(words[0]) in _nationalities()
        if sector or (nationality and fold(" ".join(words[1:])) in named):
            words = words[1:]
    if len(words) > 1 and fold(" ".join(words[:-1])) in named:
        last = words[-1]
        word = last.lower()
        if _trailing().fullmatch(word) and common(word) and fold(last) not in _name_words():
            words = words[:-1]
    return " ".join(words)


def tidy(orgs: list[Org], common: Callable[[str], bool], canonical: Callable[[str], str]) -> None:
    """Each name read from a page, tidied (`tidied`) against the page's other names; its
    offsets then point at the words kept."""
    alone = {o.name for o in orgs}
    for o in orgs:
        if o.source == "alias":
            continue
        name = tidied(o.name, alone - {o.name}, common)
        if name == o.name:
            continue
        at = o.surface.find(name)
        if at >= 0:
            o.start, o.end = o.start + at, o.start + at + len(name)
            o.surface = name
        o.name = canonical(name)

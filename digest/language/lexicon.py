"""The phrase patterns of digest/language/data/patterns.yaml, compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from digest.language import data

Pattern = re.Pattern[str]


def words(items: list[str]) -> Pattern:
    """Any of the phrases, as whole words, ignoring case."""
    alts = "|".join(f"(?:{i})" for i in items)
    return re.compile(r"(?<![\w])(?:" + alts + r")(?:(?<=['’])|(?![\w]))", re.I)


def stems(items: list[str]) -> Pattern:
    """Any of the phrases where a word ends, wherever it starts (noun stems such as "emploi")."""
    return re.compile(r"(?:" + "|".join(items) + r")(?![\w])", re.I)


def ending(items: list[str]) -> Pattern:
    """Any of the phrases at the end of a text (the words just before something)."""
    return re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{i})" for i in items) + r")\s*$", re.I)


def starting(items: list[str]) -> Pattern:
    """Any of the phrases at the start of a text (the words just after something)."""
    return re.compile(r"^\s*(?:" + "|".join(f"(?:{i})" for i in items) + r")", re.I)


@dataclass(frozen=True)
class Lexicon:
    investment_verbs: Pattern
    investment_nouns: Pattern
    build: Pattern
    site_nouns: Pattern
    receive: Pattern
    funding_verbs: Pattern
    funding_nouns: Pattern
    rounds: tuple[tuple[str, Pattern], ...]
    lead_after: Pattern
    others_after: Pattern
    lead_before: Pattern
    others_before: Pattern
    this_round: Pattern
    job_verbs: Pattern
    job_nouns: Pattern
    people_nouns: Pattern
    headcount: Pattern
    earlier: Pattern
    figures: tuple[tuple[str, Pattern, Pattern | None], ...]
    not_before: Pattern
    not_after: Pattern
    aggregate: Pattern
    part_before: Pattern
    part_after: Pattern
    place_cue: Pattern
    venue: Pattern
    anaphor: Pattern
    site: Pattern
    home: Pattern
    timeframe: Pattern
    events: tuple[tuple[str, Pattern], ...]
    sectors: tuple[tuple[str, Pattern], ...]


@cache
def company_words() -> dict[str, list[str]]:
    """The word lists of data/company_words.yaml."""
    return data.load("company_words.yaml")


def capitalised(items: list[str]) -> str:
    """Any of the words as written (case matters), as a regex alternative ending a word."""
    return "(?:" + "|".join(map(re.escape, sorted(items, key=len, reverse=True))) + r")\b"


@cache
def fund_name() -> Pattern:
    """A fund's name: one of the fund words of data/company_words.yaml in it, as written
    ("Orme Capital", "Kestrel Ventures")."""
    return re.compile(r"\b" + capitalised(company_words()["fund_words"]))


@cache
def patterns() -> dict:
    """The patterns file as data."""
    return data.load("patterns.yaml")


@cache
def round_words() -> dict[str, list[dict]]:
    """The entries of data/round_words.yaml by group, each with patterns, examples and not."""
    return data.load("round_words.yaml")


def _more(group: str) -> list[str]:
    """The patterns round_words.yaml adds to a group."""
    return [p for entry in round_words().get(group, []) for p in entry["patterns"]]


@cache
def lexicon() -> Lexicon:
    d = patterns()
    inv, fund, jobs, ri, nd = (
        d["investment"],
        d["funding"],
        d["jobs"],
        d["round_investors"],
        d["not_a_deal"],
    )
    return Lexicon(
        investment_verbs=words(inv["verbs"]),
        investment_nouns=words(inv["nouns"]),
        build=words(inv["build"]),
        site_nouns=words(inv["site_nouns"]),
        receive=words(inv["receive"]),
        funding_verbs=words(fund["verbs"]),
        funding_nouns=words(fund["nouns"]),
        rounds=tuple((name, words(ps)) for name, ps in d["rounds"].items()),
        lead_after=words(ri["lead"] + _more("lead")),
        others_after=words(ri["others"] + _more("others")),
        lead_before=words(ri["lead_before"] + _more("lead_before")),
        others_before=words(ri["others_before"] + _more("others_before")),
        this_round=words(_more("this_round")),
        job_verbs=words(jobs["verbs"]),
        job_nouns=stems(jobs["nouns"]),
        people_nouns=stems(jobs["people"]),
        headcount=words(jobs["headcount"]),
        earlier=words(jobs["earlier"]),
        figures=tuple(
            (
                kind,
                stems(f["nouns"]),
                words(f["cues"]) if f.get("cues") else None,
            )
            for kind, f in d["figures"].items()
        ),
        not_before=words(nd["before"]),
        not_after=starting(nd["after"]),
        aggregate=words(nd["aggregate_sentence"]),
        part_before=ending(d["part"]["before"]),
        part_after=starting(d["part"]["after"]),
        place_cue=ending(d["place_cues"]),
        venue=words(d["venue_cues"]),
        anaphor=words(d["anaphors"]),
        site=words(d["site_words"]),
        home=words(d["home_cues"]),
        timeframe=words(d["timeframe"]),
        events=tuple((name, words(ps)) for name, ps in d["events"].items()),
        sectors=tuple((name, words(ps)) for name, ps in d["sectors"].items()),
    )

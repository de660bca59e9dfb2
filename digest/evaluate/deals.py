"""The facts of a story against a gold announcement of the real-news corpus, field by field.

Company: the story's investor or beneficiary names the gold company (folded, through the alias
table; a parenthesised acronym such as "(ACC)" counts as a name; the words after a dash are a
gloss, not a name). Amount within 2 % (its equivalent in the gold currency, or a value the story
shows as a disagreement, also counts); currency; round; lead investor (the first gold investor
against the story's first investor, else its investor); jobs within 5 %.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from digest.language.amounts import parse_amount
from digest.language.fold import fold
from digest.language.names import load_aliases
from digest.models import Story

FIELDS = ("company", "amount", "currency", "round", "lead investor", "jobs")
AMOUNT_TOLERANCE = 0.02
JOBS_TOLERANCE = 0.05
ROUNDS = {"dette": "debt", "croissance": "growth", "pre_seed": "pre-seed"}  # ours → gold's
_GLOSS = re.compile(r"\s+[—–]\s+.*$|\s+-\s+.*$")
_PARENS = re.compile(r"\s*\(([^)]*)\)")
_WORD = re.compile(r"[a-z0-9]+")


def words(name: str) -> list[str]:
    """A name as folded words, through the alias table: 'Amazon Web Services' → ['amazon']."""
    return _WORD.findall(fold(load_aliases().name(name)))


def gold_names(company: str) -> list[list[str]]:
    """The names a gold company goes by: the name without its gloss (after a dash) or its
    parentheses, and a parenthesised one-word acronym ("(ACC)"; not "(groupe Bolloré)")."""
    head = _GLOSS.sub("", company).strip()
    names = [_PARENS.sub("", head).strip()]
    names += [inside for inside in _PARENS.findall(head) if len(inside.split()) == 1]
    return [w for w in map(words, names) if w]


def _within(short: list[str], long: list[str]) -> bool:
    """The words of one name are a run of the other's (and not a lone short word)."""
    n = len(short)
    if n == 0 or (n == 1 and len(short[0]) < 4):
        return False
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def same_company(name: str | None, company: str | None) -> bool:
    """Does a name the story gives stand for the gold company?"""
    if not name or not company:
        return False
    mine = words(name)
    for theirs in gold_names(company):
        if "".join(mine) == "".join(theirs) or _within(mine, theirs) or _within(theirs, mine):
            return True
    return False


def close(got: float | None, expected: float, tolerance: float) -> bool:
    return got is not None and abs(got - expected) <= tolerance * abs(expected)


def story_amounts(story: Story) -> list[tuple[float, str | None]]:
    """Every (value, currency) the story states for its deal: the amount, its equivalents,
    and the values it shows as a disagreement between outlets."""
    if story.amount is None:
        return []
    found = [(story.amount.value, story.amount.currency)]
    found += [(e.value, e.currency) for e in story.amount.equivalents]
    for conflict in story.conflicts:
        if conflict.field == "amount.value":
            for side in conflict.values:
                said = parse_amount(side.value)
                if said is not None:
                    found.append((said.value, said.currency))
    return found


def lead(story: Story) -> str | None:
    return story.investors[0] if story.investors else story.investor


def expected(cluster: dict[str, Any]) -> dict[str, Any]:
    """The gold value of each field (None: the gold states none, the field is not scored)."""
    amount = cluster.get("amount") or {}
    return {
        "company": cluster.get("company"),
        "amount": amount.get("value"),
        "currency": amount.get("currency"),
        "round": cluster.get("round"),
        "lead investor": (cluster.get("investors") or [None])[0],
        "jobs": cluster.get("jobs"),
    }


def got(story: Story | None) -> dict[str, Any]:
    """What the story says for each field, as printed in a report."""
    if story is None:
        return dict.fromkeys(FIELDS)
    actors = " / ".join(x for x in (story.investor, story.beneficiary) if x) or None
    return {
        "company": actors,
        "amount": story.amount.value if story.amount else None,
        "currency": story.amount.currency if story.amount else None,
        "round": ROUNDS.get(story.round or "", story.round),
        "lead investor": lead(story),
        "jobs": story.jobs.value if story.jobs else None,
    }


def right(name: str, story: Story | None, cluster: dict[str, Any]) -> bool:
    """Is the story right on one field of the announcement? (Only asked when gold has a value.)"""
    want = expected(cluster)[name]
    if story is None:
        return False
    if name == "company":
        return any(same_company(x, want) for x in (story.investor, story.beneficiary))
    if name == "amount":
        currency = expected(cluster)["currency"]
        return any(
            close(value, want, AMOUNT_TOLERANCE) and (n == 0 or cur in (currency, None))
            for n, (value, cur) in enumerate(story_amounts(story))
        )
    if name == "currency":
        return story.amount is not None and story.amount.currency == want
    if name == "round":
        return got(story)["round"] == want
    if name == "lead investor":
        return same_company(lead(story), want)
    return close(got(story)["jobs"], want, JOBS_TOLERANCE)


def right_deal(story: Story, cluster: dict[str, Any]) -> bool:
    """A right deal: right company and, when the gold states one, right amount."""
    return right("company", story, cluster) and (
        cluster.get("amount") is None or right("amount", story, cluster)
    )


def best_story(
    cluster: dict[str, Any], stories: list[Story], members: dict[str, set[str]]
) -> Story | None:
    """The story sharing most of the announcement's articles; among equals (a round-up's
    stories share its page), the one naming its company, then its amount, then the tightest."""
    articles = set(cluster["articles"])

    def rank(s: Story) -> tuple[int, bool, bool, float, str]:
        mine = members.get(s.id, set())
        shared = len(mine & articles)
        return (
            shared,
            right("company", s, cluster),
            cluster.get("amount") is not None and right("amount", s, cluster),
            shared / len(mine | articles),
            s.id,
        )

    ranked = [(rank(s), s) for s in stories if members.get(s.id, set()) & articles]
    return max(ranked, key=lambda r: r[0])[1] if ranked else None


@dataclass
class Scored:
    """One announcement's facts as the story that best matches it tells them."""

    cluster: str
    story: str | None
    right: dict[str, bool] = field(default_factory=dict)  # the fields gold states only
    got: dict[str, Any] = field(default_factory=dict)
    expected: dict[str, Any] = field(default_factory=dict)


def score(
    clusters: list[dict[str, Any]], stories: list[Story], members: dict[str, set[str]]
) -> list[Scored]:
    out = []
    for cluster in clusters:
        story = best_story(cluster, stories, members)
        want = expected(cluster)
        out.append(
            Scored(
                cluster["id"],
                story.id if story else None,
                {f: right(f, story, cluster) for f in FIELDS if want[f] is not None},
                got(story),
                want,
            )
        )
    return out


@dataclass(frozen=True)
class Share:
    right: int
    n: int

    @property
    def value(self) -> float:
        return self.right / self.n if self.n else 0.0

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.right}/{self.n})"


def shares(scored: list[Scored], only: Collection[str] | None = None) -> dict[str, Share]:
    """Per field: right / announcements whose gold states it (only: these announcements)."""
    rows = [s for s in scored if only is None or s.cluster in only]
    return {
        f: Share(sum(r.right[f] for r in rows if f in r.right), sum(f in r.right for r in rows))
        for f in FIELDS
    }

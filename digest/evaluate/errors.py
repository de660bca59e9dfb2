"""The errors of the real-news evaluation sorted into the classes of issue 13, by simple rules
over the gold (no article text is printed: ids, the field, what was got and what was expected).

- wrong actor: the company or the lead investor is another name;
- background figure: the amount, currency, jobs or round is another figure (another
  announcement's amount is said so), i.e. a past round, a valuation, a total…;
- related read as deal: a page about a `related` announcement gives a deal mention (an event's
  is none; nor is a deal the gold says the page reports too);
- language: an amount off by a power of 1 000, or any error on a story told only by pages not in
  French;
- missed construction: no story for the announcement, or the story lacks the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from digest.evaluate.deals import AMOUNT_TOLERANCE, Scored, close, same_company
from digest.evaluate.news import DEALS, NewsCorpus
from digest.evaluate.replay import Replay
from digest.models import Mention

CLASSES = (
    "wrong actor",
    "background figure",
    "related read as deal",
    "language",
    "missed construction",
)


def number(value: float) -> str:
    """1500000000.0 → '1 500 000 000': figures as an editor reads them."""
    return f"{value:,.0f}".replace(",", "\u202f")


@dataclass(frozen=True)
class Error:
    kind: str
    cluster: str
    field: str
    got: Any
    expected: Any
    story: str | None
    detail: str = ""
    weight: int = 1  # pages of the announcement: how visible the error is


def thousandfold(got: float, want: float) -> bool:
    """Off by a power of 1 000: "billion" read as a French "billion" (10^12), or the reverse."""
    if got <= 0 or want <= 0:
        return False
    power = math.log10(got / want) / 3
    return round(power) != 0 and abs(power - round(power)) < 0.01


def _other_amount(got: float, s: Scored, corpus: NewsCorpus, run: Replay) -> str | None:
    """Another announcement told or recalled on the story's pages whose gold amount this is
    (same currency when both are known)."""
    pages = run.members.get(s.story or "", set())
    for c in corpus.clusters.values():
        amount = c.get("amount") or {}
        if (
            c["id"] == s.cluster
            or not amount
            or s.got["currency"] not in (amount["currency"], None)
        ):
            continue
        if pages & {*c["articles"], *c["passing_mentions"]} and close(
            got, amount["value"], AMOUNT_TOLERANCE
        ):
            return c["id"]
    return None


def _foreign(story: str | None, run: Replay, corpus: NewsCorpus) -> bool:
    pages = run.members.get(story or "", set())
    return bool(pages) and all(corpus.articles[a].language != "fr" for a in pages)


def classify(s: Scored, name: str, corpus: NewsCorpus, run: Replay) -> Error:
    """The class of one wrong field of one announcement."""
    got, want = s.got[name], s.expected[name]
    weight = len(corpus.clusters[s.cluster]["articles"])

    def error(kind: str, detail: str = "") -> Error:
        return Error(
            kind=kind,
            cluster=s.cluster,
            field=name,
            got=got,
            expected=want,
            story=s.story,
            detail=detail,
            weight=weight,
        )

    if s.story is None:
        return error("missed construction", "no story holds its pages")
    if name == "amount" and got is not None and thousandfold(got, want):
        return error("language", f"×{got / want:g}")
    if _foreign(s.story, run, corpus):
        return error("language", "told only by pages not in French")
    if got is None:
        return error("missed construction", "the story has none")
    if name in ("company", "lead investor"):
        return error("wrong actor")
    other = _other_amount(got, s, corpus, run) if name == "amount" else None
    return error("background figure", f"the amount of {other}" if other else "")


def field_errors(scored: list[Scored], corpus: NewsCorpus, run: Replay) -> list[Error]:
    return [
        classify(s, name, corpus, run) for s in scored for name, ok in s.right.items() if not ok
    ]


def reports(m: Mention, cluster: dict[str, Any]) -> bool:
    """Whether a deal mention is this announcement: its company, and its amount (±2 %)."""
    if not any(same_company(n, cluster["company"]) for n in (m.beneficiary, m.investor)):
        return False
    want = cluster.get("amount")
    return want is None or (
        m.amount is not None and close(m.amount.value, want["value"], AMOUNT_TOLERANCE)
    )


def stray_deals(corpus: NewsCorpus, run: Replay, page: str) -> list[Mention]:
    """The deal mentions of a related page, but those of a deal the gold says the page reports
    as news too (its `mentions`: a new workshop announced at an inauguration)."""
    listed = [corpus.clusters[c] for c in corpus.labels[page].get("mentions") or []]
    listed = [c for c in listed if c["kind"] in DEALS]
    return [m for m in run.deal_mentions(page) if not any(reports(m, c) for c in listed)]


def related_errors(corpus: NewsCorpus, run: Replay) -> list[Error]:
    """Pages about a related announcement that gave a deal mention (not one it reports)."""
    out = []
    for page in corpus.related_pages():
        for m in stray_deals(corpus, run, page):
            who = " / ".join(x for x in (m.investor, m.beneficiary) if x) or "?"
            amount = (
                f" {number(m.amount.value)} {m.amount.currency or ''}".rstrip() if m.amount else ""
            )
            cluster = corpus.labels[page]["primary"]
            out.append(
                Error(
                    kind="related read as deal",
                    cluster=cluster,
                    field="mention",
                    got=f"{who}{amount}",
                    expected="no deal",
                    story=m.story_id,
                    detail=f"page {page}",
                )
            )
    return out


def by_class(errors: list[Error]) -> dict[str, list[Error]]:
    """Errors per class, the most visible (announcements told by most pages) first."""
    found: dict[str, list[Error]] = {k: [] for k in CLASSES}
    for e in errors:
        found[e.kind].append(e)
    for kind in found:
        found[kind].sort(key=lambda e: (-e.weight, e.cluster, e.field))
    return found

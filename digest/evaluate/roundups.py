"""`python -m digest.evaluate.roundups`: the deals of pages that report several, read one by one.

A page of the real-news corpus that reports two announcements or more (a round-up, a week's
summary, an article on one deal that lists others as news) must give one mention per deal it
lists, with the right company and amount (the company's name, the amount within 2 %), so that
the page joins each deal's story; nothing else on it may become a deal (the page's total, the
outlet taken as a company, a valuation). Printed: per page, the deals gold lists and the
mentions read; over all such pages, the precision of the mentions (right company and amount)
and the recall of the listed deals.

`--cv`: the read scorer of each fold is trained on the other folds' pages, and each page is read
by the scorer of the fold of the announcement it is about (train.py, folds.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from digest.evaluate import folds, train
from digest.evaluate.deals import AMOUNT_TOLERANCE, close, same_company
from digest.evaluate.news import NewsCorpus, corpus_for
from digest.language.amounts import parse_amount
from digest.models import Mention

Deal = dict[str, Any]


def several(corpus: NewsCorpus) -> list[str]:
    """The pages that report two announcements or more as news (`primary` and `mentions`)."""
    return sorted(
        a
        for a, label in corpus.labels.items()
        if len([x for x in [label.get("primary"), *(label.get("mentions") or [])] if x]) >= 2
    )


def amounts(m: Mention) -> list[float]:
    if m.amount is None:
        return []
    return [m.amount.value, *(e.value for e in m.amount.equivalents)]


def stated(deal: Deal) -> list[float]:
    """The deal's amount and every form the pages state it in (another currency, rounded)."""
    amount = deal.get("amount") or {}
    if amount.get("value") is None:
        return []
    said = [parse_amount(x) for x in amount.get("as_stated") or []]
    return [amount["value"], *(x.value for x in said if x is not None)]


def matches(m: Mention, deal: Deal) -> bool:
    """The mention names the deal's company and, when gold states one, its amount (as one of
    the pages states it: "473 M€" for a round of 555 M$ is that round)."""
    if not any(same_company(x, deal["company"]) for x in (m.investor, m.beneficiary)):
        return False
    gold = stated(deal)
    return not gold or any(close(v, g, AMOUNT_TOLERANCE) for v in amounts(m) for g in gold)


@dataclass
class PageScore:
    page: str
    deals: list[str]  # the companies of the deals gold lists
    found: list[str]  # those a right mention gives
    mentions: list[str]  # every mention read, "investor>beneficiary amount"
    right: int  # mentions that are one of the listed deals
    wrong: list[str] = field(default_factory=list)  # the others, as above


def _said(m: Mention) -> str:
    amount = f"{m.amount.value / 1e6:g} M" if m.amount else "—"
    return f"{m.investor or '—'}>{m.beneficiary or '—'} {amount}"


def score_page(page: str, deals: list[Deal], mentions: list[Mention]) -> PageScore:
    found = [d["company"] for d in deals if any(matches(m, d) for m in mentions)]
    right = [m for m in mentions if any(matches(m, d) for d in deals)]
    return PageScore(
        page,
        [d["company"] for d in deals],
        found,
        [_said(m) for m in mentions],
        len(right),
        [_said(m) for m in mentions if m not in right],
    )


@dataclass(frozen=True)
class Totals:
    precision: float
    recall: float
    right: int
    read: int
    found: int
    listed: int


def totals(scores: Iterable[PageScore]) -> Totals:
    scores = list(scores)
    right = sum(s.right for s in scores)
    read = sum(len(s.mentions) for s in scores)
    found = sum(len(s.found) for s in scores)
    listed = sum(len(s.deals) for s in scores)
    return Totals(
        right / read if read else 0.0, found / listed if listed else 0.0, right, read, found, listed
    )


def read_pages(corpus: NewsCorpus, pages: list[str]) -> dict[str, list[Mention]]:
    """What the reader (with the scorer in use) finds on some pages of the corpus."""
    from digest.read.reader import Reader

    items = train.news_pages(corpus)
    found = Reader().read_many([items[p].item for p in pages])
    return dict(zip(pages, found, strict=True))


def evaluate(corpus: NewsCorpus, cv: bool = False) -> list[PageScore]:
    """The score of every page that reports several deals."""
    pages = several(corpus)
    mentions = _held_out(corpus, pages) if cv else read_pages(corpus, pages)
    items = train.news_pages(corpus)
    return [score_page(p, items[p].deals, mentions[p]) for p in pages]


def _held_out(corpus: NewsCorpus, pages: list[str]) -> dict[str, list[Mention]]:
    """Each page read by a scorer trained without the fold of the announcement it is about."""
    rows = train.all_rows(corpus)
    out: dict[str, list[Mention]] = {}
    for fold in folds.folds(corpus.clusters):
        mine = [p for p in pages if corpus.about(p) in fold.test]
        if not mine:
            continue
        with train.scorer_in_use(
            train.fit(rows, without=fold.articles(corpus.clusters, held=True))
        ):
            out |= read_pages(corpus, mine)
    return out


def text(scores: list[PageScore]) -> list[str]:
    lines = []
    for s in scores:
        missed = [d for d in s.deals if d not in s.found]
        lines.append(
            f"{s.page}  deals {len(s.found)}/{len(s.deals)}  mentions {s.right}/{len(s.mentions)}"
        )
        if missed:
            lines.append(f"    missed: {', '.join(missed)}")
        if s.wrong:
            lines.append(f"    wrong:  {'; '.join(s.wrong)}")
    t = totals(scores)
    lines += [
        "",
        f"pages reporting several deals: {len(scores)}",
        f"  mention precision {t.precision:.3f}  ({t.right}/{t.read} mentions are a listed deal)",
        f"  deal recall       {t.recall:.3f}  ({t.found}/{t.listed} listed deals read)",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eval-roundups", description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="read each page with a held-out scorer")
    args = parser.parse_args(argv)
    corpus = corpus_for("eval-roundups", optional=True)
    if corpus is None:
        return 0
    print("\n".join(text(evaluate(corpus, args.cv))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make eval-read`: precision and recall of the read stage per field on the labelled corpus.

Within an item, predicted mentions are paired with gold ones by who (investor, or the company
raising) then amount. A field counts on both sides when it is stated: a predicted value is
right when its paired gold mention has the same (names and places compared folded, amounts
within 1 % and by currency); places are scored as sets of place names. An item is read
entirely right when every mention is found, none is invented and every field agrees.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from digest.evaluate.corpus import GoldItem, load_corpus
from digest.language.fold import name_key
from digest.language.places import gazetteer
from digest.models import DEAL_KINDS, Mention

FIELDS = (
    "mention",
    "investor",
    "beneficiary",
    "investors",
    "amount",
    "currency",
    "qualifier",
    "jobs",
    "places",
    "country",
    "timeframe",
    "round",
)
SCORED: tuple[str, ...]
SCORED = ("investor", "beneficiary", "amount", "currency", "qualifier", "jobs", "places")
SCORED += ("timeframe", "round")


@dataclass
class Tally:
    said: int = 0  # predicted values
    true: int = 0  # gold values
    right: int = 0  # predicted values that are right
    found: int = 0  # gold values that were found

    @property
    def precision(self) -> float:
        return self.right / self.said if self.said else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.true if self.true else 1.0


@dataclass
class Scores:
    tallies: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    items: int = 0
    items_right: int = 0
    errors: list[tuple[set[str], str]] = field(default_factory=list)  # fields wrong, description

    @property
    def all_right(self) -> float:
        return self.items_right / self.items if self.items else 0.0

    def table(self) -> str:
        lines = [f"{'field':<12} {'precision':>9} {'recall':>7} {'said':>5} {'true':>5}"]
        for name in FIELDS:
            t = self.tallies[name]
            lines.append(f"{name:<12} {t.precision:>9.3f} {t.recall:>7.3f} {t.said:>5} {t.true:>5}")
        lines.append(
            f"items read entirely right: {self.items_right}/{self.items} ({self.all_right:.3f})"
        )
        return "\n".join(lines)


def norm(text: str | None) -> str | None:
    return name_key(text) if text else None


def place(text: str) -> str:
    return name_key(gazetteer().canonical(text))


def timeframe(text: str | None) -> str | None:
    if not text:
        return None
    k = name_key(text).replace("d'ici a ", "d'ici ").replace("la fin de l'annee ", "fin ")
    return k.replace("la fin ", "fin ").replace("fin de ", "fin ")


def _actor(m: Mention) -> str | None:
    return norm(m.investor if m.kind == "investment" else m.beneficiary) or norm(m.beneficiary)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b))


def _values(m: Mention) -> dict[str, Any]:
    """The comparable value of each field (None when the mention does not state it)."""
    a = m.amount
    return {
        "investor": norm(m.investor) if m.kind == "investment" else None,
        "beneficiary": norm(m.beneficiary),
        "amount": a.value if a else None,
        "currency": a.currency if a else None,
        "qualifier": a.qualifier if a else None,
        "jobs": (m.jobs.value, m.jobs.qualifier) if m.jobs else None,
        "country": norm(gazetteer().canonical(m.country)) if m.country else None,
        "timeframe": timeframe(m.timeframe),
        "round": m.round,
    }


def _same(name: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    return _close(a, b) if name == "amount" else a == b


def pair(gold: list[Mention], said: list[Mention]) -> list[tuple[Mention | None, Mention | None]]:
    """Gold and predicted mentions of one item, paired by who then amount (greedy)."""
    scored = []
    for i, g in enumerate(gold):
        for j, p in enumerate(said):
            who = _actor(g) is not None and _actor(g) == _actor(p)
            much = bool(g.amount and p.amount and _close(g.amount.value, p.amount.value))
            jobs = bool(g.jobs and p.jobs and g.jobs.value == p.jobs.value)
            if who or (much and g.kind == p.kind):
                scored.append((2 * who + much + 0.5 * jobs + 0.25 * (g.kind == p.kind), i, j))
    scored.sort(reverse=True)
    used_g, used_p = set(), set()
    pairs: list[tuple[Mention | None, Mention | None]] = []
    for _, i, j in scored:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((gold[i], said[j]))
    pairs += [(g, None) for i, g in enumerate(gold) if i not in used_g]
    pairs += [(None, p) for j, p in enumerate(said) if j not in used_p]
    return pairs


def score_item(scores: Scores, gold: GoldItem, said: list[Mention]) -> None:
    said = [m for m in said if m.kind in DEAL_KINDS]  # the set labels deals, not events
    t = scores.tallies
    ok = True
    for g, p in pair(gold.mentions, said):
        t["mention"].said += p is not None
        t["mention"].true += g is not None
        t["mention"].right += g is not None and p is not None
        t["mention"].found += g is not None and p is not None
        ok &= g is not None and p is not None
        gv = _values(g) if g else {}
        pv = _values(p) if p else {}
        for name in ("investor", "beneficiary", "amount", "currency", "qualifier", "jobs"):
            ok &= _field(t[name], gv.get(name), pv.get(name), name) or name not in SCORED
        for name in ("country", "timeframe", "round"):
            ok &= _field(t[name], gv.get(name), pv.get(name), name) or name not in SCORED
        gp = {place(x) for x in (g.places if g else [])}
        pp = {place(x) for x in (p.places if p else [])}
        ok &= _sets(t["places"], gp, pp)
        gi = {norm(x) for x in (g.investors if g else [])}
        pi = {norm(x) for x in (p.investors if p else [])}
        _sets(t["investors"], gi, pi)
        wrong = {n for n in gv.keys() | pv.keys() if gv.get(n) != pv.get(n)}
        wrong |= {"places"} if gp != pp else set()
        wrong |= {"investors"} if gi != pi else set()
        wrong |= {"mention"} if g is None or p is None else set()
        if wrong:
            scores.errors.append((wrong, _describe(gold, g, p)))
    scores.items += 1
    scores.items_right += ok


def _field(t: Tally, g: Any, p: Any, name: str) -> bool:
    t.said += p is not None
    t.true += g is not None
    same = _same(name, g, p)
    t.right += same
    t.found += same
    return same or (g is None and p is None)


def _sets(t: Tally, g: set[Any], p: set[Any]) -> bool:
    t.said += len(p)
    t.true += len(g)
    t.right += len(p & g)
    t.found += len(p & g)
    return g == p


def _describe(gold: GoldItem, g: Mention | None, p: Mention | None) -> str:
    def show(m: Mention | None) -> str:
        if m is None:
            return "—"
        a = m.amount
        money = f"{a.value:g} {a.currency} {a.qualifier}" if a else None
        jobs = f"{m.jobs.value} {m.jobs.qualifier}" if m.jobs else None
        return (
            f"{m.kind} inv={m.investor} ben={m.beneficiary} invs={m.investors} amount={money} "
            f"jobs={jobs} country={m.country} places={m.places} tf={m.timeframe} round={m.round}"
        )

    return f"{gold.item.guid} ({gold.source})\n  gold: {show(g)}\n  read: {show(p)}"


def evaluate(reader: Any = None, items: Sequence[GoldItem] | None = None) -> Scores:
    """Read every labelled item and score the mentions against the gold ones."""
    from digest.read.reader import Reader

    reader = reader or Reader()
    items = list(items) if items is not None else load_corpus().items
    said = reader.read_many([g.item for g in items])
    scores = Scores()
    for gold, found in zip(items, said, strict=True):
        score_item(scores, gold, found)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print every mention read wrong")
    parser.add_argument("--only", help="read only the items whose id starts with this")
    parser.add_argument(
        "--field", choices=FIELDS, help="with --errors: only mistakes on this field"
    )
    args = parser.parse_args(argv)
    items = load_corpus().items
    if args.only:
        items = [g for g in items if g.item.guid.startswith(args.only)]
    scores = evaluate(items=items)
    if args.errors:
        shown = [text for wrong, text in scores.errors if not args.field or args.field in wrong]
        print("\n".join(shown), end="\n\n")
    print(f"read stage on {scores.items} labelled items ({Counter(g.source for g in items)})")
    print(scores.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make eval-group`: story grouping on the labelled corpus (tests/corpus/README.md).

Two runs. Gold: the gold mentions are grouped, which isolates grouping quality. End to end: the
read stage reads every item and its mentions are grouped; each gold mention is then scored by
the story of the reader's mention that matches it in the same item (same investor or
beneficiary), and a gold mention the reader missed counts as a story of its own. Printed per
run: pairwise and B-cubed precision, recall and F1, the number of gold and predicted stories,
whether shuffled arrival orders give the same partition, and the worst merges and splits.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from digest.evaluate.corpus import Corpus, load_corpus
from digest.evaluate.metrics import Error, Scores, bcubed, merges, pairwise, splits
from digest.group.fit import agree, amount_values
from digest.group.grouper import Grouper, GroupSettings
from digest.language.fold import name_key
from digest.models import Item, Mention

SHUFFLES = 3


@dataclass
class Element:
    """One gold mention, as scored: its gold story and the story it was put in."""

    gold: str
    predicted: str
    item: Item
    mention: Mention
    read: Mention | None = None  # end to end: the reader's mention that stands for it


@dataclass
class Run:
    name: str
    elements: list[Element]
    stable: int  # shuffled orders that gave the same partition
    extra: str = ""  # what else the run has to say (mentions the reader missed or invented)

    @property
    def gold(self) -> list[str]:
        return [e.gold for e in self.elements]

    @property
    def predicted(self) -> list[str]:
        return [e.predicted for e in self.elements]

    @property
    def pairwise(self) -> Scores:
        return pairwise(self.gold, self.predicted)

    @property
    def bcubed(self) -> Scores:
        return bcubed(self.gold, self.predicted)


def partition(labels: Sequence[str]) -> set[frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for n, label in enumerate(labels):
        groups.setdefault(label, set()).add(n)
    return {frozenset(g) for g in groups.values()}


def group_pairs(pairs: Sequence[tuple[Mention, Item]], settings: GroupSettings) -> list[str]:
    """Story ids for the pairs, fed one poll at a time in the order given."""
    return Grouper(settings).group(pairs)


def stable_orders(
    pairs: Sequence[tuple[Mention, Item]], settings: GroupSettings, reference: list[str]
) -> int:
    """How many shuffled arrival orders (feeds polled in another order) give the same stories."""
    same = 0
    for seed in range(SHUFFLES):
        order = list(range(len(pairs)))
        random.Random(seed).shuffle(order)
        got = group_pairs([pairs[i] for i in order], settings)
        back = [""] * len(order)
        for position, i in enumerate(order):
            back[i] = got[position]
        same += partition(back) == partition(reference)
    return same


def gold_run(corpus: Corpus, settings: GroupSettings) -> Run:
    """Grouping alone: the gold mentions in, the predicted stories out."""
    rows = [
        (m, g.item, k) for g in corpus.items for m, k in zip(g.mentions, g.stories, strict=True)
    ]
    pairs = [(_unlabelled(m), item) for m, item, _ in rows]
    predicted = group_pairs(pairs, settings)
    elements = [Element(k, p, item, m) for (m, item, k), p in zip(rows, predicted, strict=True)]
    return Run("gold mentions", elements, stable_orders(pairs, settings, predicted))


def _unlabelled(mention: Mention) -> Mention:
    copy = Mention(**vars(mention))
    copy.story_id = None
    return copy


def _names(m: Mention) -> set[str]:
    return {name_key(n) for n in (m.investor, m.beneficiary, *m.investors) if n} - {""}


def _match(gold: Mention, found: Mention) -> int:
    """How well a reader's mention matches a gold one of the same item (0: not at all)."""
    names, theirs = _names(gold), _names(found)
    if not names & theirs:
        return 0
    score = 2 if name_key(gold.beneficiary or "") == name_key(found.beneficiary or "") else 1
    return score + (
        agree(amount_values(gold.amount), [list(v) for v in amount_values(found.amount)]) is True
    )


def align(gold: list[Mention], found: list[Mention]) -> list[int | None]:
    """For each gold mention, the index of the reader's mention that stands for it, or None."""
    taken: set[int] = set()
    out: list[int | None] = []
    for g in gold:
        options = [(_match(g, f), -n) for n, f in enumerate(found) if n not in taken]
        best = max(options, default=(0, 0))
        if best[0] > 0:
            taken.add(-best[1])
            out.append(-best[1])
        else:
            out.append(None)
    return out


def reader_run(
    corpus: Corpus, settings: GroupSettings, read: Callable[[list[Item]], list[list[Mention]]]
) -> Run:
    """Read then group: the reader's mentions are grouped, gold mentions scored through them."""
    items = [g.item for g in corpus.items]
    found = read(items)
    pairs = [(m, item) for item, ms in zip(items, found, strict=True) for m in ms]
    predicted = group_pairs(pairs, settings)
    story_of: dict[tuple[int, int], str] = {}
    n = 0
    for i, ms in enumerate(found):
        for at in range(len(ms)):
            story_of[(i, at)] = predicted[n]
            n += 1
    elements, missed, matched = [], 0, 0
    for i, (g, ms) in enumerate(zip(corpus.items, found, strict=True)):
        for m, k, j in zip(g.mentions, g.stories, align(g.mentions, ms), strict=True):
            missed += j is None
            matched += j is not None
            label = story_of[(i, j)] if j is not None else f"missed:{g.item.guid}:{k}"
            elements.append(Element(k, label, g.item, m, ms[j] if j is not None else None))
    extra = f"reader mentions {len(pairs)}: {matched} match a gold mention, {missed} gold missed"
    return Run(
        "end to end (read + group)", elements, stable_orders(pairs, settings, predicted), extra
    )


def _facts(m: Mention) -> str:
    who = " / ".join(x for x in (m.investor, m.beneficiary) if x) or "?"
    amount = f" {m.amount.value:,.0f} {m.amount.currency or ''}".rstrip() if m.amount else ""
    where = ", ".join(x for x in (m.country, *m.places) if x)
    return f"{who}{amount}{f' [{where}]' if where else ''}{f' {m.round}' if m.round else ''}"


def _describe(e: Element) -> str:
    said = f"  (read: {_facts(e.read)})" if e.read else ""
    return (
        f"{e.item.guid} {e.item.published:%Y-%m-%d} {_facts(e.mention)}{said}"
        f" « {e.item.title[:60]} »"
    )


def _errors(
    title: str, errors: list[Error], members: dict[str, list[Element]], limit: int
) -> list[str]:
    lines = [f"  worst {title}: {len(errors)}"]
    for error in errors[:limit]:
        parts = ", ".join(f"{label} ×{n}" for label, n in error.parts)
        lines.append(f"    {error.cluster}: {parts}")
        lines.extend(f"      {_describe(e)}" for e in members[str(error.cluster)][:6])
    return lines


def report(run: Run, limit: int = 5) -> list[str]:
    by_pred: dict[str, list[Element]] = {}
    by_gold: dict[str, list[Element]] = {}
    for e in run.elements:
        by_pred.setdefault(e.predicted, []).append(e)
        by_gold.setdefault(e.gold, []).append(e)
    lines = [
        f"{run.name}: {len(run.elements)} mentions, {len(by_gold)} gold stories, "
        f"{len(by_pred)} predicted",
        f"  pairwise  {run.pairwise}",
        f"  B-cubed   {run.bcubed}",
        f"  shuffled arrival orders giving the same stories: {run.stable}/{SHUFFLES}",
    ]
    gold, predicted = run.gold, run.predicted
    if run.extra:  # end to end: errors among the mentions the reader found (misses are its own)
        lines.append(f"  {run.extra}")
        found = [e for e in run.elements if not e.predicted.startswith("missed:")]
        gold, predicted = [e.gold for e in found], [e.predicted for e in found]
        lines.append(
            f"  grouping of the {len(found)} gold mentions the reader found: "
            f"pairwise F1 {pairwise(gold, predicted).f1:.3f}, B-cubed {found_scores(run)}"
        )
        by_gold = {k: [e for e in v if e in found] for k, v in by_gold.items()}
    lines += _errors("merges", merges(gold, predicted), by_pred, limit)
    lines += _errors("splits", splits(gold, predicted), by_gold, limit)
    return lines


def found_scores(run: Run) -> Scores:
    """B-cubed over the gold mentions the reader found (its misses left out)."""
    found = [e for e in run.elements if not e.predicted.startswith("missed:")]
    return bcubed([e.gold for e in found], [e.predicted for e in found])


def sweep(corpus: Corpus, found: list[list[Mention]] | None) -> list[str]:
    """B-cubed F1 for thresholds around the configured one: how wide the safe band is."""
    lines = ["threshold sweep, B-cubed P/F1 (gold mentions | mentions the reader found):"]
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        settings = GroupSettings(threshold=threshold)
        g = gold_run(corpus, settings).bcubed
        line = f"  {threshold:.1f}: {g.precision:.3f}/{g.f1:.3f}"
        if found is not None:
            r = found_scores(reader_run(corpus, settings, lambda _items: found))
            line += f" | {r.precision:.3f}/{r.f1:.3f}"
        lines.append(line)
    return lines


def main() -> int:
    corpus = load_corpus()
    settings = GroupSettings()
    items = len(corpus.items)
    print(f"corpus: {items} items, {len(corpus.stories)} gold stories")
    print("\n".join(report(gold_run(corpus, settings))))
    try:
        from digest.read.reader import Reader
    except ImportError:
        print("end to end: skipped (the read stage is not there)")
        print("\n".join(sweep(corpus, None)))
        return 0
    found = Reader().read_many([g.item for g in corpus.items])
    print("\n".join(report(reader_run(corpus, settings, lambda _items: found))))
    print("\n".join(sweep(corpus, found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

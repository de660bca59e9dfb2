"""`make eval-write`: the write stage on the labelled stories, scored against their gold facts.

Two runs: with the gold mentions (write quality alone), then end to end (the read and group
stages feeding it) when those stages are present. Printed per run: the share of stories whose
chosen amount, currency, investor, places and jobs equal the gold facts, the conflicts found
(recall) and wrongly claimed (precision), and the traceability check's result.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digest.config import Config, parse_config
from digest.evaluate.corpus import load_corpus
from digest.language.fold import fold
from digest.models import Item, Mention, Story
from digest.write.settings import WriteSettings
from digest.write.writer import write_story

FIELDS = ("amount", "currency", "investor", "places", "jobs")
# conflicts scored; the gold labels no country conflict, so every one found is a false one
SCORED_CONFLICTS = ("amount.value", "amount.currency", "jobs.value", "timeframe", "country")


@dataclass
class Labelled:
    """The gold stories (by key) and each gold mention with its story key and its item."""

    stories: dict[str, dict[str, Any]]
    items: list[Item]
    mentions: list[tuple[str, Mention, Item]]


@dataclass
class Report:
    name: str
    stories: int = 0
    right: Counter = field(default_factory=Counter)  # field → stories where it equals gold
    conflicts_gold: int = 0
    conflicts_found: int = 0
    conflicts_true: int = 0
    held: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    written: list[Story] = field(default_factory=list)

    def share(self, name: str) -> float:
        return self.right[name] / self.stories if self.stories else 0.0

    @property
    def all_facts(self) -> float:
        return self.share("all")

    @property
    def conflict_recall(self) -> float:
        return self.conflicts_true / self.conflicts_gold if self.conflicts_gold else 1.0

    @property
    def conflict_precision(self) -> float:
        return self.conflicts_true / self.conflicts_found if self.conflicts_found else 1.0

    @property
    def traceable(self) -> float:
        return 1 - len(self.held) / self.stories if self.stories else 0.0


def load() -> Labelled:
    """The labelled corpus, syndicated copies pointing at their originals, mentions numbered."""
    corpus = load_corpus()
    ids = {g.item.guid: g.item.id for g in corpus.items}
    mentions: list[tuple[str, Mention, Item]] = []
    for g in corpus.items:
        g.item.duplicate_of = ids.get(g.syndicated_from) if g.syndicated_from else None
        for key, m in zip(g.stories, g.mentions, strict=True):
            m.id = len(mentions) + 1
            mentions.append((key, m, g.item))
    return Labelled(corpus.stories, [g.item for g in corpus.items], mentions)


def _same_amount(story: Story, gold: dict[str, Any] | None) -> tuple[bool, bool]:
    if story.amount is None or gold is None:
        return story.amount is None and gold is None, story.amount is None and gold is None
    value = abs(story.amount.value - float(gold["value"])) <= 1e-6 * float(gold["value"])
    return value, story.amount.currency == gold.get("currency")


def _place(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").split())


def score(report: Report, story: Story, gold: dict[str, Any]) -> None:
    """Add one written story's comparison with its gold facts to the report."""
    value, currency = _same_amount(story, gold.get("amount"))
    name = story.investor if gold.get("investor") else story.beneficiary
    gold_name = gold.get("investor") or gold.get("beneficiary")
    jobs = gold.get("jobs")
    checks = {
        "amount": value,
        "currency": currency,
        "investor": fold(name or "") == fold(gold_name or ""),
        "places": {_place(p) for p in story.locations}
        == {_place(p) for p in gold.get("locations") or []},
        "jobs": (story.jobs.value if story.jobs else None) == (jobs["value"] if jobs else None),
    }
    checks["all"] = all(checks.values())
    report.stories += 1
    report.right.update(k for k, ok in checks.items() if ok)
    if not checks["all"]:
        report.wrong.append(f"{gold['key']}: {', '.join(k for k, ok in checks.items() if not ok)}")
    found = {c.field for c in story.conflicts} & set(SCORED_CONFLICTS)
    expected = set(gold.get("conflicts") or [])
    report.conflicts_gold += len(expected)
    report.conflicts_found += len(found)
    report.conflicts_true += len(found & expected)
    if story.held_reason:
        report.held.append(f"{story.id}: {story.held_reason}")
    report.written.append(story)


def with_gold_mentions(corpus: Labelled, config: Config) -> Report:
    """The write stage alone: each gold story written from its gold mentions."""
    report = Report("gold mentions")
    by_story: dict[str, list[tuple[Mention, Item]]] = defaultdict(list)
    for key, mention, item in corpus.mentions:
        by_story[key].append((mention, item))
    settings = WriteSettings.of(config)
    for key, gold in corpus.stories.items():
        if by_story[key]:
            score(report, write_story(key, by_story[key], settings), gold)
    return report


def end_to_end(corpus: Labelled, config: Config) -> Report | None:
    """Read, group and write from the items' text; None when those stages are not there."""
    try:
        from digest.group.grouper import Grouper
        from digest.read.reader import Reader
    except ImportError:
        return None
    reader = Reader(config)
    pairs = [
        (m, item)
        for item, ms in zip(corpus.items, reader.read_many(corpus.items), strict=True)
        for m in ms
    ]
    for n, (m, _) in enumerate(pairs, start=1):
        m.id = n
    labels = Grouper().group(pairs)
    gold_of = _gold_labels(corpus, pairs)
    report = Report("end to end")
    members: dict[str, list[int]] = defaultdict(list)
    labels_of: dict[int | None, set[str]] = defaultdict(set)
    for n, label in enumerate(labels):
        members[label].append(n)
        labels_of[pairs[n][1].id].add(label)
    shared = {i for i, found in labels_of.items() if i is not None and len(found) > 1}
    known = {n for m, _ in pairs for n in (m.investor, m.beneficiary) if n}
    settings = WriteSettings.of(config)
    for key, gold in corpus.stories.items():
        best = max(members, key=lambda s: sum(gold_of[n] == key for n in members[s]), default=None)
        if best is None or not any(gold_of[n] == key for n in members[best]):
            report.stories += 1
            report.conflicts_gold += len(gold.get("conflicts") or [])
            report.wrong.append(f"{key}: not found")
            continue
        chosen = [pairs[n] for n in members[best]]
        written = write_story(key, chosen, settings, shared=shared, others=known)
        score(report, written, gold)
    return report


def _gold_labels(corpus: Labelled, pairs: list[tuple[Mention, Item]]) -> list[str | None]:
    """The gold story of each read mention: same item, same named actor (or the item's only one)."""
    gold_in: dict[int | None, list[tuple[str, Mention]]] = defaultdict(list)
    for key, mention, item in corpus.mentions:
        gold_in[item.id].append((key, mention))
    out = []
    for m, item in pairs:
        names = {fold(n) for n in (m.investor, m.beneficiary) if n}
        golds = gold_in.get(item.id, [])
        hit = [k for k, g in golds if names & {fold(n) for n in (g.investor, g.beneficiary) if n}]
        out.append(hit[0] if hit else (golds[0][0] if len(golds) == 1 else None))
    return out


def print_report(report: Report) -> None:
    print(f"\n== {report.name}: {report.stories} stories")
    for name in FIELDS:
        print(f"  {name:<10} {report.share(name):.3f}")
    print(f"  {'all five':<10} {report.all_facts:.3f}")
    print(
        f"  conflicts  recall {report.conflict_recall:.3f} ({report.conflicts_true}/"
        f"{report.conflicts_gold})  precision {report.conflict_precision:.3f} "
        f"({report.conflicts_true}/{report.conflicts_found})"
    )
    print(f"  traceability {report.traceable:.3f} ({len(report.held)} held)")
    for line in report.wrong[:15] + report.held[:10]:
        print(f"    - {line}")


def main() -> int:
    config = parse_config("feeds: []\n", Path("feeds.yaml"))
    corpus = load()
    gold = with_gold_mentions(corpus, config)
    print_report(gold)
    e2e = end_to_end(corpus, config)
    if e2e is None:
        print("\n== end to end: skipped (the read stage is not available yet)")
    else:
        print_report(e2e)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Clustering scores: pairwise and B-cubed precision, recall and F1 over two labellings of the
same elements, and the worst merges and splits (as in Miranda et al. 2018 and USTORY)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total

    def __str__(self) -> str:
        return f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"


def _check(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> None:
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predicted labels")


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> Scores:
    """Pairs of elements put together: precision over predicted pairs, recall over gold pairs."""
    _check(gold, predicted)
    both = sum(_pairs(n) for n in Counter(zip(gold, predicted, strict=True)).values())
    said = sum(_pairs(n) for n in Counter(predicted).values())
    true = sum(_pairs(n) for n in Counter(gold).values())
    return Scores(both / said if said else 1.0, both / true if true else 1.0)


def bcubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> Scores:
    """Per-element precision and recall of its cluster against its gold story, averaged."""
    _check(gold, predicted)
    if not gold:
        return Scores(1.0, 1.0)
    cells = Counter(zip(gold, predicted, strict=True))
    sizes_g, sizes_p = Counter(gold), Counter(predicted)
    precision = sum(n * n / sizes_p[p] for (_, p), n in cells.items()) / len(gold)
    recall = sum(n * n / sizes_g[g] for (g, _), n in cells.items()) / len(gold)
    return Scores(precision, recall)


@dataclass(frozen=True)
class Error:
    """One predicted cluster holding several gold stories (merge), or one gold story spread
    over several predicted clusters (split); `parts` are (label, elements) of the pieces."""

    cluster: Hashable
    parts: list[tuple[Hashable, int]]

    @property
    def wrong(self) -> int:
        """Elements outside the largest piece: how much the error costs."""
        return sum(n for _, n in self.parts) - max(n for _, n in self.parts)


def merges(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> list[Error]:
    """Predicted clusters that mix gold stories, worst first."""
    return _errors(predicted, gold)


def splits(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> list[Error]:
    """Gold stories spread over several predicted clusters, worst first."""
    return _errors(gold, predicted)


def _errors(outer: Sequence[Hashable], inner: Sequence[Hashable]) -> list[Error]:
    _check(outer, inner)
    pieces: dict[Hashable, Counter] = {}
    for o, i in zip(outer, inner, strict=True):
        pieces.setdefault(o, Counter())[i] += 1
    found = [
        Error(o, sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0]))))
        for o, c in pieces.items()
        if len(c) > 1
    ]
    return sorted(found, key=lambda e: (-e.wrong, -len(e.parts), str(e.cluster)))

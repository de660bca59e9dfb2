"""k-fold cross-validation by announcement: train (or tune) on k-1 folds, measure on the held one.

Announcements of one company that must stay apart (`hard_negative_for`) share a fold, so that
a model never meets in training the company it is measured on. The split is seeded: the same
corpus always gives the same folds, whoever asks (`make eval-real`, a trainer).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

K = 5
SEED = 13


@dataclass(frozen=True)
class Fold:
    index: int
    test: frozenset[str]  # announcement ids measured on this fold
    train: frozenset[str]  # every other announcement

    def articles(self, clusters: Mapping[str, dict[str, Any]], held: bool) -> set[str]:
        """The pages of the held (or training) announcements: their `articles`."""
        chosen = self.test if held else self.train
        return {a for c in chosen for a in clusters[c]["articles"]}


def families(clusters: Mapping[str, dict[str, Any]]) -> list[list[str]]:
    """Announcements linked by `hard_negative_for` (one company's several deals), each sorted."""
    parent = {c: c for c in clusters}

    def root(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for c, data in clusters.items():
        for other in data.get("hard_negative_for") or []:
            if other in parent:
                parent[root(other)] = root(c)
    found: dict[str, list[str]] = {}
    for c in sorted(clusters):
        found.setdefault(root(c), []).append(c)
    return sorted(found.values())


def folds(clusters: Mapping[str, dict[str, Any]], k: int = K, seed: int = SEED) -> list[Fold]:
    """k folds of about equal size; families shuffled (seeded), then each to the smallest fold."""
    order = families(clusters)
    random.Random(seed).shuffle(order)
    order.sort(key=len, reverse=True)  # stable: equal sizes keep the shuffled order
    held: list[list[str]] = [[] for _ in range(k)]
    for family in order:
        min(held, key=len).extend(family)
    everyone = frozenset(clusters)
    return [Fold(n, frozenset(h), everyone - frozenset(h)) for n, h in enumerate(held)]

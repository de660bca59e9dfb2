"""Grouping scores when an element may sit in several clusters (a round-up page reports several
deals): pairwise precision/recall over pairs of elements, and the extended B-cubed of Amigó et
al. 2009 ("A comparison of extrinsic clustering evaluation metrics", §3.4). An element in no
cluster is a cluster of its own."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from itertools import combinations

from digest.evaluate.metrics import Scores

Clusters = Mapping[str, Collection[str]]  # cluster id → its elements


def memberships(clusters: Clusters, elements: Iterable[str]) -> dict[str, set[str]]:
    """Element → the clusters it sits in (an element in none: a cluster of its own)."""
    found: dict[str, set[str]] = {e: set() for e in elements}
    for cluster, members in clusters.items():
        for e in members:
            found.setdefault(e, set()).add(cluster)
    return {e: c or {f"alone:{e}"} for e, c in found.items()}


def pairs(clusters: Clusters) -> set[frozenset[str]]:
    """Unordered pairs of distinct elements that share a cluster."""
    return {frozenset(p) for members in clusters.values() for p in combinations(set(members), 2)}


def pairwise(gold: Clusters, predicted: Clusters) -> Scores:
    """Precision over the pairs put together, recall over the pairs that belong together."""
    said, true = pairs(predicted), pairs(gold)
    both = len(said & true)
    return Scores(both / len(said) if said else 1.0, both / len(true) if true else 1.0)


def bcubed(gold: Clusters, predicted: Clusters, elements: Iterable[str]) -> Scores:
    """Extended B-cubed: for each pair sharing clusters, min(shared predicted, shared gold)
    over the shared count of the side measured, averaged per element then over elements."""
    universe = set(elements) | {e for m in (*gold.values(), *predicted.values()) for e in m}
    if not universe:
        return Scores(1.0, 1.0)
    g, p = memberships(gold, universe), memberships(predicted, universe)
    precision = recall = 0.0
    for e in universe:
        prec, rec = [], []
        for other in universe:
            in_p, in_g = len(p[e] & p[other]), len(g[e] & g[other])
            if in_p:
                prec.append(min(in_p, in_g) / in_p)
            if in_g:
                rec.append(min(in_p, in_g) / in_g)
        precision += sum(prec) / len(prec)
        recall += sum(rec) / len(rec)
    return Scores(precision / len(universe), recall / len(universe))

"""`make train-confidence`: the story confidence of the write stage (digest/write/confidence.py),
trained on the real-news corpus and measured by 5-fold cross-validation by announcement.

The corpus is replayed once with no confidence hold; each story the other holds leave shown
becomes a row (its features, and whether it is a right deal: right company and amount). For each
fold a model is trained on the other folds' stories, its threshold chosen on those stories'
own out-of-fold odds, and the held fold's stories are held or shown by it; the figures printed
(story precision, deal recall, hold check) are those of the held folds put together. The model
trained on every fold is written to digest/write/data/confidence.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from digest.evaluate import folds
from digest.evaluate.deals import right_deal
from digest.evaluate.editor import is_right, overlapping, view
from digest.evaluate.news import NewsCorpus, corpus_for
from digest.evaluate.replay import Replay, replay
from digest.store import open_db
from digest.store.written import WrittenStore
from digest.write import confidence

OUT = Path(__file__).resolve().parents[1] / "write" / "data" / "confidence.json"
C = 0.3  # the regression's inverse regularisation: ~115 stories for ~37 features
COST = 6.0  # a right story held costs as much as this many wrong stories shown
INNER = 4  # folds of the training stories that choose the threshold


@dataclass
class Row:
    story: str
    features: confidence.Features
    right: bool
    fold: int
    held: bool  # already held by another check: the confidence is not asked
    needed: bool = True  # right, and no larger right story shown tells its deal


def _fold_of(corpus: NewsCorpus, pages: set[str], index: dict[str, int]) -> int:
    """The fold of the announcement a story's first page is about (a page of none: by id)."""
    for page in sorted(pages):
        label = corpus.labels.get(page, {})
        for c in [label.get("primary"), *(label.get("mentions") or [])]:
            if c in index:
                return index[c]
    first = min(pages, default="")
    return zlib.crc32(first.encode()) % folds.K


def rows(corpus: NewsCorpus) -> tuple[list[Row], Replay]:
    """Every story of one replay with no confidence hold, as a row."""
    index = {c: f.index for f in folds.folds(corpus.clusters) for c in f.test}
    previous = os.environ.get(confidence.ENV)
    os.environ[confidence.ENV] = "off"
    try:
        with tempfile.TemporaryDirectory(prefix="digest-confidence-") as tmp:
            result = replay(corpus, Path(tmp))
            db = open_db(Path(tmp) / "digest.db")
            store = WrittenStore(db)
            deals = corpus.deals()
            out = []
            for s in result.stories:
                pairs = store.pairs(s.id)
                around = store.mentions_on(store.shared_items(s.id))
                pages = result.articles(s)
                sizes = store.pages_of(confidence.stories_on(around) | {s.id})
                out.append(
                    Row(
                        s.id,
                        confidence.features(s, pairs, around, sizes),
                        is_right(s, pages, deals),
                        _fold_of(corpus, pages, index),
                        bool(s.held_reason),
                    )
                )
            db.close()
    finally:
        os.environ.pop(confidence.ENV)
        if previous is not None:
            os.environ[confidence.ENV] = previous
    return _needed(out, result, deals), result


def _needed(found: list[Row], result: Replay, deals: list[dict[str, Any]]) -> list[Row]:
    """The rows with `needed` said: a right story is not needed when a right story with more
    pages (the first, among equals) tells the same announcement and is not held by a check;
    holding it costs no deal, it removes a duplicate."""
    byid = {s.id: s for s in result.stories}
    shown = [r for r in found if r.right and not r.held]
    size = {r.story: len(result.articles(byid[r.story])) for r in shown}
    tells = {
        r.story: {
            c["id"]
            for c in overlapping(byid[r.story], result.articles(byid[r.story]), deals)
            if right_deal(byid[r.story], c)
        }
        for r in shown
    }
    out = []
    for r in found:
        larger = [
            o
            for o in shown
            if o.story != r.story
            and tells[o.story] & tells.get(r.story, set())
            and (size[o.story], o.story < r.story) > (size.get(r.story, 0), False)
        ]
        out.append(replace(r, needed=r.right and not larger))
    return out


def _train(mine: list[Row]) -> dict[str, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform([r.features for r in mine])
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    model.fit(x, [r.right for r in mine])
    names = list(vec.get_feature_names_out())
    means = x.mean(axis=0)
    return {
        "weights": {n: float(w) for n, w in zip(names, model.coef_[0], strict=True)},
        "intercept": float(model.intercept_[0]),
        "means": {n: float(m) for n, m in zip(names, means, strict=True)},
    }


def threshold(odds: list[tuple[float, Row]]) -> float:
    """The threshold that holds the most wrong stories for the fewest needed right ones
    (COST; a right story that repeats a larger one costs nothing)."""
    best, chosen = 0.0, 0.0
    for t in sorted({p for p, _ in odds}):
        held = [r for p, r in odds if p < t]
        gain = sum(not r.right for r in held) - COST * sum(r.needed for r in held)
        if gain > best:
            best, chosen = gain, t
    return chosen


def fit(mine: list[Row]) -> dict[str, Any]:
    """A model on these stories, its threshold from their own out-of-fold odds."""
    shown = [r for r in mine if not r.held]
    inner = {r.story: zlib.crc32(r.story.encode()) % INNER for r in shown}  # whatever the order
    odds = []
    for k in range(INNER):
        model = _train([r for r in shown if inner[r.story] != k])
        odds += [
            (confidence.probability(model, r.features), r) for r in shown if inner[r.story] == k
        ]
    return _train(shown) | {"threshold": threshold(odds)}


def held_out(all_rows: list[Row]) -> dict[str, bool]:
    """Story id → held by the model trained on the other folds."""
    held = {}
    for k in range(folds.K):
        model = fit([r for r in all_rows if r.fold != k])
        for r in all_rows:
            if r.fold == k and not r.held:
                held[r.story] = confidence.probability(model, r.features) < model["threshold"]
    return held


def with_holds(result: Replay, held: dict[str, bool]) -> Replay:
    """The replay as it would be had these stories been held too."""
    reason = "Peu sûr"
    stories = [replace(s, held_reason=reason) if held.get(s.id) else s for s in result.stories]
    shown = [s for s in result.shown if not held.get(s.id)]
    return replace(result, stories=stories, shown=shown)


def report(corpus: NewsCorpus, result: Replay, held: dict[str, bool]) -> list[str]:
    lines = []
    for name, run in (("without", result), ("with (held folds)", with_holds(result, held))):
        v = view(corpus, run)
        lines.append(
            f"  {name:<18} shown {v.shown:>3}  story precision {v.story_precision}  deal recall"
            f" {v.deal_recall}  hold P {v.hold_precision} R {v.hold_recall}"
        )
    return lines


def write(model: dict[str, Any], path: Path) -> None:
    rounded = {
        "weights": {k: round(v, 4) for k, v in sorted(model["weights"].items())},
        "means": {k: round(v, 4) for k, v in sorted(model["means"].items())},
        "intercept": round(model["intercept"], 4),
        "threshold": round(model["threshold"], 4),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rounded, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="train-confidence", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    corpus = corpus_for("train-confidence")
    if corpus is None:
        return 1
    logging.getLogger("digest").setLevel(logging.ERROR)  # held stories are counted, not logged
    found, result = rows(corpus)
    held = held_out(found)
    print(f"train-confidence: {len(found)} stories, {sum(r.held for r in found)} held by checks")
    print("\n".join(report(corpus, result, held)))
    write(fit(found), args.out)
    print(f"  → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

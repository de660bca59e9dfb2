"""`make eval-real`: the whole program on real news (../shared/news-corpus, issues 13 and 14).

The corpus is turned into one RSS feed per outlet, polled, read, grouped and written by the real
stages into a temporary database, and one edition is built for the whole period. Printed:
the facts of each announced deal (on the story that best matches its pages), related pages
giving a deal, grouping scores over pages, what an editor sees, the worst errors by class, and
the fact scores per cross-validation fold. `--json` prints the same as one JSON object.

`--cv` measures the learned scorer of the read stage honestly: for each fold, a scorer is
trained on the other folds' pages (digest/evaluate/train.py), the program is run with it, and
only the held fold's announcements and related pages are scored; the figures are those of the
held folds put together, with each fold's beside them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from digest.evaluate import deals, errors, folds, overlap, train
from digest.evaluate.editor import view
from digest.evaluate.metrics import Scores
from digest.evaluate.news import NewsCorpus, corpus_for
from digest.evaluate.replay import Replay, run

EXAMPLES = 5


def forbidden_pairs(corpus: NewsCorpus) -> dict[str, set[frozenset[str]]]:
    """Pairs of pages that must not share a story: an announcement's page with a page that
    only recalls it, or with a page of another announcement of the same company."""
    gold = overlap.pairs({c: d["articles"] for c, d in corpus.clusters.items()})
    passing, negative = set(), set()
    for c in corpus.clusters.values():
        for a in c["articles"]:
            passing |= {frozenset((a, b)) for b in c["passing_mentions"] if b != a}
            for other in c.get("hard_negative_for") or []:
                theirs = corpus.clusters.get(other, {}).get("articles", [])
                negative |= {frozenset((a, b)) for b in theirs if b != a}
    return {"passing mention": passing - gold, "hard negative": negative - gold}


def _scores(s: Scores) -> dict[str, float]:
    return {"precision": s.precision, "recall": s.recall, "f1": s.f1}


def grouping(corpus: NewsCorpus, result: Replay) -> dict[str, Any]:
    gold = {c: d["articles"] for c, d in corpus.clusters.items()}
    predicted = {s.id: result.articles(s) for s in result.stories}
    said = overlap.pairs(predicted)
    per_fold = []
    for fold in folds.folds(corpus.clusters):  # the held announcements' pages only
        pages = fold.articles(corpus.clusters, held=True)
        held = {c: gold[c] for c in fold.test}
        kept = {s: members & pages for s, members in predicted.items()}
        per_fold.append(_scores(overlap.pairwise(held, kept)))
    return {
        "pairwise": _scores(overlap.pairwise(gold, predicted)),
        "pairwise per fold": per_fold,
        "bcubed": _scores(overlap.bcubed(gold, predicted, corpus.articles)),
        "gold announcements": len(gold),
        "stories": len(predicted),
        "pairs joined that must not be": {
            k: len(said & v) for k, v in forbidden_pairs(corpus).items()
        },
    }


def _share(s: deals.Share) -> dict[str, float | int]:
    return {"share": s.value, "right": s.right, "n": s.n}


def cross_validation(corpus: NewsCorpus, scored: list[deals.Scored]) -> dict[str, Any]:
    """The fact scores on each held fold (nothing is trained yet: the instrument is ready)."""
    per_fold: list[dict[str, Any]] = []
    for fold in folds.folds(corpus.clusters):
        shares = deals.shares(scored, only=fold.test)
        per_fold.append(
            {"fold": fold.index, "deals": sum(s.cluster in fold.test for s in scored)}
            | {f: _share(s) for f, s in shares.items()}
        )
    spread = {}
    for f in deals.FIELDS:
        measured = [p[f]["share"] for p in per_fold if p[f]["n"]]
        spread[f] = [min(measured, default=0.0), max(measured, default=0.0)]
    return {"k": folds.K, "seed": folds.SEED, "folds": per_fold, "spread": spread}


def evaluate(corpus: NewsCorpus, result: Replay, examples: int = EXAMPLES) -> dict[str, Any]:
    """Every figure of the evaluation, as one JSON-able dictionary."""
    scored = deals.score(corpus.deals(), result.deal_stories, result.members)
    related = corpus.related_pages()
    giving = [p for p in related if errors.stray_deals(corpus, result, p)]
    editor = view(corpus, result)
    found = errors.field_errors(scored, corpus, result) + errors.related_errors(corpus, result)
    return {
        "corpus": {
            "articles": len(corpus.articles),
            "announcements": len(corpus.clusters),
            "deals": len(scored),
        },
        "program": {
            "stories": len(result.stories),
            "held": sum(bool(s.held_reason) for s in result.deal_stories),
            "events": len(result.stories) - len(result.deal_stories),
            "subject": result.edition.subject if result.edition else None,
        },
        "facts": {f: _share(s) for f, s in deals.shares(scored).items()},
        "scored": [asdict(s) for s in scored],
        "related": _share(deals.Share(len(giving), len(related))) | {"pages": giving},
        "grouping": grouping(corpus, result),
        "editor": {
            "shown": editor.shown,
            "story precision": _share(editor.story_precision),
            "deal recall": _share(editor.deal_recall),
            "duplicates": editor.duplicates,
            "related shown": editor.related_shown,
            "hold precision": _share(editor.hold_precision),
            "hold recall": _share(editor.hold_recall),
        },
        "errors": {
            kind: {"count": len(es), "examples": [asdict(e) for e in es[:examples]]}
            for kind, es in errors.by_class(found).items()
        },
        "cross-validation": cross_validation(corpus, scored),
    }


def held_out(corpus: NewsCorpus, examples: int = EXAMPLES) -> dict[str, Any]:
    """The facts, related pages and errors of each fold, read by a scorer that never saw it."""
    rows = train.all_rows(corpus)
    per_fold: list[dict[str, Any]] = []
    scored, found, giving, related = [], [], [], []
    for fold in folds.folds(corpus.clusters):
        held = fold.articles(corpus.clusters, held=True)
        with train.scorer_in_use(train.fit(rows, without=held)):
            result = run(corpus)
        mine = deals.score(
            [c for c in corpus.deals() if c["id"] in fold.test],
            result.deal_stories,
            result.members,
        )
        pages = [p for p in corpus.related_pages() if corpus.labels[p]["primary"] in fold.test]
        gave = [p for p in pages if errors.stray_deals(corpus, result, p)]
        scored += mine
        related += pages
        giving += gave
        found += errors.field_errors(mine, corpus, result)
        found += [e for e in errors.related_errors(corpus, result) if e.cluster in fold.test]
        per_fold.append(
            {"fold": fold.index, "deals": len(mine)}
            | {f: _share(s) for f, s in deals.shares(mine).items()}
            | {"related": _share(deals.Share(len(gave), len(pages)))}
        )
    spread = {}
    for f in (*deals.FIELDS, "related"):
        measured = [p[f]["share"] for p in per_fold if p[f]["n"]]
        spread[f] = [min(measured, default=0.0), max(measured, default=0.0)]
    return {
        "k": folds.K,
        "seed": folds.SEED,
        "facts": {f: _share(s) for f, s in deals.shares(scored).items()},
        "scored": [asdict(s) for s in scored],
        "related": _share(deals.Share(len(giving), len(related))) | {"pages": giving},
        "folds": per_fold,
        "spread": spread,
        "errors": {
            kind: {"count": len(es), "examples": [asdict(e) for e in es[:examples]]}
            for kind, es in errors.by_class(found).items()
        },
    }


def cv_text(report: dict[str, Any]) -> list[str]:
    """The held-out report as aligned plain text."""
    names = (*deals.FIELDS, "related")
    lines = [
        f"read with a scorer trained on the other folds ({report['k']}-fold by announcement,"
        f" seed {report['seed']}): facts per deal",
    ]
    lines += [f"  {f:<14} {_ratio(report['facts'][f])}" for f in deals.FIELDS]
    lines.append(f"  {'related pages giving a deal mention':<40} {_ratio(report['related'])}")
    lines += ["", f"  {'fold':>4} {'deals':>5} " + " ".join(f"{n.split()[0]:>9}" for n in names)]
    for fold in report["folds"]:
        shares = " ".join(
            f"{fold[n]['share']:>9.3f}" if fold[n]["n"] else f"{'—':>9}" for n in names
        )
        lines.append(f"  {fold['fold']:>4} {fold['deals']:>5} {shares}")
    spread = " ".join(f"{'{:.2f}–{:.2f}'.format(*report['spread'][n]):>9}" for n in names)
    lines += [f"  {'min–max':>10} {spread}", "", "errors by class, held folds together"]
    for kind, found in report["errors"].items():
        lines.append(f"  {kind}: {found['count']}")
        for x in found["examples"]:
            lines.append(
                f"    {x['cluster'][:36]:<36} {x['field']:<13} {_value(x['got']):>22} / "
                f"{_value(x['expected'])}"
            )
    return lines


def _ratio(d: dict[str, Any]) -> str:
    return f"{d['share']:.3f}  ({d['right']}/{d['n']})"


def _value(v: Any) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool):
        return errors.number(v)
    return "—" if v is None else str(v)[:50]


def text(report: dict[str, Any]) -> list[str]:
    """The report as aligned plain text."""
    c, p, g, e = report["corpus"], report["program"], report["grouping"], report["editor"]
    lines = [
        f"corpus: {c['articles']} pages, {c['announcements']} announcements, {c['deals']} deals"
        f" (funding rounds and investments)",
        f"program: {p['stories']} stories ({p['events']} of events, {p['held']} deals held);"
        f" edition « {p['subject']} »",
        "",
        "reading: facts per deal, on the story that best matches its pages",
    ]
    lines += [f"  {f:<14} {_ratio(report['facts'][f])}" for f in deals.FIELDS]
    lines += [
        f"  {'related pages giving a deal mention':<40} {_ratio(report['related'])}",
        "",
        "grouping over pages (an announcement's `articles`)",
    ]
    for name in ("pairwise", "bcubed"):
        s = g[name]
        lines.append(f"  {name:<9} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    for name in ("precision", "recall", "f1"):
        values = [f[name] for f in g["pairwise per fold"]]
        lines.append(
            f"  pairwise {name:<9} per fold {' '.join(f'{v:.3f}' for v in values)}"
            f"  (min–max {min(values):.3f}–{max(values):.3f})"
        )
    lines.append(f"  stories {g['stories']} for {g['gold announcements']} announcements")
    lines += [f"  pairs joined, {k}: {n}" for k, n in g["pairs joined that must not be"].items()]
    lines += [
        "",
        f"what an editor sees: {e['shown']} stories shown",
        f"  {'story precision (right deal)':<30} {_ratio(e['story precision'])}",
        f"  {'deal recall':<30} {_ratio(e['deal recall'])}",
        f"  {'duplicates':<30} {len(e['duplicates'])}  {' '.join(e['duplicates'][:8])}",
        f"  {'related pages shown':<30} {len(e['related shown'])}",
        f"  {'hold check precision':<30} {_ratio(e['hold precision'])}",
        f"  {'hold check recall':<30} {_ratio(e['hold recall'])}",
        "",
        "worst errors by class (announcement, field: got / expected)",
    ]
    for kind, found in report["errors"].items():
        lines.append(f"  {kind}: {found['count']}")
        for x in found["examples"]:
            detail = f"  [{x['detail']}]" if x["detail"] else ""
            lines.append(
                f"    {x['cluster'][:36]:<36} {x['field']:<13} {_value(x['got']):>22} / "
                f"{_value(x['expected'])}{detail}"
            )
    cv = report["cross-validation"]
    lines += [
        "",
        f"{cv['k']}-fold cross-validation by announcement (seed {cv['seed']}); the read scorer"
        " was trained on all of it: its held-out figures are those of --cv",
    ]
    lines.append(
        f"  {'fold':>4} {'deals':>5} " + " ".join(f"{f.split()[0]:>9}" for f in deals.FIELDS)
    )
    for fold in cv["folds"]:
        shares = " ".join(
            f"{fold[f]['share']:>9.3f}" if fold[f]["n"] else f"{'—':>9}" for f in deals.FIELDS
        )
        lines.append(f"  {fold['fold']:>4} {fold['deals']:>5} {shares}")
    spread = " ".join(f"{'{:.2f}–{:.2f}'.format(*cv['spread'][f]):>9}" for f in deals.FIELDS)
    lines.append(f"  {'min–max':>10} {spread}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eval-real", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--examples", type=int, default=EXAMPLES, help="errors shown per class")
    parser.add_argument(
        "--cv", action="store_true", help="train the read scorer per fold, score the held fold"
    )
    parser.add_argument(
        "--weekly",
        type=Path,
        metavar="DIR",
        help="also build one edition per week of the corpus into DIR (as `digest build` does)",
    )
    args = parser.parse_args(argv)
    corpus = corpus_for("eval-real", optional=True)
    if corpus is None:
        return 0
    logging.getLogger("digest").setLevel(logging.ERROR)  # held stories are counted, not logged
    if args.cv:
        report = held_out(corpus, args.examples)
        lines = cv_text(report)
    else:
        report = evaluate(corpus, run(corpus, args.weekly), args.examples)
        lines = text(report)
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

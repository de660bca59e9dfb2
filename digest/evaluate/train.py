"""`make train-read`: train the read stage's scorer (digest/read/scorer.py) on the real-news
corpus (../shared/news-corpus) and write its coefficients to digest/read/data/scorer.json.

The rules read every page without a scorer; each proposal becomes a row of features with a
label from gold.json (and, for our own labelled items of tests/corpus, from their gold):
- item: the page reports a funding round or an investment as news (its `primary` or
  `mentions`), not only related news;
- actor: a name of the page is the gold company of the deal a draft stands for (the deal whose
  amount it states within 2 %, else the page's only deal).
Only training code needs scikit-learn; the reader reads the JSON. `fit(rows, without=pages)`
trains without some pages: cross-validation (eval-real --cv) leaves each held fold out.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from digest.evaluate.corpus import load_corpus
from digest.evaluate.deals import AMOUNT_TOLERANCE, close, same_company
from digest.evaluate.news import (
    NewsCorpus,
    by_source,
    corpus_for,
    feed_language,
    title_of,
)
from digest.evaluate.news import published as published_at
from digest.models import Item
from digest.read import scorer
from digest.read.context import attach_investors, attach_places, attach_time_and_round
from digest.read.deals import Draft
from digest.read.reader import Reader, item_text

DEALS = ("funding-round", "investment")
OUT = Path(__file__).resolve().parents[1] / "read" / "data" / "scorer.json"
OWN = "own:"  # the page ids of our own labelled items
C = 1.0  # scikit-learn's default regularisation: no tuning on this small corpus
# In the item model a page that is not news weighs twice a page of a deal: a related page read
# as a deal becomes a wrong story, while a deal is mostly told by several pages, and pages that
# are not news are few (1 in 10). Chosen by eval-real --cv: 1 and 1.5 let more related pages by.
NOT_NEWS_WEIGHT = 2.0


@dataclass
class Row:
    model: str  # item | actor
    page: str
    features: scorer.Features
    label: bool
    draft: int = -1  # the draft an actor row is a candidate for


Deal = dict[str, Any]  # {"company": name, "amount": {"value": …} or None}, as gold.json has it


@dataclass
class Page:
    item: Item
    deals: list[Deal]  # the deals it reports as news


def news_pages(corpus: NewsCorpus) -> dict[str, Page]:
    """Each page as the feeds of eval-real give it to the reader (the corpus README's rules),
    with the deals it reports as news (its `primary` and `mentions`)."""
    out: dict[str, Page] = {}
    for source, articles in by_source(corpus).items():
        lang = feed_language(articles)
        for a in articles:
            item = Item(
                feed_id=1,
                guid=a.url,
                url=a.url,
                title=title_of(a),
                text=a.text,
                published=published_at(corpus, a) or datetime(2000, 1, 1, tzinfo=UTC),
                id=len(out) + 1,
                feed_name=source,
                lang=lang,
            )
            label = corpus.labels[a.id]
            ids = [x for x in [label.get("primary"), *(label.get("mentions") or [])] if x]
            deals = [corpus.clusters[x] for x in ids if corpus.clusters[x]["kind"] in DEALS]
            out[a.id] = Page(item, deals)
    return out


def own_pages() -> dict[str, Page]:
    """The items of our own labelled set (tests/corpus, samples; not the held-out set): they
    teach the scorer the round-ups and multi-deal items we wrote on purpose."""
    out = {}
    for n, g in enumerate(load_corpus().items):
        deals = [
            {
                "company": m.beneficiary if m.kind == "funding_round" else m.investor,
                "amount": {"value": m.amount.value} if m.amount else None,
            }
            for m in g.mentions
        ]
        out[f"{OWN}{n}"] = Page(g.item, [d for d in deals if d["company"]])
    return out


def _amount_of(d: Draft, deals: list[Deal]) -> Deal | None:
    values = [d.amount.value, *(e.value for e in d.amount.equivalents)] if d.amount else []
    for c in deals:
        gold = (c.get("amount") or {}).get("value")
        if gold and any(close(v, gold, AMOUNT_TOLERANCE) for v in values):
            return c
    return None


def collect(pages: dict[str, Page], reader: Reader | None = None) -> list[Row]:
    """Every proposal of the rules on every page, as labelled rows."""
    reader = reader or Reader()
    reader.scorer = None
    texts = [item_text(p.item) for p in pages.values()]
    docs = reader.nlp.pipe(texts, batch_size=reader.batch_size)
    rows: list[Row] = []
    for (page, p), doc in zip(pages.items(), docs, strict=True):
        a = reader.assemble(p.item, doc)
        deals = p.deals
        rows.append(Row("item", page, scorer.item_features(a), bool(deals)))
        attach_places(a)  # actors are chosen once a draft's round and investors are known
        attach_time_and_round(a)
        attach_investors(a)
        names = scorer.candidates(a)
        for n_draft, d in enumerate(a.drafts):
            if d.amount is None or not d.spots:
                continue
            target = _amount_of(d, deals) or (deals[0] if len(deals) == 1 else None)
            if target is None:
                continue
            for n in names:
                features = scorer.actor_features(a, d, n, p.item.feed_name)
                right = same_company(n, target["company"])
                rows.append(Row("actor", page, features, right, n_draft))
    return rows


def all_rows(corpus: NewsCorpus) -> list[Row]:
    """The rows of the real-news pages and of our own labelled items."""
    return collect(news_pages(corpus) | own_pages())


def fit(rows: list[Row], without: Collection[str] = frozenset()) -> dict[str, Any]:
    """The two models trained on the rows of every page but `without`, as scorer JSON."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    models = {}
    for name in ("item", "actor"):
        mine = [r for r in rows if r.model == name and r.page not in without]
        own = sum(r.page.startswith(OWN) for r in mine)
        share = (len(mine) - own) / own if own else 1.0  # each set weighs as much as the other
        weights = [share if r.page.startswith(OWN) else 1.0 for r in mine]
        vec = DictVectorizer(sparse=False)
        x = vec.fit_transform([r.features for r in mine])
        balance = {False: NOT_NEWS_WEIGHT, True: 1.0} if name == "item" else None
        model = LogisticRegression(C=C, max_iter=2000, class_weight=balance)
        model.fit(x, [r.label for r in mine], sample_weight=weights)
        names = list(vec.get_feature_names_out())
        models[name] = (names, list(model.coef_[0]), float(model.intercept_[0]))
    return scorer.as_json(models)


@contextmanager
def scorer_in_use(model: dict[str, Any]) -> Iterator[None]:
    """Inside, the read stage scores with this model (a temporary file named by
    $DIGEST_READ_SCORER); the previous setting comes back after."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
        json.dump(model, out)
    previous = os.environ.get(scorer.ENV)
    os.environ[scorer.ENV] = out.name
    try:
        yield
    finally:
        os.environ.pop(scorer.ENV)
        if previous is not None:
            os.environ[scorer.ENV] = previous
        os.unlink(out.name)


def write(data: dict[str, Any], path: Path) -> None:
    rounded = {
        name: {
            "weights": {k: round(v, 4) for k, v in sorted(m["weights"].items()) if abs(v) >= 1e-4},
            "intercept": round(m["intercept"], 4),
        }
        for name, m in data.items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rounded, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="train-read", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    corpus = corpus_for("train-read")
    if corpus is None:
        return 1
    rows = all_rows(corpus)
    write(fit(rows), args.out)
    counts = {m: sum(r.model == m for r in rows) for m in ("item", "actor")}
    print(f"train-read: {counts} rows → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How sure the program is that a story is a right deal (its company and its amount), from what
its pages say of it: how many pages and outlets tell it, whether its actor and amount stand in a
title and act there ("X lève"), whether it leads its pages or is another deal's background,
whether its pages agree on the amount, whether its actor is a common word, a person or a place.

A small logistic regression over these features (digest/write/data/confidence.json, trained
with 5-fold cross-validation by announcement on the real-news corpus by
digest/evaluate/confidence.py, `make train-confidence`) gives the odds; a story under the
threshold is held for the editor, with the reasons that weighed most against it, in French.
Runtime reads the JSON only; no scikit-learn needed.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from digest.language.fold import fold
from digest.language.lexicon import fund_name
from digest.language.places import gazetteer
from digest.models import Item, Mention, Story
from digest.read.cues import around
from digest.read.scorer import Model
from digest.read.topics import past_dates, recalled
from digest.read.wordnames import opens_with_function_word
from digest.write.actor import common_word
from digest.write.background import LEAD_CHARS, larger_story, outnamed, spans
from digest.write.fusion import same_amount
from digest.write.recalled import led_by_another, states_amount, titled_twin, told_past

ENV = "DIGEST_WRITE_CONFIDENCE"  # another model file; "off" writes no confidence hold

_NUMBER_BEFORE = re.compile(r"\d\s?$")  # "5 GW", "300 MW": a unit, not a name

Features = dict[str, float]

# what each feature says against a story, when it is present (first) or absent (second)
REASONS: dict[str, tuple[str, str]] = {
    "one page": ("une seule page", ""),
    "pages": ("", "peu de pages"),
    "outlets": ("", "un seul média"),
    "actor in a title": ("", "l'acteur n'est dans aucun titre"),
    "actor acts in a title": ("", "aucun titre ne dit que l'acteur lève ou investit"),
    "actor receives in a title": ("", "aucun titre ne dit que l'argent va à l'acteur"),
    "actor described in a title": ("", "aucun titre ne présente l'acteur comme une entreprise"),
    "actor acts in its sentence": ("", "aucun acteur n'est sujet de la phrase du projet"),
    "actor in its sentence": ("", "aucun acteur n'est dans la phrase du projet"),
    "amount recalled": ("le montant vient d'une phrase qui rappelle un projet passé", ""),
    "actor in a lead": ("", "l'acteur n'est pas dans le chapeau"),
    "actor named": ("", "l'acteur est peu nommé"),
    "amount in a title": ("", "le montant n'est dans aucun titre"),
    "amount in a lead": ("", "le montant n'est pas dans le chapeau"),
    "amounts agree": ("", "les pages ne donnent pas le même montant"),
    "amounts differ": ("les pages donnent des montants différents", ""),
    "leads its pages": ("", "un autre projet mène ses pages"),
    "round-up": ("page de brèves (plusieurs projets)", ""),
    "follows another deal": ("la page parle d'abord d'un autre projet", ""),
    "amount late": ("le montant n'est donné que loin dans la page", ""),
    "led by its actor's other story": ("ses pages mènent avec un autre projet de l'acteur", ""),
    "figure of a titled actor": ("le même montant est celui d'un acteur nommé en titre", ""),
    "amount past by its clause": ("le montant est daté d'avant la page", ""),
    "actor after a number": ("l'acteur suit un nombre (une unité ?)", ""),
    "common word": ("l'acteur est un mot courant", ""),
    "another firm named more": ("la page parle surtout d'une autre entreprise", ""),
    "a larger story on its pages": ("sa page est celle d'un projet plus repris", ""),
    "stop word": ("l'acteur commence par un mot-outil", ""),
    "fund name": ("l'acteur a un nom de fonds", ""),
    "an investor of its pages": ("l'acteur est un investisseur cité", ""),
    "place": ("l'acteur est un lieu", ""),
    "no amount": ("aucun montant", ""),
    "amount size": ("montant inhabituel", "montant inhabituel"),
    "a billion round": ("un tour d'un milliard ou plus (une valorisation ?)", ""),
    "funding round": ("", ""),
    "investors": ("", ""),
    "round": ("", "aucun tour de table nommé"),
}


def actor_of(story: Story) -> str | None:
    """The company the story is about: who raises (a round), else who invests."""
    if story.kind == "funding_round":
        return story.beneficiary or story.investor
    return story.investor or story.beneficiary


def page_lead(mentions: Sequence[Mention], title: str) -> Mention | None:
    """The mention a page leads with: the largest amount its title states, else the first
    (mentions in reading order)."""
    titled = [m for m in mentions if states_amount(m, title)]
    if titled:
        return max(titled, key=lambda m: m.amount.value if m.amount else 0.0)
    return mentions[0] if mentions else None


def _leads(story: Story, item: Item, neighbours: Mapping[int, Sequence[Mention]]) -> bool:
    """Whether the story leads its page: alone on it, or the page's leading mention."""
    others = neighbours.get(item.id) if item.id is not None else None
    if not others:
        return True
    first = page_lead(others, item.title)
    return first is None or first.story_id == story.id


def _said(m: Mention, item: Item, fact: str) -> str:
    """The sentence a fact was read from; the whole page for a mention written by hand."""
    return m.evidence.get(fact) or m.evidence.get("deal") or f"{item.title}. {item.text}"


def _where(m: Mention, item: Item) -> float:
    """How far into its page the mention's deal sentence stands (0: the title, 1: the end)."""
    said = m.evidence.get("amount") or m.evidence.get("deal") or ""
    at = (item.text or "").find(said[:60]) if said else -1
    if not said or said[:60] in (item.title or "") or at < 0:
        return 0.0
    return at / max(len(item.text), 1)


def _recalled(m: Mention, item: Item) -> bool:
    """The mention's amount comes from a sentence recalling an older deal."""
    said = m.evidence.get("amount") or ""
    year = item.published.year if item.published else None
    return bool(said) and (bool(recalled().search(said)) or past_dates(said, year))


def features(
    story: Story,
    pairs: Sequence[tuple[Mention, Item]],
    neighbours: Mapping[int, Sequence[Mention]],
    sizes: Mapping[str, int] | None = None,
) -> Features:
    """The story's features (neighbours: every mention of its pages that carry another
    story's mention, in reading order; sizes: how many pages each story of those pages has)."""
    items = list({(i.id if i.id is not None else id(i)): i for _, i in pairs}.values())
    actor = actor_of(story) or ""
    titles = [i.title or "" for i in items]
    leads = [(i.text or "")[:LEAD_CHARS] for i in items]
    texts = [t for i in items for t in (i.title, i.text) if t]
    f: Features = {
        "one page": float(len(items) == 1),
        "pages": min(len(items), 4) / 4,
        "outlets": min(len({i.feed_name for i in items}), 3) / 3,
        "funding round": float(story.kind == "funding_round"),
        "investors": float(bool(story.investors)),
        "round": float(bool(story.round)),
        "no amount": float(story.amount is None),
    }
    if story.amount is not None:
        f["amount size"] = abs(math.log10(max(story.amount.value, 1.0)) - 7.5) / 4
        # a round of a billion or more is rare; a valuation ("une licorne") is that large
        f["a billion round"] = float(story.kind == "funding_round" and story.amount.value >= 1e9)
    in_titles = [(t, s) for t in titles for s in spans(actor, t)]
    f["actor in a title"] = float(bool(in_titles))
    cues = {c for t, (a, b) in in_titles for c in around(t, a, b)}
    f["actor acts in a title"] = float("acts" in cues)
    f["actor receives in a title"] = float("into" in cues)
    f["actor described in a title"] = float("described" in cues)
    parties = {n for n in (actor, story.investor, story.beneficiary) if n}
    deal = [
        (t, s)
        for m, i in pairs
        for t in {_said(m, i, "deal")}
        for n in parties
        for s in spans(n, t)
    ]
    f["actor acts in its sentence"] = float(any("acts" in around(t, a, b) for t, (a, b) in deal))
    f["actor in its sentence"] = float(bool(deal))
    f["actor in a lead"] = float(any(spans(actor, t) for t in leads))
    f["actor named"] = min(sum(len(spans(actor, t)) for t in texts), 6) / 6
    amounts = [m for m, _ in pairs if m.amount is not None]
    f["amount in a title"] = float(any(states_amount(m, i.title) for m, i in pairs))
    f["amount in a lead"] = float(
        any(
            _said(m, i, "amount")[:60] in f"{i.title}. {(i.text or '')[:LEAD_CHARS]}"
            for m, i in pairs
        )
    )
    if story.amount is not None and amounts:
        agree = [same_amount(m.amount, story.amount) for m in amounts if m.amount]
        f["amounts agree"] = sum(agree) / len(agree)
        f["amounts differ"] = float(not all(agree))
    f["leads its pages"] = sum(_leads(story, i, neighbours) for i in items) / len(items)
    f["amount recalled"] = float(
        bool(amounts) and all(_recalled(m, i) for m, i in pairs if m.amount)
    )
    f["round-up"] = float(any(len(neighbours.get(i.id, ())) > 2 for i in items if i.id))
    f["follows another deal"] = float(f["leads its pages"] == 0.0 and not f["round-up"])
    f["amount late"] = min(_where(m, i) for m, i in pairs)
    f |= _beside(story, pairs, neighbours)
    f["another firm named more"] = sum(
        outnamed(story, actor, i, neighbours) is not None for i in items
    ) / len(items)
    f["a larger story on its pages"] = sum(
        larger_story(story, i, neighbours, sizes or {}) for i in items
    ) / len(items)
    where = [(t, a) for t in texts for a, _ in spans(actor, t)]  # every time it is named
    f["actor after a number"] = float(
        bool(where) and all(_NUMBER_BEFORE.search(t[:a]) for t, a in where)
    )
    f["common word"] = float(bool(actor) and common_word(actor, texts))
    f["stop word"] = float(bool(actor) and opens_with_function_word(actor))
    f["fund name"] = float(bool(fund_name().search(actor)))
    key = fold(actor)
    backers = {fold(n) for m in _all(pairs, neighbours) for n in (*m.investors, m.lead or "")}
    f["an investor of its pages"] = float(bool(key) and key in backers)
    f["place"] = float(bool(actor) and gazetteer().lookup(actor) is not None)
    return f


def _beside(
    story: Story,
    pairs: Sequence[tuple[Mention, Item]],
    neighbours: Mapping[int, Sequence[Mention]],
) -> Features:
    """What the other stories of its pages say of it: on how many of its pages another story of
    its actor leads, or its figure is a titled actor's; whether its figures are all told past."""
    n = len(pairs)
    amounts = [(m, i) for m, i in pairs if m.amount is not None]
    return {
        "led by its actor's other story": sum(
            led_by_another(story.id, m, i, neighbours) is not None for m, i in pairs
        )
        / n,
        "figure of a titled actor": sum(titled_twin(m, i, neighbours) is not None for m, i in pairs)
        / n,
        "amount past by its clause": float(
            bool(amounts) and all(told_past(m, i.published) for m, i in amounts)
        ),
    }


def stories_on(neighbours: Mapping[int, Sequence[Mention]]) -> set[str]:
    """The stories of the mentions of these pages."""
    return {m.story_id for ms in neighbours.values() for m in ms if m.story_id}


def _all(
    pairs: Sequence[tuple[Mention, Item]], neighbours: Mapping[int, Sequence[Mention]]
) -> list[Mention]:
    return [m for m, _ in pairs] + [m for ms in neighbours.values() for m in ms]


@cache
def _load(path: str) -> dict[str, Any] | None:
    if path == "off":
        return None
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    file = resources.files("digest.write").joinpath("data/confidence.json")
    return json.loads(file.read_text(encoding="utf-8")) if file.is_file() else None


def load_model() -> dict[str, Any] | None:
    """The committed model, the file $DIGEST_WRITE_CONFIDENCE names, or None ("off")."""
    return _load(os.environ.get(ENV, ""))


def probability(model: Mapping[str, Any], f: Features) -> float:
    """The story's odds of being a right deal: the read scorer's logistic regression."""
    return Model(model["weights"], model["intercept"]).probability(f)


def reasons(model: Mapping[str, Any], f: Features, n: int = 2) -> list[str]:
    """What weighed most against the story, beside an average one, in words."""
    means = model.get("means", {})
    pulls = []
    for k, w in model["weights"].items():
        x, mean = f.get(k, 0.0), means.get(k, 0.0)
        pull = w * (x - mean)
        said = REASONS.get(k, ("", ""))[0 if x > mean else 1]
        if pull < 0 and said:
            pulls.append((pull, said))
    return [said for _, said in sorted(pulls)[:n]]


def doubt(
    story: Story,
    pairs: Sequence[tuple[Mention, Item]],
    neighbours: Mapping[int, Sequence[Mention]],
    sizes: Mapping[str, int] | None = None,
) -> str | None:
    """The hold reason when the story is unlikely to be a right deal; None otherwise."""
    model = load_model()
    if model is None:
        return None
    f = features(story, pairs, neighbours, sizes)
    p = probability(model, f)
    if p >= model["threshold"]:
        return None
    why = reasons(model, f)
    shown = f"{p:.2f}".replace(".", ",")
    return f"Peu sûr ({shown})\u202f: " + ("\u202f; ".join(why) if why else "faits douteux")

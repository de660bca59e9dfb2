"""The learned scorer of the read stage: which items announce a new deal, and which name is
each deal's actor.

The rules of digest/read/deals.py propose drafts; two logistic regressions, trained on the
real-news corpus and our own labelled items (digest/evaluate/train.py, `make train-read`) and
kept as coefficients in data/scorer.json, then decide:
- the item: do its title and lead announce a new deal at all (not an acquisition, results, an
  inauguration, an old round recalled)? If not, it gives no mention;
- each draft's actor: among the names of the item, the one most likely to be the deal's company
  (not a cited newspaper, a quoted person, a sentence connector, a place).
Features are role words (digest/language/data/roles.yaml), position (title, lead, later), the
kind of name, and what the rules chose. Runtime reads the JSON only; no scikit-learn needed.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from digest.language.fold import fold
from digest.language.lexicon import fund_name
from digest.language.names import Org
from digest.language.places import gazetteer
from digest.read import constructions
from digest.read.bystanders import no_firm
from digest.read.clauses import Sent
from digest.read.cues import around
from digest.read.deals import Assembler, Draft
from digest.read.roles import found
from digest.read.roundups import own_round
from digest.read.topics import first_topic, past_dates, recalled, topics_in
from digest.read.wordnames import SOFT, is_word, not_a_firm

ENV = "DIGEST_READ_SCORER"  # another scorer file (cross-validation trains one per fold)
_MARKER = re.compile(r"(?:\bpar|de\s+la\s+part\s+d[eu]|auprès\s+d(?:e|u|es)|\bby|\bfrom)\s*$", re.I)

Features = dict[str, float]


@dataclass(frozen=True)
class Model:
    """A logistic regression: weights by feature name, and the intercept."""

    weights: dict[str, float]
    intercept: float

    def probability(self, features: Features) -> float:
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Scorer:
    item: Model
    actor: Model


def as_json(models: dict[str, tuple[list[str], list[float], float]]) -> dict:
    """The file format: per model, its features with their weights, and the intercept."""
    return {
        name: {"weights": dict(zip(names, map(float, coef), strict=True)), "intercept": b}
        for name, (names, coef, b) in models.items()
    }


def from_json(data: dict) -> Scorer:
    models = {k: Model(v["weights"], v["intercept"]) for k, v in data.items()}
    return Scorer(models["item"], models["actor"])


@cache
def _load(path: str) -> Scorer | None:
    if path:
        return from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    file = resources.files("digest.read").joinpath("data/scorer.json")
    return from_json(json.loads(file.read_text(encoding="utf-8"))) if file.is_file() else None


def load_scorer() -> Scorer | None:
    """The committed scorer (digest/read/data/scorer.json), or the file $DIGEST_READ_SCORER
    names; None when there is none (the rules alone decide)."""
    return _load(os.environ.get(ENV, ""))


# -- features ------------------------------------------------------------------------------


def _roles(prefix: str, text: str) -> Features:
    return {f"{prefix}:{r}": 1.0 for r in found(text)}


def _place(a: Assembler, index: int) -> str:
    """Where a sentence stands: the title, the lead (its first sentences), or later."""
    s = a.sents[index]
    return "title" if s.title else "lead" if a.in_lead(s) else "later"


def _lead_text(a: Assembler, where: str) -> str:
    return " ".join(s.text for s in a.sents if _place(a, s.index) == where)


def item_features(a: Assembler) -> Features:
    """What the title and lead of an item say, and what the rules found in it."""
    f: Features = {}
    for where in ("title", "lead"):
        text = _lead_text(a, where)
        f |= _roles(where, text)
        sents = [s for s in a.sents if _place(a, s.index) == where]
        f[f"{where}:money"] = float(any(s.money for s in sents))
        for kind in ("fund", "invest", "receive", "jobs"):
            hit = any(t[2].startswith(kind) for s in sents for t in s.triggers)
            f[f"{where}:trigger:{kind}"] = float(hit)
    f["no title"] = float(not any(s.title for s in a.sents))
    money = [d for d in a.drafts if d.amount is not None and not d.earlier]
    f["drafts"] = min(len(money), 6) / 6
    f["no drafts"] = float(not money)
    f["drafts in title or lead"] = float(
        any(_place(a, i) != "later" for d in money for i, _ in d.spots)
    )
    return f | topic_features(a) | construction_features(a)


def construction_features(a: Assembler) -> Features:
    """Whether the title and lead tell a deal by a construction (digest/read/constructions.py:
    "entre au capital de", "choisit … pour implanter son usine"), and whether the rules made a
    deal with no amount: from those words (`Assembler.read_lead`), or from its jobs alone."""
    f: Features = {}
    for where in ("title", "lead"):
        told = any(constructions.find(s.text) for s in a.sents if _place(a, s.index) == where)
        f[f"{where}:construction"] = float(told)
    f["deal told with no amount"] = float(any(d.headline for d in a.drafts))
    f["deal told by its jobs only"] = float(
        any(d.jobs is not None and d.amount is None and not d.earlier for d in a.drafts)
    )
    return f


_DEAL = ("invest", "fund", "receive")


def _tied(s: Sent, start: int, end: int, reach: int = 40) -> bool:
    """An amount with a verb or noun of investing right before or after it."""
    return any(
        t[2].startswith(_DEAL) and (0 <= start - t[1] < reach or 0 <= t[0] - end < reach)
        for t in s.triggers
    )


def topic_features(a: Assembler) -> Features:
    """Whether the title and lead are about something else than a new deal (a topic of
    digest/language/data/topics.yaml: an acquisition, results, an opening, a closure…), whether
    that topic comes before any word of investing, and whether their amounts are a deal's own
    (tied to such a word) or recalled (recall words, a year before the page's)."""
    f: Features = {}
    for where in ("title", "lead"):
        sents = [s for s in a.sents if _place(a, s.index) == where]
        text = " ".join(s.text for s in sents)
        tied = any(_tied(s, m.qstart, m.end) for s in sents for m in s.money)
        other = bool(topics_in(text))
        f[f"{where}:other topic"] = float(other)
        f[f"{where}:other topic, no deal tied"] = float(other and not tied)
        for s in sents[:1]:
            first = first_topic(s.text)
            deal = min((t[0] for t in s.triggers if t[2].startswith(_DEAL)), default=None)
            if first is not None and (deal is None or first[0] < deal):
                f[f"{where}:other topic first"] = 1.0
        f[f"{where}:money tied to a deal word"] = float(tied)
        f[f"{where}:recalled"] = float(bool(recalled().search(text)))
        f[f"{where}:past date"] = float(past_dates(text, a.year))
    return f


def candidates(a: Assembler) -> list[str]:
    """The names an item gives, in order of first appearance (a name the title cuts short
    stands for its whole form)."""
    cut = _cut_short(a)
    return list(dict.fromkeys(cut.get(o.name, o.name) for s in a.sents for o in s.orgs))


def _cut_short(a: Assembler) -> dict[str, str]:
    """Names of the title that end where the title was cut ("Vestiaire Collectiv") → the
    whole name the text gives."""
    names = {o.name for s in a.sents for o in s.orgs}
    out = {}
    for s in a.sents:
        for o in s.orgs:
            if s.title and len(o.name) >= 5 and o.end >= len(s.text.rstrip(" .…")) - 1:
                longer = [n for n in names if n != o.name and n.startswith(o.name)]
                if len(longer) == 1:
                    out[o.name] = longer[0]
    return out


def _occurrences(a: Assembler, name: str) -> list[tuple[Sent, Org]]:
    cut = _cut_short(a)
    return [(s, o) for s in a.sents for o in s.orgs if cut.get(o.name, o.name) == name]


def name_features(a: Assembler, name: str, outlet: str) -> Features:
    """How a name stands in the item: a deal's actor, or a cited newspaper, a quoted person,
    a sentence connector, a place."""
    seen = _occurrences(a, name)
    first_o = seen[0][1]
    f: Features = {f"source:{first_o.source}": 1.0}
    for s, o in seen:
        f[f"in {_place(a, s.index)}"] = 1.0
        f |= _roles("before", s.text[max(0, o.start - 30) : o.start])
        f |= _roles("after", s.text[o.end : o.end + 30])
        f |= _roles("name", o.surface)
        if not s.text[: o.start].strip(" «\"'(-–—"):
            f["opens title" if s.title else "opens sentence"] = 1.0
        if _MARKER.search(s.text[max(0, o.start - 25) : o.start]):
            f["after par/by"] = 1.0
        if any(0 <= t[0] - o.end < 30 for t in s.triggers):
            f["before a deal word"] = 1.0
        if o.source == "per":
            f["person"] = 1.0
    f["count"] = min(len(seen), 5) / 5
    f["words"] = min(len(name.split()), 4) / 4
    f["common word"] = float(a.is_common_name(first_o))
    f["place"] = float(gazetteer().lookup(name) is not None)
    key, home = fold(name), fold(outlet)
    f["outlet"] = float(bool(key) and bool(home) and (key in home or home in key))
    return f | cue_features(a, name) | no_firm_features(a, name, outlet)


def no_firm_features(a: Assembler, name: str, outlet: str) -> Features:
    """The kind of name that is no firm (digest/read/wordnames.py: an office, the state, a
    generic noun, a unit, a product's code, an outlet, a person), if it is one."""
    kind = not_a_firm(a, name, outlet)
    if kind is None:
        return {}
    return {f"no firm:{kind}": 1.0} | ({"no firm": 1.0} if kind not in SOFT else {})


def cue_features(a: Assembler, name: str) -> Features:
    """The cue words right around a name (digest/language/data/actor_cues.yaml), where it
    stands (title, lead), and how much the item speaks of it beside the other names."""
    f: Features = {}
    places = set()
    for s, o in _occurrences(a, name):
        where = _place(a, s.index)
        places.add(where)
        for cue in around(s.text, o.start, o.end):
            f[f"cue:{cue}"] = 1.0
            if where != "later":
                f[f"{where} cue:{cue}"] = 1.0
        if not s.text[: o.start].strip(" «\"'(-–—") and a.is_common_name(o):
            f["common opener"] = 1.0
    counts = a.counts
    top = max((counts[n] for n in counts), default=0)
    f["most named"] = float(counts[name] == top)
    f["fund name"] = float(bool(fund_name().search(name)))
    f["title and lead"] = float({"title", "lead"} <= places)
    return f


def draft_features(a: Assembler, d: Draft, name: str) -> Features:
    """How a name stands towards one draft: chosen by the rules, in its sentences, near."""
    where = {s.index for s in a.sents for o in s.orgs if o.name == name}
    deal = d.spots[0][0] if d.spots else (d.sentences[0] if d.sentences else 0)
    return {
        "chosen": float(name == d.actor),
        "named investor": float(name in d.investors),
        "in deal sentence": float(deal in where),
        "in deal sentences": float(bool(where & set(d.sentences))),
        "distance": min(min((abs(i - deal) for i in where), default=5), 5) / 5,
    }


def actor_features(a: Assembler, d: Draft, name: str, outlet: str) -> Features:
    return name_features(a, name, outlet) | draft_features(a, d, name)


# -- decisions -----------------------------------------------------------------------------


def announces(a: Assembler, scorer: Scorer) -> bool:
    """Does the item announce a new deal (not an acquisition, results, an inauguration, an old
    round recalled)? Its title and lead say so."""
    return scorer.item.probability(item_features(a)) >= 0.5


def _invests(f: Features | None) -> bool:
    """A name the item shows investing: a name acting right before a deal word, not a common
    word opening a sentence, a place or the outlet."""
    bad = ("common opener", "place", "outlet", "no firm")
    if not f:
        return False
    return f.get("before a deal word", 0.0) > 0 and not any(f.get(k) for k in bad)


def _may_raise(name: str, d: Draft) -> bool:
    """A name that can be a round's company: not one of its investors, not a public plan."""
    return name not in d.investors and "public_plan" not in found(name)


def choose_actors(a: Assembler, scorer: Scorer, outlet: str) -> None:
    """Each draft's actor: the name of the item most likely to be its deal's company."""
    if not any(d.amount is not None for d in a.drafts):
        return
    names = {n: name_features(a, n, outlet) for n in candidates(a)}
    kept = own_round(a)  # a list of rounds: each item's company raises its own
    for d in a.drafts:
        mine = [n for n in names if d.kind != "funding_round" or _may_raise(n, d)]
        mine = [n for n in mine if not names[n].get("no firm")] or mine
        if d.amount is None or not mine:
            continue  # a round's named investors or a public plan are not the company raising

        def odds(n: str, d: Draft = d) -> float:
            return scorer.actor.probability(names[n] | draft_features(a, d, n))

        best = max(mine, key=odds)
        if best == d.actor or d in kept:
            continue
        if names.get(d.actor, {}).get("no firm") and odds(best) < 0.5:
            continue  # no likely firm for a word's draft: its own sentences may name one
        if d.kind != "funding_round" and _invests(names.get(d.actor)):
            if d.beneficiary is None and "cue:into" in names[best] and odds(best) >= 0.5:
                d.beneficiary = best  # "Sanofi investit 180 M$ dans Owkin": the investor stays
            continue
        d.actor = best
        if d.kind == "funding_round":
            d.beneficiary = best
        else:
            d.investor = best
        d.investors = [n for n in d.investors if n != best]
        d.lead = d.lead if d.lead != best else (d.investors[0] if d.investors else None)
    for d in a.drafts:
        if d.kind != "funding_round" and d.amount is not None and d.beneficiary is None:
            d.beneficiary = receiver(a, d, names)
            d.earlier = d.earlier or _own_fund(a, d)


def _own_fund(a: Assembler, d: Draft) -> bool:
    """An investment by a fund into no firm the item names: the fund's own money set aside
    for a kind of firms ("200 M€ seront investis dans la santé"), not a deal; but a fund's
    money beside a larger round of another company in the item is its share of that round."""
    if d.beneficiary is not None or not (d.actor and fund_name().search(d.actor)):
        return False
    return not any(
        r.kind == "funding_round"
        and not r.earlier
        and r.beneficiary not in (None, d.actor)
        and r.amount is not None
        and r.amount.value >= d.amount.value
        for r in a.drafts
        if d.amount is not None
    )


_BARE = re.compile(r"\b(?:dans|en|in|into)\s+(?:le|la|les|l['’]|the)\s*$", re.I)


def _subsidiary(a: Assembler, name: str, parent: str, reach: int = 80) -> bool:
    """The name is a subsidiary of the parent: a subsidiary cue, the parent named beside it."""
    for s, o in _occurrences(a, name):
        cues = around(s.text, o.start, o.end)
        if {"subsidiary", "subsidiary_named"} & cues:
            near = s.text[max(0, o.start - reach) : o.end + reach]
            if fold(parent) in fold(near):
                return True
    return False


def receiver(a: Assembler, d: Draft, names: dict[str, Features]) -> str | None:
    """The firm an investment goes into, when the title or lead says so ("GBL prend une
    participation dans la société X"), or the investor's own subsidiary ("Y via sa filiale X"):
    not its investor, a place, a plan, a cited source or a word."""
    for n, f in names.items():
        into = f.get("title cue:into") or f.get("lead cue:into") or _subsidiary(a, n, d.actor)
        if not into or n == d.actor or n in d.investors or f.get("place"):
            continue
        if f.get("source:loc") or f.get("source:per") or any(c.isdigit() for c in n):
            continue  # a place, a person, a date or a programme ("octobre 2023", "France 2030")
        if any(_BARE.search(s.text[: o.start]) for s, o in _occurrences(a, n)):
            continue  # "dans le Nord", "in the North": a region, not a firm
        if not no_firm(a, n) and not is_word(a, n):
            return n
    return None

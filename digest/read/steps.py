"""A page about a step of a project already told (its inauguration, its permit, its state aid,
its pause) restates the project's cost ("le site a nécessité 200 M€", "un projet à 7
milliards", "the total cost would amount to…"): that is no deal of the page. On such a page
(its title and lead tell one of `STEPS`, topics of digest/language/data/topics.yaml, before any
word of a deal), a deal is kept only when a sentence stating its amount tells it as news
(topics.yaml's `announced` words: "va investir", "lève", "un nouvel atelier", "a dévoilé un
autre investissement"); the others are dropped, and a page left with no deal tells its event
(digest/read/events.py)."""

from __future__ import annotations

from dataclasses import replace

from digest.read.deals import Assembler, Draft
from digest.read.topics import announced, topics

STEPS = ("opening", "permit", "public_aid", "setback")
_DEAL = ("invest", "fund", "receive")


def step_of(a: Assembler) -> str | None:
    """The step of a project the page tells first: the first sentence of its title and lead
    that tells a step or a deal tells the step before any word of a deal ("X inaugure son
    usine", not "X investit 50 M€ dans l'usine qu'il inaugure")."""
    for s in a.sents:
        if not a.in_lead(s):
            break
        found = [(m.start(), k) for k in STEPS if (m := topics()[k].search(s.text))]
        deal = [  # a noun tells a deal only beside a sum: "un partenaire de premier plan" not
            t[0]
            for t in s.triggers
            if t[2].startswith(_DEAL) and (s.money or not t[2].endswith("_noun"))
        ]
        if found and (not deal or min(found)[0] < min(deal)):
            return min(found)[1]
        if found or deal:
            return None
    return None


def told_as_news(a: Assembler, d: Draft) -> bool:
    """One of the sentences stating the draft's own amount (not a part's), or its deal's
    sentences when it has none, tells it as news, not as a cost restated."""
    if d.amount is None:
        where = set(d.sentences)
    else:
        value = d.amount.value
        where = {
            i
            for i, end in d.spots
            if any(m.end == end and abs(m.value - value) <= 0.01 * value for m in a.sents[i].money)
        }
    return any(announced().search(a.sents[i].text) for i in where)


def news_parts(a: Assembler, d: Draft) -> list[Draft]:
    """The parts of a restated cost that a sentence of their own tells as news (a new workshop
    announced at an inauguration, read as a part of the site's cost): each its own deal."""
    out = []
    for spot, _ in d.parts:
        where = [i for i, end in d.spots if end == spot.end and i not in d.sentences]
        if where and announced().search(a.sents[where[0]].text):
            i, text = where[0], a.sents[where[0]].text
            told = d.evidence | {"deal": text, "amount": text}
            out.append(
                replace(
                    d,
                    amount=spot,
                    parts=[],
                    spots=[(i, spot.end)],
                    sentences=[i],
                    jobs=None,
                    evidence=told,
                )
            )
    return out


def drop_restated_costs(a: Assembler) -> None:
    """On a page about a step of a project, the deals no sentence tells as news go (their
    parts told as news stay, as deals of their own)."""
    if step_of(a) is None:
        return
    kept: list[Draft] = []
    for d in a.drafts:
        kept += [d] if told_as_news(a, d) else news_parts(a, d)
    a.drafts = kept

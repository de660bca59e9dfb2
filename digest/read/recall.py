"""Deals a page only recalls: an earlier round ("qui avait levé 5 M€ en 2021"), a stake taken
before ("a déjà reçu 15 M€ de…"), another country's plan told in passing ("après 3 milliards en
Pologne, le groupe a récemment…"). They are flagged `earlier` and give no mention.

A deal is recalled when every statement of its amount is told with a recall word of
digest/language/data/topics.yaml (pluperfect, "déjà", "récemment", "précédent"…) or with a
date before the page's own. Past the title and lead one such cue is enough. In the title or
lead, where the page says its news, a deal is recalled only beside another deal told there
without cues, and when both cues stand by its amount ("Après avoir levé 5 M€ en 2021, X lève
20 M€"), or when it is the same company's deal in another country, in a sentence with a recall
word ("après 2 milliards en Pologne et 1 en Espagne, le groupe a récemment…").
"""

from __future__ import annotations

import re

from digest.read.clauses import Sent
from digest.read.deals import Assembler, Draft
from digest.read.topics import frames, past_dates, recalled

_BEFORE, _AFTER = 70, 50  # the words around an amount that tell how it is told
_NOT_THE_DEAL_DATE = re.compile(  # a date of the company, not of the deal
    r"(?:depuis|fond[ée]e?s?|cr[ée]{2}e?s?|cr[ée]ation|lanc[ée]e?s?|lancement|n[ée]e?|founded|since)"
    r"\s+(?:\S+\s+){0,2}$",
    re.I,
)
_DATE_CUE = re.compile(r"(?:\b(?:en|in|d[eu]|d['’]|le|datant)\s+(?:\S+\s+)?)$", re.I)


def dated_before(text: str, year: int | None, month: int | None) -> bool:
    """A date before the page's stands in the text as the deal's date ("en 2021", "d'avril
    2020"), not as the company's ("fondée en 2016", "depuis 2013")."""
    for m in re.finditer(r"(?:[A-Za-zÀ-ÿ]+\s+)?(?:19|20)\d\d\b", text):
        head = text[: m.start()]
        cued = _DATE_CUE.search(head) and not _NOT_THE_DEAL_DATE.search(head)
        if cued and past_dates(m.group(0), year, month):
            return True
    return False


def _cues(s: Sent, start: int, end: int, year: int | None, month: int | None) -> tuple[bool, ...]:
    """(a recall word by the amount, a date before the page's by it, a recall word in the
    sentence)."""
    before, after = s.text[max(0, start - _BEFORE) : start], s.text[end : end + _AFTER]
    after = re.split(r"[,;(]|\s[-–—]\s", after)[0]  # the amount's own clause, not the next
    word = bool(recalled().search(before) or recalled().search(after))
    date = dated_before(before[-40:], year, month) or dated_before(after[:40], year, month)
    return word, date, bool(recalled().search(s.text))


def _statements(a: Assembler, d: Draft) -> list[tuple[Sent, int, int]]:
    """Where the draft's amount is stated: (sentence, start, end)."""
    out = []
    for i, end in d.spots:
        s = a.sents[i]
        m = next((x for x in s.money if x.end == end), None)
        out.append((s, m.qstart if m else end, end))
    return out


def is_recalled(a: Assembler, d: Draft, month: int | None = None) -> bool:
    """Every statement of the draft's amount tells it as recalled (see the module's doc)."""
    told = _statements(a, d)
    if d.amount is None or not told:
        return False
    cues = [_cues(s, start, end, a.year, month) for s, start, end in told]
    if not any(a.in_lead(s) for s, _, _ in told):
        return all(word or date for word, date, _ in cues)
    news = [x for x in a.drafts if x is not d and _told_as_news(a, x, month)]
    if not news:
        return False  # the title and lead's only deal is the page's news
    if all(word and date for word, date, _ in cues):
        return True
    elsewhere = any(x.actor == d.actor and x.country != d.country for x in news)
    return bool(d.country) and elsewhere and all(in_sentence for _, _, in_sentence in cues)


def _told_as_news(a: Assembler, d: Draft, month: int | None) -> bool:
    """A deal first told in the title or lead with no recall word or earlier date by it."""
    told = _statements(a, d)
    if d.amount is None or not told:
        return False
    s, start, end = min(told, key=lambda x: (x[0].index, x[1]))
    word, date, _ = _cues(s, start, end, a.year, month)
    return a.in_lead(s) and not (word or date)


def _framed(s: Sent, start: int, end: int) -> bool:
    """The amount's own clause tells a figure that is no company's deal: an investor's own
    fund ("lève son fonds de 300 M€ auprès d'investisseurs institutionnels"), a state's aid
    ("une aide d'État de 900 M€")."""
    before = re.split(r"[,;:]|\s[-–—]\s", s.text[max(0, start - _BEFORE) : start])[-1]
    after = re.split(r"[,;(]|\s[-–—]\s", s.text[end : end + _AFTER])[0]
    return bool(frames().search(before) or frames().search(after))


def is_framed(a: Assembler, d: Draft) -> bool:
    """Every statement of the draft's amount (its own value, not its parts' or figures') is
    told as a fund's own, a state's aid or money for a whole kind of firms."""
    if d.amount is None:
        return False
    value = d.amount.value
    told = []
    for i, end in d.spots:
        s = a.sents[i]
        m = next((x for x in s.money if x.end == end), None)
        if m is not None and abs(m.value - value) <= 0.01 * max(m.value, value):
            told.append((s, m.qstart, end))
    return bool(told) and all(_framed(*t) for t in told)


def mark_recalled(a: Assembler, month: int | None = None) -> None:
    """Flag the drafts whose deal the page only recalls, or whose figure is no company's deal
    (a fund's own, a state's aid): they give no mention. A draft kept for the news deal keeps
    the recalled deal's facts away from it."""
    flagged = [d for d in a.drafts if is_recalled(a, d, month) or is_framed(a, d)]
    for d in flagged:
        d.earlier = True

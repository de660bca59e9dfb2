"""The edition's own words, written from its figures: opening line, subject, preheader, labels."""

from __future__ import annotations

import re
from datetime import datetime

from digest.edition.layout import Layout, Total
from digest.edition.plausible import counted
from digest.language import french
from digest.language.amounts import find_money
from digest.models import Amount, Story

NBSP = "\u00a0"
SUBJECT_MAX = 78
PREHEADER_MIN, PREHEADER_MAX = 85, 100
_SYMBOL = {"EUR": "€", "USD": "$", "GBP": "£"}
_SHORT_SCALES = ((1e9, "Md"), (1e6, "M"), (1e3, "k"))


_SCALE_WORD = re.compile(r"(\d) (milliards?|millions?|billions?|emplois?)\b")


def nobreak(text: str) -> str:
    """Keep a figure with its scale word on one line (a no-break space before "milliards")."""
    return _SCALE_WORD.sub("\\1\u00a0\\2", text)


def money_short(value: float, currency: str | None) -> str:
    """6,1 Md€ / 300 M$ / 800 k€ / 45 M CHF: the compact form for lists and subjects."""
    symbol = _SYMBOL.get(currency or "", currency or "")
    sep = "" if len(symbol) <= 1 else " "
    for scale, short in _SHORT_SCALES:
        if value >= scale:
            n = value / scale
            return f"{french.number(n, 1 if n < 100 else 0)}{NBSP}{short}{sep}{symbol}"
    return f"{french.number(value)}{NBSP}{symbol}".strip()


def rounded_money(value: float, currency: str | None, qualifier: str) -> str:
    """A total in words, as a reader says it: 5,4 milliards, 46 millions ("environ" if rounded)."""
    scale = next((t for t, _ in _SHORT_SCALES[:2] if value >= t), 1.0)
    mantissa = value / scale
    near = round(mantissa, 1 if mantissa < 10 else 0) * scale
    if abs(near - value) > 1e-6 * value and qualifier == "exact":
        qualifier = "about"
    word = {"about": "environ ", "at_least": "au moins "}.get(qualifier, "")
    return nobreak(word + french.money(near, currency))


def plural(n: int, one: str, many: str) -> str:
    return f"{french.number(n, 0)} {one if n < 2 else many}"


def label(story: Story) -> str:
    """Who the story is about, in two or three words: the startup raising, else the investor."""
    names = [story.beneficiary, story.investor]
    if story.kind != "funding_round":
        names.reverse()
    # a name starts with a capital or a digit; anything else is a misread word, not a name
    found = next((n for n in names if n and (n[0].isupper() or n[0].isdigit())), None)
    return found or _clip(story.headline, 40)


def _clip(text: str, limit: int) -> str:
    """Cut at a word boundary, ending with an ellipsis, when text is longer than limit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def totals_text(totals: list[Total]) -> str:
    return french.join(
        [rounded_money(t.value, t.currency, t.qualifier) for t in totals if t.currency]
    )


def _when(start: datetime, end: datetime) -> str:
    days = (end - start).days
    if days <= 1:
        return "Aujourd'hui"
    return "Cette semaine" if days <= 8 else "Ces dernières semaines"


def opening(plan: Layout, start: datetime, end: datetime) -> str:
    """Cette semaine, 12 investissements annoncés pour 6,1 milliards d'euros, dont 5 levées…"""
    n = plan.count
    rounds = sum(
        1
        for s in (plan.lead, *plan.investments, *plan.rounds, *plan.brief)
        if s is not None and s.kind == "funding_round"
    )
    text = f"{_when(start, end)}, {plural(n, 'investissement annoncé', 'investissements annoncés')}"
    money_part = totals_text(plan.totals)
    if money_part:
        text += f" pour {money_part}"
    if 0 < rounds < n:
        text += f", dont {plural(rounds, 'levée de fonds', 'levées de fonds')}"
    return text + "."


def _states(text: str, amount: Amount) -> bool:
    """Whether a text states the amount (a headline "… lève 12 millions d'euros")."""
    return any(
        abs(spot.amount().value - amount.value) <= 0.01 * amount.value for spot in find_money(text)
    )


def subject(plan: Layout) -> str:
    """The lead deal first, named with its amount, then how many others follow; at most 78
    characters. A doubtful amount (`plausible.doubt`) is not named."""
    assert plan.lead is not None
    name = label(plan.lead)
    head = plan.lead.headline.strip() or name
    amount = counted(plan.lead)
    if amount and not _states(head, amount):
        short = money_short(amount.value, amount.currency)
        head, name = f"{head} ({short})", f"{name} ({short})"
    others = plan.count - 1
    candidates = []
    if others:
        more = plural(others, "autre annonce", "autres annonces")
        candidates += [
            f"{head}, et {more}",
            f"{head} (+{plural(others, 'annonce', 'annonces')})",
            f"{name}, et {more}",
        ]
    candidates += [head, name]
    for text in candidates:
        if len(text) <= SUBJECT_MAX:
            return text
    return _clip(name, SUBJECT_MAX)


def _fit(core: str, fillers: list[str], low: int, high: int) -> str:
    """Add the fillers that keep the text within [low, high], then clip if still too long."""
    text = core
    for filler in fillers:
        if len(text) >= low:
            break
        if len(text) + 1 + len(filler) <= high:
            text = f"{text} {filler}"
    return _clip(text, high)


def preheader(plan: Layout, opening: str) -> str:
    """Complements the subject: the next stories by name, then the week's totals (85-100);
    without other stories, the lead's summary (else the opening line) filled to length."""
    assert plan.lead is not None
    rest = [*plan.investments, *plan.rounds, *plan.brief]
    names = [
        f"{label(s)} ({money_short(a.value, a.currency)})" if (a := counted(s)) else label(s)
        for s in rest
    ]
    sums = [money_short(t.value, t.currency) for t in plan.totals if t.currency][:2]
    money = f", {' et '.join(sums)}" if sums else ""
    tail = f"{plural(plan.count, 'annonce', 'annonces')}{money} au total."
    fillers = [
        "Chiffres clés et sources à l'intérieur.",
        "Bonne lecture !",
        "Le détail, avec les sources.",
        "À lire ci-dessous.",
    ]
    if not names:
        return _fit(plan.lead.summary.strip() or opening, fillers, PREHEADER_MIN, PREHEADER_MAX)
    best = ""
    for k in range(1, len(names) + 1):
        text = f"Aussi{french.NNBSP}: {', '.join(names[:k])}. {tail}"
        if len(text) > PREHEADER_MAX:
            break
        best = text
    if not best:
        best = _clip(f"Aussi{french.NNBSP}: {names[0]}.", PREHEADER_MAX)
    return _fit(best, fillers, PREHEADER_MIN, PREHEADER_MAX)

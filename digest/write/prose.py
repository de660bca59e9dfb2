"""Headline and summary in French, from merged facts only, through the variants of phrases_fr.yaml.

Variants are chosen by a hash of the story id (builds are reproducible); a variant is eligible
when every field it requires is known, and its optional segments vanish with unknown fields.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import Any

import yaml

from digest.language import data, french
from digest.language.fold import fold
from digest.language.labels import figure_words, labels, round_phrases
from digest.models import Figure
from digest.write.fusion import Facts, Rival

_FIELD = re.compile(r"\{(\w+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


@cache
def phrases() -> dict[str, Any]:
    return data.load("phrases_fr.yaml")


def fingerprint() -> str:
    """A short hash of the phrases and labels: a change of wording rewrites the stored stories."""
    return hashlib.sha256(yaml.safe_dump([phrases(), labels()]).encode()).hexdigest()[:12]


@cache
def own_words() -> frozenset[str]:
    """Every word our phrases and labels write: not facts, so the traceability check lets them
    through."""
    text = _FIELD.sub(" ", yaml.safe_dump([phrases(), labels()], allow_unicode=True))
    return frozenset(fold(w) for w in re.findall(r"[^\W\d_]+", text))


def fill(template: str, fields: dict[str, str]) -> str | None:
    """The template filled, optional segments dropped; None when a required field is unknown."""

    def segment(m: re.Match[str]) -> str:
        names = _FIELD.findall(m[1])
        return _FIELD.sub(lambda f: fields[f[1]], m[1]) if all(fields.get(n) for n in names) else ""

    text = _OPTIONAL.sub(segment, template)
    if not all(fields.get(n) for n in _FIELD.findall(text)):
        return None
    return re.sub(r" {2,}", " ", _FIELD.sub(lambda f: fields[f[1]], text)).strip()


def pick(story_id: str, variants: list[str], fields: dict[str, str]) -> str | None:
    """One eligible variant: the same hashed index of the story id in every slot."""
    filled = [t for t in (fill(v, fields) for v in variants) if t]
    if not filled:
        return None
    digest = hashlib.sha256(story_id.encode()).digest()
    return french.capitalise(filled[int.from_bytes(digest[:4], "big") % len(filled)])


def figures_phrase(figures: list[Figure]) -> str:
    """'25 000 GPU et la formation de 1 million de personnes' (known kinds only)."""
    out = []
    for f in figures:
        words = figure_words(f.kind)
        if words:
            one, many, phrase = words
            out.append(phrase.format(n=french.count(f.quantity, one, many)))
    return french.join(out)


def _fields(facts: Facts, kind: str) -> dict[str, str]:
    a = facts.amount
    # an investment in someone else ("dans Mistral AI"), not the investor's own name again
    other = facts.beneficiary and fold(facts.beneficiary) != fold(facts.investor or "")
    f: dict[str, str] = {
        "investor": french.subject(facts.investor) if facts.investor else "",
        "de_investor": french.de(french.subject(facts.investor)) if facts.investor else "",
        "beneficiary": facts.beneficiary or "",
        "de_beneficiary": french.de(facts.beneficiary) if other and facts.beneficiary else "",
        "dans": f"dans {facts.beneficiary}" if other else "",
        "amount": french.amount(a) if a else "",
        "amount_full": french.amount(a, equivalents=True) if a else "",
        "de_amount": french.de_amount(a) if a else "",
        "de_amount_full": french.de_amount(a, equivalents=True) if a else "",
        "timeframe": facts.timeframe or "",
        "jobs": french.jobs(facts.jobs) if facts.jobs else "",
        "figures": figures_phrase(facts.figures),
        "de_event": french.de(facts.event) if facts.event else "",
        "places": french.at_places(facts.locations) if facts.locations else "",
    }
    f["Jobs"] = french.capitalise(f["jobs"]) if facts.jobs and facts.jobs.value >= 2 else ""
    country = french.in_country(facts.country) if facts.country else ""
    f["where"] = country or f["places"]
    f["places_extra"] = f["places"] if country else ""
    said = round_phrases(facts.round) if facts.round else None
    if said:
        f["round_in"], f["round_noun"] = said
        f["Round"] = french.capitalise(f["round_noun"].split(" ", 1)[1])
    if facts.investors:
        named = [french.subject(n) for n in facts.investors]
        f["aupres"] = "auprès " + french.de(french.join(named))
        f["aupres_short"] = "auprès " + french.de(
            french.join(named if len(named) < 3 else named[:1])
        )
        f["lead"] = named[0] if len(named) > 1 else ""
        f["others"] = french.join(named[1:] if f["lead"] else named)
    if kind == "funding_round":
        f["lead"] = f.get("lead", "")
        debt = facts.round == "dette"
        f["levee"] = "un financement" if debt else "une levée de fonds"
        f["Levee"] = french.capitalise(f["levee"])
        f["menee"], f["annoncee"] = ("mené", "annoncé") if debt else ("menée", "annoncée")
        f["des_fonds"] = "de la dette" if debt else "des fonds"
        f["round_alone"] = "" if debt else f.get("round_in", "")
    return f


def _slot(kind: str, name: str, facts: Facts) -> str:
    """headline / lead, or their fallbacks when the amount or the main actor is unknown."""
    actor = facts.beneficiary if kind == "funding_round" else facts.investor
    if not actor:
        return f"{name}_no_beneficiary" if kind == "funding_round" else f"{name}_no_investor"
    return name if facts.amount else f"{name}_no_amount"


def headline(story_id: str, kind: str, facts: Facts) -> str | None:
    table = phrases()[kind]
    fields = _fields(facts, kind)
    slot = _slot(kind, "headline", facts)
    return pick(story_id, table.get(slot, []), fields) or pick(story_id, table["headline"], fields)


def rivals_sentence(rivals: list[Rival]) -> str | None:
    """'Selon Le Fil Tech, le montant atteindrait 1,2 milliard de dollars ; selon …'."""
    shapes = phrases()["rivals"]
    said: dict[tuple[str, ...], list[str]] = {}
    for r in rivals:
        said.setdefault(tuple(r.sources), []).append(shapes[r.field].format(value=r.text))
    clauses = [
        shapes["clause"].format(sources=french.join(list(outlets)), said=french.join(what))
        for outlets, what in said.items()
    ]
    return french.capitalise(f"{french.NNBSP}; ".join(clauses)) + "." if clauses else None


def summary(story_id: str, kind: str, facts: Facts) -> str:
    """1 to 3 sentences: the main fact, then jobs and programme figures, then who disagrees."""
    table = phrases()[kind]
    fields = _fields(facts, kind)
    sentences: list[str | None] = []
    slot = _slot(kind, "lead", facts)
    lead = pick(story_id, table.get(slot, []), fields)
    if lead:
        sentences.append(lead)
    if fields["jobs"]:
        sentences.append(pick(story_id, table["jobs"], fields))
    elif fields["figures"]:
        sentences.append(pick(story_id, table["figures"], fields))
    if kind == "funding_round" and fields["places"] and "Présente" not in (lead or ""):
        sentences.append(pick(story_id, table["places"], fields))
    said = rivals_sentence(facts.rivals)
    if said:
        sentences.append(said)
    return " ".join(s for s in sentences[:3] if s)

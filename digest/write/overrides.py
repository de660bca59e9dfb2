"""Editors' own values over the machine's: a story's headline, summary and facts as an editor
set them, checked (French messages), and applied over the written story at every load, so that
later polls and rebuilds never overwrite them.

The traceability check holds back machine text only: a story whose headline and summary are
both the editor's is theirs, never held for them. When an editor changes a fact and not the
text, the text is written again from the facts as they now stand, so the two never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from digest.language.amounts import lexicon, number_value, parse_amount
from digest.language.labels import labels
from digest.models import Amount, Quantity, Story
from digest.write import fusion, prose

MAX_HEADLINE, MAX_SUMMARY, MAX_NAME, MAX_NAMES = 160, 1200, 120, 20
MAX_AMOUNT = 1e13  # ten thousand billion: beyond, a typo
MAX_JOBS = 10_000_000
_LIST_SPLIT = re.compile(r"\s*(?:\n|;|,(?!\d))\s*")
_DIGITS = re.compile(r"^[\d\s\u00a0\u202f.,]+$")


class OverrideError(ValueError):
    """An editor's value that cannot be kept; the message (French) says why."""


@dataclass(frozen=True)
class FieldSpec:
    """One editable field: its French label, the form's kind of input, and the reading's
    evidence key whose sentence is shown beside it."""

    name: str
    label: str
    kind: str  # text | long | names | amount | jobs | round
    evidence: str


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("headline", "Titre", "text", "deal"),
    FieldSpec("summary", "Résumé", "long", "deal"),
    FieldSpec("investor", "Investisseur (acteur)", "text", "deal"),
    FieldSpec("beneficiary", "Bénéficiaire", "text", "deal"),
    FieldSpec("amount", "Montant", "amount", "amount"),
    FieldSpec("round", "Type de tour", "round", "round"),
    FieldSpec("investors", "Investisseurs du tour", "names", "deal"),
    FieldSpec("jobs", "Emplois", "jobs", "jobs"),
    FieldSpec("locations", "Lieux", "names", "places"),
    FieldSpec("timeframe", "Échéance", "text", "timeframe"),
)
SPECS = {f.name: f for f in FIELDS}
TEXT_FIELDS = ("headline", "summary")
# a fact the editor set settles what sources disagreed on about it
_CONFLICTS = {"amount": "amount.", "jobs": "jobs.", "timeframe": "timeframe", "round": "round"}


def currencies() -> list[str]:
    """The ISO codes the reading knows (numbers.yaml): EUR first."""
    codes = list(lexicon()["currencies"])
    return sorted(codes, key=lambda c: (c != "EUR", c))


def rounds() -> dict[str, str]:
    """Round code → its French label, in the order of labels_fr.yaml."""
    return {code: entry[0] for code, entry in labels()["rounds"].items()}


def _text(raw: str, label: str, limit: int, *, required: bool = False) -> str | None:
    text = " ".join(raw.split()) if "\n" not in raw else raw.strip()
    if not text:
        if required:
            raise OverrideError(f"{label} : ne peut pas être vide.")
        return None
    if len(text) > limit:
        raise OverrideError(f"{label} : {len(text)} caractères, au plus {limit}.")
    return text


def _names(raw: str, label: str) -> list[str]:
    names = [n for n in (" ".join(p.split()) for p in _LIST_SPLIT.split(raw)) if n]
    if len(names) > MAX_NAMES:
        raise OverrideError(f"{label} : au plus {MAX_NAMES} noms.")
    for n in names:
        if len(n) > MAX_NAME:
            raise OverrideError(f"{label} : « {n[:30]}… » dépasse {MAX_NAME} caractères.")
    return list(dict.fromkeys(names))


def parse_amount_field(raw: str, currency: str) -> dict[str, Any] | None:
    """ "20 M€", "1,5 milliard", "800 000" with the chosen currency; None when left empty."""
    raw = " ".join(raw.split())
    if not raw:
        return None
    if len(raw) > 80:
        raise OverrideError("Montant : trop long (80 caractères au plus).")
    currency = currency.strip().upper()
    if currency and currency not in currencies():
        raise OverrideError(
            f"Devise inconnue « {currency[:10]} » : choisissez {', '.join(currencies())}."
        )
    found = parse_amount(raw)
    if found is None and _DIGITS.match(raw):
        value = number_value(raw)
        found = Amount(value, None, as_stated=raw) if value is not None else None
    if found is None or found.value <= 0:
        raise OverrideError(
            f"Montant illisible « {raw} » : écrivez par exemple « 20 M€ » ou « 1,5 milliard »."
        )
    if found.value > MAX_AMOUNT:
        raise OverrideError("Montant : plus de 10 000 milliards, vérifiez la saisie.")
    if found.currency and currency and found.currency != currency:
        raise OverrideError(
            f"Montant : le texte dit {found.currency}, la devise choisie est {currency}."
        )
    chosen = found.currency or currency
    if not chosen:
        raise OverrideError("Montant : choisissez la devise.")
    return {
        "value": found.value,
        "currency": chosen,
        "qualifier": found.qualifier,
        "as_stated": raw,
    }


def parse_jobs(raw: str) -> int | None:
    digits = "".join(raw.split())
    if not digits:
        return None
    if not digits.isdigit() or not digits.isascii():
        raise OverrideError(f"Emplois : « {raw.strip()[:20]} » n'est pas un nombre entier.")
    value = int(digits)
    if value > MAX_JOBS:
        raise OverrideError("Emplois : nombre trop grand, vérifiez la saisie.")
    return value


def parse(name: str, raw: str, currency: str = "") -> Any:
    """The editor's value of a field from its form text, as stored (JSON); OverrideError
    with a French message when it cannot be kept."""
    spec = SPECS.get(name)
    if spec is None:
        raise OverrideError(f"Champ inconnu « {name[:30]} ».")
    if spec.kind == "amount":
        return parse_amount_field(raw, currency)
    if spec.kind == "jobs":
        return parse_jobs(raw)
    if spec.kind == "names":
        return _names(raw, spec.label)
    if spec.kind == "round":
        code = raw.strip()
        if code and code not in rounds():
            raise OverrideError(f"Type de tour inconnu « {code[:30]} ».")
        return code or None
    if name == "headline":
        return _text(raw, spec.label, MAX_HEADLINE, required=True)
    if name == "summary":
        return _text(raw, spec.label, MAX_SUMMARY)
    return _text(raw, spec.label, MAX_NAME)


def value_of(story: Story, name: str) -> Any:
    """A story's current value of a field, in the stored (JSON) shape."""
    if name == "amount":
        a = story.amount
        return None if a is None else {
            "value": a.value, "currency": a.currency, "qualifier": a.qualifier,
            "as_stated": a.as_stated,
        }  # fmt: skip
    if name == "jobs":
        return story.jobs.value if story.jobs else None
    return getattr(story, name)


def _set(story: Story, name: str, value: Any) -> Story:
    if name == "amount":
        amount = None if value is None else Amount(
            float(value["value"]), value["currency"], value.get("qualifier", "exact"),
            value.get("as_stated", ""),
        )  # fmt: skip
        return replace(story, amount=amount)
    if name == "jobs":
        return replace(story, jobs=None if value is None else Quantity(int(value)))
    if name == "headline":
        return replace(story, headline=value or story.headline)
    edited = replace(story)  # a copy: the machine's story stays as it was
    if name in ("investors", "locations"):
        setattr(edited, name, list(value or []))
    else:
        setattr(edited, name, value if value is not None else ("" if name == "summary" else None))
    return edited


def _facts(story: Story) -> fusion.Facts:
    return fusion.Facts(
        investor=story.investor, beneficiary=story.beneficiary, investors=story.investors,
        country=story.country, locations=story.locations, amount=story.amount,
        parts=story.parts, jobs=story.jobs, timeframe=story.timeframe, sector=story.sector,
        event=story.event, round=story.round, figures=story.figures,
    )  # fmt: skip


def apply(story: Story, values: dict[str, Any]) -> Story:
    """The story with the editor's values over the machine's (values: field → stored value)."""
    known = {k: v for k, v in values.items() if k in SPECS}
    if not known:
        return story
    edited = story
    for name, value in known.items():
        edited = _set(edited, name, value)
    settled = [p for f, p in _CONFLICTS.items() if f in known]
    edited.conflicts = [c for c in edited.conflicts if not c.field.startswith(tuple(settled))]
    if any(k not in TEXT_FIELDS for k in known):  # a fact changed: the text follows the facts
        facts = _facts(edited)
        if "headline" not in known:
            edited.headline = prose.headline(story.id, story.kind, facts) or story.headline
        if "summary" not in known:
            edited.summary = prose.summary(story.id, story.kind, facts)
    if "headline" in known and "summary" in known:
        edited.held_reason = None  # the text is the editor's own, not the machine's to hold
    return edited

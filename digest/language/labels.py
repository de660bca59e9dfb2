"""The French labels of round types, figure kinds and disputed fields (data/labels_fr.yaml):
one table for the edition view and for the written phrases."""

from __future__ import annotations

from functools import cache
from typing import Any

from digest.language import data, french


@cache
def labels() -> dict[str, Any]:
    return data.load("labels_fr.yaml")


def _shown(code: str) -> str:
    return code.replace("_", " ").capitalize()


def round_label(code: str) -> str:
    """'Série A' for serie_a, as the key figures show it."""
    entry = labels()["rounds"].get(code)
    return entry[0] if entry else _shown(code)


def round_phrases(code: str) -> tuple[str, str] | None:
    """('en série A', 'une série A'): after an amount, and as a noun; None for an unknown code."""
    entry = labels()["rounds"].get(code)
    return (entry[1], entry[2]) if entry else None


def figure_label(kind: str) -> str:
    """'Personnes formées' for people_trained, as the key figures show it."""
    entry = labels()["figures"].get(kind)
    return entry[0] if entry else _shown(kind)


def figure_words(kind: str) -> tuple[str, str, str] | None:
    """(singular, plural, phrase around {n}) of a figure kind; None for an unknown kind."""
    entry = labels()["figures"].get(kind)
    return (entry[1], entry[2], entry[3]) if entry else None


def conflict_label(field: str) -> str:
    """'la devise' for amount.currency, "le nombre d'étudiants" for figures.students."""
    if field.startswith("figures."):
        label = figure_label(field.removeprefix("figures."))
        plain = label if label[:2].isupper() else label[:1].lower() + label[1:]
        return "le nombre " + french.de(plain)
    return labels()["conflicts"].get(field, field)

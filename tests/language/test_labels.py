"""Every code the program can store has its French words in data/labels_fr.yaml: the round types
and figure kinds the reader gives, and the fields the fusion of facts can find in dispute."""

from __future__ import annotations

import inspect
import re

import pytest

from digest.language.labels import (
    conflict_label,
    figure_label,
    figure_words,
    labels,
    round_label,
    round_phrases,
)
from digest.language.lexicon import lexicon
from digest.write import fusion

ROUNDS = [code for code, _ in lexicon().rounds]
FIGURES = [kind for kind, *_ in lexicon().figures]


def _conflict_fields() -> list[str]:
    """The fields fusion names when it records a conflict (every literal it passes)."""
    source = inspect.getsource(fusion)
    found = re.findall(r'_conflict\(\s*"([\w.]+)"', source)
    found += re.findall(r'_quantity\("([\w.]+)"', source)
    found += re.findall(r'_vote_text\([^()]*(?:\([^()]*\)[^()]*)*"([\w.]+)"\)', source)
    found += [f"figures.{kind}" for kind in FIGURES] if 'f"figures.{kind}"' in source else []
    return sorted(set(found))


def test_the_conflict_fields_are_found() -> None:
    expected = {"amount.value", "amount.currency", "jobs.value", "timeframe", "country", "round"}
    assert expected <= set(_conflict_fields())


@pytest.mark.parametrize("code", ROUNDS)
def test_every_round_the_reader_gives_has_a_label_and_phrases(code: str) -> None:
    assert code in labels()["rounds"]
    assert round_label(code)[:1].isupper()
    after, noun = round_phrases(code) or ("", "")
    assert after and noun


@pytest.mark.parametrize("kind", FIGURES)
def test_every_figure_kind_the_reader_gives_has_a_label_and_words(kind: str) -> None:
    assert kind in labels()["figures"]
    one, many, phrase = figure_words(kind) or ("", "", "")
    assert one and many and "{n}" in phrase
    assert figure_label(kind)[:1].isupper()


@pytest.mark.parametrize("field", _conflict_fields())
def test_every_disputed_field_has_a_name(field: str) -> None:
    label = conflict_label(field)
    assert label != field
    assert label.startswith(("le ", "la ", "l'", "les "))


def test_labels_say_codes_in_french() -> None:
    assert round_label("serie_a") == "Série A"
    assert round_phrases("seed") == ("en amorçage", "un tour d'amorçage")
    assert conflict_label("amount.currency") == "la devise"
    assert conflict_label("figures.students") == "le nombre d'étudiants"
    assert conflict_label("figures.gpus") == "le nombre de GPU"
    assert round_label("mezzanine") == "Mezzanine"  # unknown codes show as themselves

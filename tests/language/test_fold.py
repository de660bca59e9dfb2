"""The one fold and the one name key, by example: what every stage compares words and names by."""

from __future__ import annotations

import pytest

from digest.language.fold import fold, fold_spans, name_key
from digest.language.places import gazetteer


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        # accents and case
        ("Île-de-France", "ile-de-france"),
        ("ÉNERGIE Société", "energie societe"),
        ("Crédit Agricole", "credit agricole"),
        ("e\u0301te\u0301", "ete"),  # accents written as combining marks
        ("Straße", "strasse"),
        # ligatures
        ("Œuvre Capital", "oeuvre capital"),
        ("cœur", "coeur"),
        ("Æther", "aether"),
        ("ex æquo", "ex aequo"),
        # apostrophes
        ("L’Oréal", "l'oreal"),
        ("L'Oréal", "l'oreal"),
        ("Lʼ Oréal", "l' oreal"),
        ("‘quoted’", "'quoted'"),
        # hyphens and spaces
        ("Saint\u2011Étienne", "saint-etienne"),
        ("10\u00a0000", "10 000"),
        ("10\u202f000", "10 000"),
        # nothing else changes: punctuation and legal forms stay
        ("Acme, Inc.", "acme, inc."),
        ("Mistral AI SAS", "mistral ai sas"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("L'Oréal", "l'oreal"),
        ("L’Oréal SA", "l'oreal"),
        ("Œuvre Capital", "oeuvre capital"),
        ("Île-de-France", "ile de france"),
        ("Saint\u2011Étienne", "saint etienne"),
        ("Provence-Alpes-Côte d’Azur", "provence alpes cote d'azur"),
        ("  Mistral\u00a0AI. ", "mistral ai"),
        # legal suffixes, with or without dots and commas, one after another
        ("Mistral AI SAS", "mistral ai"),
        ("Société Générale S.A.", "societe generale"),
        ("Société Générale SA", "societe generale"),
        ("Acme, Inc.", "acme"),
        ("Siemens GmbH", "siemens"),
        ("Renault Group SA", "renault"),
        ("Groupe Société Générale", "societe generale"),
        ("Barclays PLC", "barclays"),
        # a suffix word inside a name, or a name that is only one, stays
        ("SAS Institute", "sas institute"),
        ("Groupe", "groupe"),
        ("SA", "sa"),
        # case
        ("MISTRAL AI", "mistral ai"),
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


def test_equal_names_have_equal_keys() -> None:
    spellings = ["L'Oréal", "L’Oréal", "l'oreal", "L'ORÉAL S.A.", "L’Oréal SA"]
    assert {name_key(s) for s in spellings} == {"l'oreal"}


@pytest.mark.parametrize("text", ["Œuvre à Saint\u2011Étienne", "Café\u0301", "L’Œil, SAS"])
def test_fold_spans_point_back_into_the_text(text: str) -> None:
    folded, starts, ends = fold_spans(text)
    assert folded == fold(text)
    assert len(starts) == len(ends) == len(folded)
    for i in range(len(folded)):
        assert fold(text[starts[i] : ends[i]]).find(folded[i]) >= 0


def test_a_word_found_in_the_fold_is_found_in_the_text() -> None:
    text = "Le fonds Œuvre Capital investit"
    folded, starts, ends = fold_spans(text)
    at = folded.index("oeuvre capital")
    assert text[starts[at] : ends[at + len("oeuvre capital") - 1]] == "Œuvre Capital"


def test_places_are_found_at_text_offsets_across_ligatures_and_odd_hyphens() -> None:
    text = "Le cœur du projet : une usine à Saint\u2011Étienne."
    [place] = gazetteer().find(text)
    assert (place.name, text[place.start : place.end]) == ("Saint-Étienne", "Saint\u2011Étienne")

"""Timeframes are normalised and written in French, whatever language the source spoke."""

from __future__ import annotations

import pytest

from digest.language.timeframes import Timeframe, french, in_french, read_english


@pytest.mark.parametrize(
    ("english", "french_text"),
    [
        ("this year", "cette année"),
        ("next year", "l'an prochain"),
        ("over the next five years", "sur cinq ans"),
        ("by 2027", "d'ici 2027"),
        ("by the end of 2027", "d'ici fin 2027"),
        ("By end-2026", "d'ici fin 2026"),
        ("within three years", "d'ici trois ans"),
        ("in the next 18 months", "d'ici 18 mois"),
        ("through 2030", "jusqu'en 2030"),
        ("in 2025", "en 2025"),
    ],
)
def test_an_english_timeframe_becomes_french(english: str, french_text: str) -> None:
    assert in_french(english, "en") == french_text


def test_a_french_timeframe_is_kept_as_stated_and_unread_english_is_dropped() -> None:
    assert in_french("d'ici fin 2027", "fr") == "d'ici fin 2027"
    assert in_french("dans les prochains mois") == "dans les prochains mois"
    assert in_french("Dès l'été", "fr") == "dès l'été"  # it opened the source's sentence
    assert in_french("over the long term", "en") is None
    assert in_french("over the long term") is None  # English words, even with no language given


def test_the_structure_is_a_year_or_a_duration() -> None:
    assert read_english("by the end of 2027") == Timeframe("by_end", years=(2027,))
    assert read_english("over three years") == Timeframe("over", count=3, unit="year")
    assert french(Timeframe("over", count=1, unit="year")) == "sur un an"

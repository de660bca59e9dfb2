"""Amounts in English, German, Spanish and Italian: "billion" is 10^9 whatever the language."""

from __future__ import annotations

import pytest

from digest.language.amounts import parse_amount


@pytest.mark.parametrize(
    ("text", "lang", "value", "currency"),
    [
        ("the group will invest 4 billion euros", "en", 4e9, "EUR"),
        ("the group will invest 4 billion euros", "fr", 4e9, "EUR"),  # English in a French feed
        ("a $4 Billion Bet", "en", 4e9, "USD"),
        ("Quillon sammelt 1,2 Milliarden Euro ein", "de", 1.2e9, "EUR"),
        ("ein Werk für 500 Mio. Euro", "de", 5e8, "EUR"),
        ("rund 35 Millionen US-Dollar", "de", 3.5e7, "USD"),
        ("zwei Milliarden Euro", "de", 2e9, "EUR"),
        ("recauda mil millones de euros", "es", 1e9, "EUR"),
        ("invertirá 2,5 mil millones de dólares", "es", 2.5e9, "USD"),
        ("una ronda de 1.200 millones de euros", "es", 1.2e9, "EUR"),
        ("raccoglie 3 miliardi di euro", "it", 3e9, "EUR"),
        ("un round da 45 milioni di dollari", "it", 4.5e7, "USD"),
        ("un investimento da 1,5 mld di euro", "it", 1.5e9, "EUR"),
    ],
)
def test_amounts_in_each_language(text: str, lang: str, value: float, currency: str) -> None:
    amount = parse_amount(text, lang)
    assert amount is not None
    assert (amount.value, amount.currency) == (pytest.approx(value), currency)


def test_the_long_scales_of_german_and_spanish_stay_long() -> None:
    assert parse_amount("eine Billion Euro", "de").value == pytest.approx(1e12)
    assert parse_amount("un billón de euros", "es").value == pytest.approx(1e12)


def test_qualifiers_of_each_language() -> None:
    assert parse_amount("mehr als 20 Millionen Euro", "de").qualifier == "at_least"
    assert parse_amount("hasta 20 millones de euros", "es").qualifier == "up_to"
    assert parse_amount("circa 20 milioni di euro", "it").qualifier == "about"

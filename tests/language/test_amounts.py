"""The amount and count parser on sentences written for these tests (French and English)."""

from __future__ import annotations

import pytest

from digest.language.amounts import find_counts, find_money, number_value, parse_amount


@pytest.mark.parametrize(
    ("text", "value", "currency", "qualifier", "stated"),
    [
        (
            "Le groupe va investir 4 milliards d'euros en Bretagne.",
            4e9,
            "EUR",
            "exact",
            "4 milliards d'euros",
        ),
        ("Orvale débloque 1,2 Md€ pour ses usines.", 1.2e9, "EUR", "exact", "1,2 Md€"),
        ("Un plan de plus d’1,2 Md € pour le cloud.", 1.2e9, "EUR", "at_least", "1,2 Md €"),
        (
            "Il injecte près de quinze milliards d'euros.",
            15e9,
            "EUR",
            "about",
            "quinze milliards d'euros",
        ),
        ("La société mise environ 45 M€ sur Saclay.", 45e6, "EUR", "about", "45 M€"),
        (
            "Une enveloppe allant jusqu'à 300 millions d'euros.",
            3e8,
            "EUR",
            "up_to",
            "300 millions d'euros",
        ),
        ("Un ticket de 3 500 000 euros.", 3.5e6, "EUR", "exact", "3 500 000 euros"),
        ("Un ticket de 3\u202f500\u00a0000 €.", 3.5e6, "EUR", "exact", "3\u202f500\u00a0000 €"),
        ("Le fonds lève 80 Mio EUR.", 8e7, "EUR", "exact", "80 Mio EUR"),
        ("La cible : 4,3 Mds$ sur cinq ans.", 4.3e9, "USD", "exact", "4,3 Mds$"),
        ("Un engagement de 2 Mrd CHF.", 2e9, "CHF", "exact", "2 Mrd CHF"),
        (
            "quarante-cinq millions de livres sterling",
            45e6,
            "GBP",
            "exact",
            "quarante-cinq millions de livres sterling",
        ),
        ("Un budget de 750 k€.", 7.5e5, "EUR", "exact", "750 k€"),
        ("quatre-vingts millions d'euros", 8e7, "EUR", "exact", "quatre-vingts millions d'euros"),
    ],
)
def test_french_amounts(
    text: str, value: float, currency: str, qualifier: str, stated: str
) -> None:
    (spot,) = find_money(text, "fr")
    assert spot.value == pytest.approx(value)
    assert (spot.currency, spot.qualifier, spot.text) == (currency, qualifier, stated)


@pytest.mark.parametrize(
    ("text", "value", "currency", "qualifier"),
    [
        ("Tamarix will invest €1.2bn in France.", 1.2e9, "EUR", "exact"),
        ("The startup raised $20M in a Series B.", 2e7, "USD", "exact"),
        ("It has raised more than US$ 3.5 million so far.", 3.5e6, "USD", "at_least"),
        ("A £100m plan to build a plant.", 1e8, "GBP", "exact"),
        ("It plans to spend up to 2 billion euros.", 2e9, "EUR", "up_to"),
        ("Around $4.3 billion will go to data centres.", 4.3e9, "USD", "about"),
        ("The group commits 1,500 million dollars.", 1.5e9, "USD", "exact"),
    ],
)
def test_english_amounts(text: str, value: float, currency: str, qualifier: str) -> None:
    (spot,) = find_money(text, "en")
    assert spot.value == pytest.approx(value)
    assert (spot.currency, spot.qualifier) == (currency, qualifier)


def test_a_currency_carries_over_to_the_bare_amounts_of_a_list() -> None:
    spots = find_money(
        "Après 3,1 milliards de dollars au Brésil, 1,4 milliard au Chili et 900 millions au Pérou."
    )
    assert [(s.value, s.currency) for s in spots] == [(3.1e9, "USD"), (1.4e9, "USD"), (9e8, "USD")]


def test_an_amount_stated_twice_is_one_amount_with_its_equivalent() -> None:
    (spot,) = find_money("Le plan de 2 milliards d'euros (2,2 milliards de dollars) est confirmé.")
    assert (spot.value, spot.currency) == (2e9, "EUR")
    assert [(e.value, e.currency) for e in spot.equivalents] == [(pytest.approx(2.2e9), "USD")]
    amount = spot.amount()
    assert amount.equivalents[0].as_stated == "2,2 milliards de dollars"


def test_a_bare_amount_without_any_currency_keeps_none() -> None:
    (spot,) = find_money("dont 2 milliards pour un nouveau site")
    assert (spot.value, spot.currency) == (2e9, None)


@pytest.mark.parametrize(
    "text",
    [
        "former 1 million de Français au numérique",
        "le site compte 25 000 GPU",
        "une piste de 100m",
        "en 2024, 3 000 visiteurs",
        "le 12 mars 2025 à Lyon",
        "plusieurs milliards d'euros",
    ],
)
def test_counts_dates_and_vague_sums_are_not_money(text: str) -> None:
    assert find_money(text, "en" if "piste" in text else "fr") == []


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "noun"),
    [
        ("Le projet créera 3 000 emplois.", 3000, "exact", "emplois"),
        ("plus de 3000 postes en CDI", 3000, "at_least", "postes"),
        ("une cinquantaine d'emplois directs", 50, "about", "emplois"),
        ("Une centaine de postes sont prévus.", 100, "about", "postes"),
        ("il emploie plus de 2 100 personnes", 2100, "at_least", "personnes"),
        ("jusqu'à 400 nouveaux emplois", 400, "up_to", "emplois"),
        ("10 000 créations d'emplois", 10000, "exact", "créations d'emplois"),
        ("former un million de personnes", 1_000_000, "exact", "personnes"),
        ("to hire 1,200 people", 1200, "exact", "people"),
    ],
)
def test_counts(text: str, value: int, qualifier: str, noun: str) -> None:
    lang = "en" if "hire" in text else "fr"
    spot = next(s for s in find_counts(text, lang) if s.value > 1)
    assert (spot.value, spot.qualifier) == (value, qualifier)
    assert spot.noun.startswith(noun)


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("3 000", "fr", 3000),
        ("1,2", "fr", 1.2),
        ("3,000", "en", 3000),
        ("3.000", "fr", 3000),
        ("1.5", "en", 1.5),
        ("vingt et un", "fr", 21),
        ("deux cents", "fr", 200),
        ("quatre-vingt-dix", "fr", 90),
        ("forty-five", "en", 45),
    ],
)
def test_number_values(text: str, lang: str, value: float) -> None:
    assert number_value(text, lang) == pytest.approx(value)


def test_parse_amount_gives_the_first_amount_or_none() -> None:
    amount = parse_amount("Un chèque de 12 M€, puis 3 M€.")
    assert amount is not None and (amount.value, amount.currency, amount.as_stated) == (
        12e6,
        "EUR",
        "12 M€",
    )
    assert parse_amount("aucun montant ici") is None


def test_a_currency_code_or_name_before_a_scaled_number_is_its_currency() -> None:
    assert [(m.value, m.currency) for m in find_money("a EUR 2.4 bln plant", "en")] == [
        (2.4e9, "EUR")
    ]
    found = find_money("Velion confirmed a Euro 900 million strategic investment", "en")
    assert [(m.value, m.currency) for m in found] == [(9e8, "EUR")]
    assert find_money("ABC 3 millions de clients", "fr") == []


def test_a_scaled_number_before_the_noun_of_investing_is_money() -> None:
    found = find_money("Ce projet, qui coûtera 1,2 milliard d'investissement, ouvrira en 2027.")
    assert [(m.value, m.currency) for m in found] == [(1.2e9, None)]
    assert find_money("La ville compte 1,2 million d'habitants.") == []

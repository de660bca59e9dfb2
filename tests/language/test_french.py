"""French formatting of amounts, counts, elision and places."""

from __future__ import annotations

import pytest

from digest.edition.view import facts
from digest.language import french
from digest.models import Amount, Figure, Quantity, Story

N = "\u202f"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Amount(1.2e9, "EUR"), "1,2 milliard d'euros"),
        (Amount(4e9, "EUR"), "4 milliards d'euros"),
        (Amount(2e9, "EUR"), "2 milliards d'euros"),
        (Amount(1.9e9, "USD"), "1,9 milliard de dollars"),
        (Amount(45e6, "EUR"), "45 millions d'euros"),
        (Amount(1e6, "EUR"), "1 million d'euros"),
        (Amount(1.5e6, "GBP"), "1,5 million de livres sterling"),
        (Amount(800_000, "EUR"), f"800{N}000 euros"),
        (Amount(12_345_678, "EUR"), f"12{N}345{N}678 euros"),
        (Amount(2.25e9, None), "2,25 milliards"),
        (Amount(6e9, "EUR", "about", "près de 6 milliards d'euros"), "près de 6 milliards d'euros"),
        (Amount(6e9, "EUR", "about", "6 milliards environ"), "environ 6 milliards d'euros"),
        (Amount(1e9, "EUR", "at_least", "au moins 1 milliard"), "au moins 1 milliard d'euros"),
        (Amount(1e9, "EUR", "at_least"), "plus de 1 milliard d'euros"),
        (Amount(5e8, "EUR", "up_to"), "jusqu'à 500 millions d'euros"),
    ],
)
def test_amounts_read_as_french(amount: Amount, text: str) -> None:
    assert french.amount(amount) == text


def test_an_amount_stated_twice_shows_both_currencies_without_converting() -> None:
    a = Amount(4e9, "EUR", equivalents=[Amount(4.3e9, "USD")])
    assert french.amount(a, equivalents=True) == "4 milliards d'euros (4,3 milliards de dollars)"
    assert french.amount(a) == "4 milliards d'euros"


def test_amount_after_a_noun_keeps_de_and_elides() -> None:
    assert french.de_amount(Amount(4e9, "EUR")) == "de 4 milliards d'euros"
    about = Amount(4e9, "EUR", "about", "environ")
    assert french.de_amount(about) == "d'environ 4 milliards d'euros"
    assert french.de_amount(Amount(1e9, "EUR", "up_to")) == "pouvant atteindre 1 milliard d'euros"


@pytest.mark.parametrize(
    ("q", "text"),
    [
        (Quantity(3000), f"3{N}000 emplois"),
        (Quantity(3000, "at_least", "plus de 3 000"), f"plus de 3{N}000 emplois"),
        (Quantity(50, "about"), "une cinquantaine d'emplois"),
        (Quantity(100, "about"), "une centaine d'emplois"),
        (Quantity(1000, "about"), "un millier d'emplois"),
        (Quantity(250, "about", "près de 250"), "près de 250 emplois"),
        (Quantity(1), "1 emploi"),
    ],
)
def test_jobs(q: Quantity, text: str) -> None:
    assert french.jobs(q) == text


def test_thousands_use_a_narrow_no_break_space() -> None:
    assert french.number(1_234_567) == f"1{N}234{N}567"
    assert french.number(1.25) == "1,25"


def test_elision_before_vowels_only() -> None:
    assert french.de("Amazon") == "d'Amazon"
    assert french.de("IBM") == "d'IBM"
    assert french.de("Microsoft") == "de Microsoft"
    assert french.de("Écho") == "d'Écho"


@pytest.mark.parametrize(
    ("country", "text"),
    [
        ("France", "en France"),
        ("Allemagne", "en Allemagne"),
        ("États-Unis", "aux États-Unis"),
        ("Japon", "au Japon"),
        ("Royaume-Uni", "au Royaume-Uni"),
        ("Mexique", "au Mexique"),
        ("Irak", "en Irak"),
    ],
)
def test_country_prepositions(country: str, text: str) -> None:
    assert french.in_country(country) == text


def test_places_share_their_preposition_or_keep_their_own() -> None:
    assert french.at_places(["Paris", "Marseille", "Mulhouse"]) == "à Paris, Marseille et Mulhouse"
    assert french.at_places(["Le Havre"]) == "au Havre"
    assert french.at_places(["Lille", "Hauts-de-France"]) == "à Lille et dans les Hauts-de-France"
    assert french.at_places(["Normandie"]) == "en Normandie"


def test_departments_take_their_preposition() -> None:
    assert french.at_place("Gironde") == "en Gironde"
    assert french.at_place("Isère") == "dans l'Isère"
    assert french.at_place("Nord") == "dans le Nord"
    assert french.at_place("Bouches-du-Rhône") == "dans les Bouches-du-Rhône"
    assert french.at_place("Pas-de-Calais") == "dans le Pas-de-Calais"
    assert french.at_place("Loire") == "dans la Loire"


def test_large_counts_take_a_scale_noun() -> None:
    assert french.count(Quantity(1_000_000), "personne", "personnes") == "1 million de personnes"
    assert french.count(Quantity(25_000, "up_to"), "GPU", "GPU") == f"jusqu'à 25{N}000 GPU"


def test_state_and_regions_take_their_article() -> None:
    assert french.subject("État français") == "l'État français"
    assert french.subject("Région Bretagne") == "la Région Bretagne"
    assert french.de(french.subject("État français")) == "de l'État français"


@pytest.mark.parametrize(
    ("q", "text"),
    [
        (Quantity(1_000_000), "1 million"),
        (Quantity(1_200_000), "1,2 million"),
        (Quantity(25_000, "up_to"), f"jusqu'à 25{N}000"),
        (Quantity(50, "about"), "une cinquantaine"),
        (Quantity(3000, "at_least"), f"plus de 3{N}000"),
    ],
)
def test_a_key_figure_says_the_count_as_the_summary_does(q: Quantity, text: str) -> None:
    assert french.quantity(q) == text
    assert text in french.count(q, "personne", "personnes")


def test_the_cards_figures_and_jobs_match_the_summary() -> None:
    story = Story(
        "s",
        jobs=Quantity(50, "about"),
        figures=[Figure("people_trained", Quantity(1_000_000), "d'ici 2027")],
    )
    shown = dict(facts(story))
    assert shown["Emplois"] == "une cinquantaine"
    assert shown["Personnes formées"] == "1\u00a0million d'ici 2027"

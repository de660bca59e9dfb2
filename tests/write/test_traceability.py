"""The zero-invented-facts check: numbers by value, names by folded spelling or alias."""

from __future__ import annotations

import pytest

from digest.write.traceability import found, numbers, problems

N = "\u202f"


@pytest.mark.parametrize(
    "source",
    [
        "Le groupe met 4 Md€ sur la table.",
        "Le groupe met 4 milliards d'euros sur la table.",
        "Le groupe met quatre milliards d'euros sur la table.",
        "Le groupe met 4 000 millions d'euros sur la table.",
        "Le groupe met 4.000 millions d'euros sur la table.",
    ],
)
def test_an_amount_is_found_however_a_source_writes_it(source: str) -> None:
    assert problems("Le groupe investit 4 milliards d'euros.", found([(source, "fr")]), []) == []


def test_english_sources_use_the_short_scale() -> None:
    source = found([("Stratacloud will invest $2bn and create 3,000 jobs.", "en")])
    assert problems(f"Selon X, 2 milliards de dollars et 3{N}000 emplois.", source, ["X"]) == []
    assert problems(f"2{N}000 milliards de dollars", source, []) != []
    # "billion" is 10^9 in every language (issue 13): an English word, whatever the feed says
    assert problems("2 billions de dollars", source, []) == []


def test_spelled_out_numbers_and_approximations() -> None:
    assert [
        v for v, _ in numbers("trois cents millions, deux cent cinquante, une cinquantaine")
    ] == [
        3e8,
        250,
        50,
    ]
    source = found([("Elle prévoit de recruter cinq personnes.", "fr")])
    assert problems("Elle prévoit de créer cinq emplois.", source, []) == []
    assert problems("Elle prévoit de créer six emplois.", source, []) == ["le nombre « six »"]


def test_names_and_places_must_be_in_a_source_or_cited() -> None:
    source = found([("Microsoft va investir en France, à Mulhouse et à Saint-Étienne.", "fr")])
    text = "Microsoft investit en France, à Mulhouse et Saint-Etienne. Selon Le Fil Tech, non."
    assert problems(text, source, ["Le Fil Tech"]) == []
    assert problems("Microsoft investit à Lyon.", source, []) == ["le nom « Lyon »"]
    assert problems("Amazon investit en France.", source, []) == ["le nom « Amazon »"]


def test_a_country_is_found_through_its_adjective() -> None:
    source = found([("Le champion français de la batterie s'agrandit.", "fr")])
    assert problems("Il investit en France.", source, []) == []

"""The company raising is never its own investor, and a round's investors in the order news
means them: an investment read on the company an item is about is its round when others are
named investing in it; newcomers before the investors already in the capital; an extension
takes the round it extends. Texts written here."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.language.names import Aliases
from digest.models import Item, Mention
from digest.read import details
from digest.read.reader import Reader
from tests.support.items import news_item


def item(title: str, text: str) -> Item:
    return news_item(
        title,
        text,
        "fr",
        published=datetime(2025, 5, 6, 8, tzinfo=UTC),
        url="https://ex.org/o",
        id=9,
    )


def rounds(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.kind == "funding_round"]


def test_an_extension_of_its_round_is_the_company_raising_with_the_round_it_extends(
    reader: Reader,
) -> None:
    ms = reader.read(
        item(
            "Nuvelia prolonge sa levée",
            "La medtech lyonnaise Nuvelia a annoncé une extension de 12 millions d'euros de sa "
            "levée de fonds de mars. Elle porte ainsi sa série A à 30 millions d'euros.",
        )
    )
    twelve = [m for m in ms if m.amount and m.amount.value == 12e6]
    assert [(m.kind, m.beneficiary, m.investor, m.round) for m in twelve] == [
        ("funding_round", "Nuvelia", None, "serie_a")
    ]


def test_an_investment_read_on_the_company_whose_lead_is_named_is_its_round(
    reader: Reader,
) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Jeux mobiles : 40 millions d'euros pour Brumel",
                "Le fonds Orme Capital devient l'actionnaire de référence de Brumel. "
                "Le fonds a investi 40 millions d'euros dans le studio nantais.",
            )
        )
    )
    assert (m.beneficiary, m.lead) == ("Brumel", "Orme Capital")


def test_newcomers_come_before_the_investors_already_in_the_capital(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Nuvelia lève 20 millions d'euros",
                "Nuvelia lève 20 millions d'euros auprès de ses actionnaires historiques Kestrel "
                "et Fonds Alpha, rejoints par le fonds Orme Capital.",
            )
        )
    )
    assert m.lead is None
    assert m.investors == ["Orme Capital", "Kestrel", "Fonds Alpha"]


def test_a_list_described_after_its_names() -> None:
    text = (
        "auprès de Kestrel et Fonds Alpha, ses investisseurs historiques, "
        "et d'Orme, un nouveau fonds"
    )
    found = details.existing_investors(text, 0, ["Kestrel", "Fonds Alpha", "Orme"])
    assert found == {"Kestrel", "Fonds Alpha"}


def test_a_name_opening_on_digits_is_a_name() -> None:
    text = "La levée réunit 83Nord et Kestrel."
    assert details.named_list(text, len("La levée réunit "), [], Aliases([])) == [
        "83Nord",
        "Kestrel",
    ]


def test_a_giver_named_by_a_description_is_the_company_spoken_of(reader: Reader) -> None:
    ms = reader.read(
        item(
            "Kestrel Group poursuit son expansion dans le jeu vidéo",
            "Kestrel Group poursuit son expansion dans le jeu vidéo. Le géant coréen entre au "
            "capital de la start-up nantaise Brumel.",
        )
    )
    assert [(m.beneficiary, m.investors) for m in rounds(ms)] == [("Brumel", ["Kestrel Group"])]

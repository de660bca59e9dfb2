"""Deals a page only recalls give no mention (digest/read/recall.py), and pages that announce
nothing new give none at all (the item model of digest/read/scorer.py). Items in our words."""

from __future__ import annotations

from digest.models import Mention
from digest.read.reader import Reader
from tests.support.items import news_item


def read(reader: Reader, title: str, text: str) -> list[Mention]:
    item = news_item(
        title, text, feed_name="Le Courrier des Pousses", url="https://example.org/r", id=1
    )
    return reader.read(item)


def amounts(found: list[Mention]) -> set[float]:
    return {m.amount.value for m in found if m.amount}


def test_an_earlier_round_recalled_later_gives_no_mention(reader: Reader) -> None:
    found = read(
        reader,
        "Pelagis lève 14 millions d'euros pour ses capteurs marins",
        "La jeune pousse brestoise Pelagis annonce une levée de 14 millions d'euros menée par "
        "Brume Capital. Elle recrutera 30 ingénieurs d'ici 2026. La société avait levé 3 millions "
        "d'euros en 2021 auprès de business angels.",
    )
    assert amounts(found) == {14e6}


def test_a_stake_taken_before_gives_no_mention(reader: Reader) -> None:
    found = read(
        reader,
        "Orvalis investit 600 millions d'euros dans une usine à Dunkerque",
        "Le groupe Orvalis va investir 600 millions d'euros dans une usine de recyclage à "
        "Dunkerque. Le site emploiera 250 personnes à partir de 2027. L'industriel mise aussi sur "
        "les jeunes pousses du recyclage. Par ailleurs, la start-up Kelvio a déjà reçu le "
        "soutien d'Orvalis, avec un investissement de 20 millions d'euros.",
    )
    assert amounts(found) == {600e6}


def test_the_same_groups_plans_in_other_countries_recalled_give_no_mention(
    reader: Reader,
) -> None:
    found = read(
        reader,
        "Nubera va investir 3 milliards d'euros en France dans ses centres de données",
        "Le géant du cloud Nubera investira 3 milliards d'euros en France d'ici 2027. Après "
        "2 milliards d'euros en Pologne, Nubera a récemment promis 1,5 milliard d'euros en Italie.",
    )
    assert amounts(found) == {3e9}


def test_a_plan_in_two_countries_told_as_news_gives_both(reader: Reader) -> None:
    found = read(
        reader,
        "Nubera va investir 3 milliards d'euros en France et 1 milliard en Belgique",
        "Le géant du cloud Nubera investira 3 milliards d'euros en France et 1 milliard d'euros "
        "en Belgique d'ici 2027.",
    )
    assert {3e9, 1e9} <= amounts(found)


def test_a_deal_told_with_dejà_in_the_lead_is_still_the_news(reader: Reader) -> None:
    found = read(
        reader,
        "Sylvea, déjà soutenue par Bpifrance, lève 9 millions d'euros",
        "La medtech Sylvea, qui avait déjà séduit des business angels, lève 9 millions d'euros.",
    )
    assert amounts(found) == {9e6}


def test_an_acquisition_gives_no_deal(reader: Reader) -> None:
    found = read(
        reader,
        "L'éditeur Talvane rachète la start-up Mirelle pour 120 millions d'euros",
        "L'éditeur de logiciels Talvane a acquis la start-up lyonnaise Mirelle pour 120 millions "
        "d'euros. Le rachat doit être finalisé à l'automne.",
    )
    assert [(m.kind, m.investor, m.amount, m.topic) for m in found] == [
        ("event", "Talvane", None, "acquisition")
    ]


def test_jobs_told_alone_are_kept_unless_the_title_is_about_something_else(
    reader: Reader,
) -> None:
    site = read(
        reader,
        "Norvane va créer 300 emplois dans sa future usine de Saint-Quentin",
        "Le fabricant de pompes à chaleur Norvane va créer 300 emplois dans l'Aisne d'ici 2027.",
    )
    assert [m.jobs.value for m in site if m.jobs] == [300]
    cuts = read(
        reader,
        "Norvane va se séparer d'un tiers de ses salariés",
        "Le fabricant de pompes à chaleur Norvane supprimera 300 emplois dans l'Aisne.",
    )
    assert not cuts


def test_a_state_aid_or_a_plan_for_startups_beside_a_deal_gives_no_mention(
    reader: Reader,
) -> None:
    found = read(
        reader,
        "Cellvane va investir 400 millions d'euros dans une usine de cellules à Béthune",
        "Le fabricant Cellvane va investir 400 millions d'euros dans une usine de cellules à "
        "Béthune, où 500 personnes seront embauchées. Le site recevra une aide d'État de 120 "
        "millions d'euros. Le gouvernement promet par ailleurs 2 milliards d'euros pour les "
        "start-up de l'industrie.",
    )
    assert amounts(found) == {400e6}


def test_a_firm_raising_its_own_fund_from_institutions_gives_no_mention(reader: Reader) -> None:
    found = read(
        reader,
        "Un nouveau fonds pour l'amorçage",
        "La société de capital-risque Brume Capital annonce lever 250 millions d'euros auprès "
        "d'investisseurs institutionnels. Elle a levé plus de 900 millions d'euros depuis sa "
        "création en 2008.",
    )
    assert not amounts(found)

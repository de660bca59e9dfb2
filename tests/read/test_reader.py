"""The reader on items written for these tests: who, how much, where, how many jobs, by when."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.config import ConfigError, load_config
from digest.models import Item, Mention
from digest.read.reader import PIPES, Reader, unwrap
from tests.support.items import news_item


def item(title: str, text: str, lang: str = "fr") -> Item:
    return news_item(title, text, lang, published=datetime(2025, 3, 4, 8, tzinfo=UTC))


def one(mentions: list[Mention]) -> Mention:
    assert len(mentions) == 1, mentions
    return mentions[0]


def test_only_the_components_used_are_loaded(reader: Reader) -> None:
    assert tuple(reader.nlp.pipe_names) == PIPES


def test_an_investment_with_its_facts(reader: Reader) -> None:
    m = one(
        reader.read(
            item(
                "Orvale Data va investir 700 millions d'euros à Nantes",
                "Le spécialiste des centres de données Orvale Data va investir 700 millions "
                "d'euros dans un nouveau campus à Saint-Herblain, près de Nantes, d'ici 2027. "
                "Le chantier doit créer environ 120 emplois.",
            )
        )
    )
    assert (m.kind, m.investor, m.beneficiary) == ("investment", "Orvale Data", None)
    assert m.amount is not None
    assert (m.amount.value, m.amount.currency, m.amount.qualifier) == (7e8, "EUR", "exact")
    assert m.amount.as_stated == "700 millions d'euros"
    assert m.jobs is not None and (m.jobs.value, m.jobs.qualifier) == (120, "about")
    assert m.country == "France"
    assert "Nantes" in m.places
    assert m.timeframe == "d'ici 2027"
    assert "700 millions" in m.evidence["amount"] and "120 emplois" in m.evidence["jobs"]


def test_names_go_through_the_alias_table(reader: Reader) -> None:
    m = one(
        reader.read(
            item(
                "AWS débloque 900 millions d'euros pour ses régions cloud françaises",
                "Amazon Web Services débloque 900 millions d'euros pour agrandir ses centres "
                "de données en Île-de-France.",
            )
        )
    )
    assert m.investor == "Amazon"


def test_a_descriptor_stands_for_its_company(reader: Reader) -> None:
    m = one(
        reader.read(
            item(
                "Nouveau chèque de la firme de Redmond",
                "La firme de Redmond annonce 1,5 milliard d'euros pour ses centres de données "
                "en Italie.",
            )
        )
    )
    assert (m.investor, m.country) == ("Microsoft", "Italie")


def test_a_funding_round_with_its_investors(reader: Reader) -> None:
    m = one(
        reader.read(
            item(
                "Brindis lève 14 millions d'euros",
                "La startup bordelaise Brindis lève 14 millions d'euros en série A, un tour "
                "mené par Garance Ventures avec la participation de Bpifrance et de Kima "
                "Ventures. Elle prévoit de recruter 30 personnes d'ici fin 2026.",
            )
        )
    )
    assert (m.kind, m.investor, m.beneficiary, m.round) == (
        "funding_round",
        None,
        "Brindis",
        "serie_a",
    )
    assert m.investors[:1] == ["Garance Ventures"] and m.lead == "Garance Ventures"
    assert set(m.investors) == {"Garance Ventures", "Bpifrance", "Kima Ventures"}
    assert m.jobs is not None and m.jobs.value == 30
    assert m.timeframe == "d'ici fin 2026"


def test_a_round_up_gives_one_mention_per_deal(reader: Reader) -> None:
    found = reader.read(
        item(
            "Les annonces industrielles de la semaine",
            "Trois projets ont marqué la semaine. Le chimiste Sorbel investira 250 millions "
            "d'euros à Dunkerque. De son côté, Tamarix Foods met 40 millions d'euros dans une "
            "usine à Quimper et prévoit une cinquantaine d'emplois. Enfin, la banque Vespar "
            "va créer une centaine de postes à Lyon.",
        )
    )
    by = {m.investor: m for m in found}
    assert set(by) == {"Sorbel", "Tamarix Foods", "Vespar"}
    assert by["Sorbel"].amount is not None and by["Sorbel"].amount.value == 2.5e8
    assert by["Sorbel"].places == ["Dunkerque"]
    assert by["Tamarix Foods"].jobs is not None and by["Tamarix Foods"].jobs.value == 50
    assert by["Tamarix Foods"].places == ["Quimper"]
    assert by["Vespar"].amount is None and by["Vespar"].jobs is not None
    assert (by["Vespar"].jobs.value, by["Vespar"].jobs.qualifier) == (100, "about")


def test_a_company_named_in_passing_gives_no_mention(reader: Reader) -> None:
    found = reader.read(
        item(
            "Quillon annonce 60 millions d'euros pour son usine de Rouen",
            "Quillon investit 60 millions d'euros dans son usine de Rouen. Le groupe développe "
            "aussi son assistant Quillon Copilot, comme Google avec Gemini.",
        )
    )
    assert [m.investor for m in found] == ["Quillon"]


def test_the_venue_of_the_announcement_is_not_a_place_of_the_investment(reader: Reader) -> None:
    m = one(
        reader.read(
            item(
                "Choose France : Kalvio mise 300 millions d'euros sur Toulouse",
                "Réuni au château de Versailles lors du sommet Choose France, Kalvio a annoncé "
                "un investissement de 300 millions d'euros dans une usine à Toulouse.",
            )
        )
    )
    assert m.places == ["Toulouse"]
    assert m.event == "Choose France"


def test_head_count_and_trainees_are_not_jobs(reader: Reader) -> None:
    m = one(
        reader.read(
            item(
                "Ondine Systems investit 80 millions d'euros à Grenoble",
                "Ondine Systems, qui emploie déjà plus de 1 500 personnes, investit 80 millions "
                "d'euros à Grenoble et veut former 2 000 techniciens.",
            )
        )
    )
    assert m.jobs is None


def test_a_part_of_the_whole_is_a_part_not_a_deal(reader: Reader) -> None:
    m = one(
        reader.read(
            item(
                "Sorbel engage 3 milliards d'euros",
                "Sorbel engage 3 milliards d'euros en France, dont 1 milliard pour une "
                "nouvelle usine à Fos-sur-Mer.",
            )
        )
    )
    assert m.amount is not None and m.amount.value == 3e9
    assert [(p.amount.value, p.amount.currency) for p in m.parts] == [(1e9, "EUR")]


def test_an_amount_stated_in_two_currencies_is_one_amount(reader: Reader) -> None:
    m = one(
        reader.read(
            item(
                "Tamarix promet 2 milliards d'euros à l'Espagne",
                "Tamarix investira 2 milliards d'euros (2,2 milliards de dollars) en Espagne.",
            )
        )
    )
    assert m.amount is not None and (m.amount.value, m.amount.currency) == (2e9, "EUR")
    assert [e.currency for e in m.amount.equivalents] == ["USD"]
    assert m.country == "Espagne"


def test_two_countries_are_two_deals(reader: Reader) -> None:
    found = reader.read(
        item(
            "Vespar Cloud accélère en Europe",
            "Vespar Cloud investira 1 milliard d'euros en Pologne, après 2 milliards d'euros "
            "en Italie annoncés en janvier.",
        )
    )
    assert sorted((m.country, m.amount.value if m.amount else None) for m in found) == [
        ("Italie", 2e9),
        ("Pologne", 1e9),
    ]


def test_an_english_round(reader: Reader) -> None:
    m = one(
        reader.read(
            item(
                "Kalvio raises $25M Series B",
                "Paris-based Kalvio has raised $25M in a Series B round led by Harbor Peak "
                "Capital, with participation from Bpifrance. It plans to hire 60 people by 2026.",
                lang="en",
            )
        )
    )
    assert (m.kind, m.beneficiary, m.round) == ("funding_round", "Kalvio", "serie_b")
    assert m.amount is not None and (m.amount.value, m.amount.currency) == (25e6, "USD")
    assert m.investors == ["Harbor Peak Capital", "Bpifrance"]
    assert m.jobs is not None and m.jobs.value == 60
    assert m.timeframe == "by 2026"


def test_no_investment_no_mention(reader: Reader) -> None:
    assert (
        reader.read(
            item("Le salon VivaTech ouvre ses portes", "Le salon attend 150 000 visiteurs à Paris.")
        )
        == []
    )


def test_an_operator_alias_file_extends_the_table(tmp_path: Path) -> None:
    (tmp_path / "more.yaml").write_text(
        "names:\n  Orvale Group: [Orvale Data, ODG]\n", encoding="utf-8"
    )
    (tmp_path / "feeds.yaml").write_text(
        "feeds:\n  - {name: A, url: a.xml}\nreading:\n  aliases: [more.yaml]\n", encoding="utf-8"
    )
    config = load_config(tmp_path / "feeds.yaml")
    m = one(
        Reader(config).read(
            item("ODG investit 50 millions d'euros", "ODG investit 50 millions d'euros à Brest.")
        )
    )
    assert m.investor == "Orvale Group"


def test_a_broken_alias_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "more.yaml").write_text("- just a list\n", encoding="utf-8")
    (tmp_path / "feeds.yaml").write_text(
        "feeds:\n  - {name: A, url: a.xml}\nreading:\n  aliases: [more.yaml, missing.yaml]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"more\.yaml"):
        Reader(load_config(tmp_path / "feeds.yaml"))


def test_unwrap_joins_hard_wrapped_lines_and_keeps_paragraphs() -> None:
    text = (
        "Une première phrase assez longue pour être coupée au milieu par la mise en\n"
        "page du fichier.\nCourt titre\nUne autre ligne.\n\nSecond paragraphe."
    )
    assert unwrap(text).split("\n") == [
        "Une première phrase assez longue pour être coupée au milieu par la mise en "
        "page du fichier.",
        "Court titre",
        "Une autre ligne.",
        "Second paragraphe.",
    ]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("", ""),
        ("Sans texte", ""),
        ("", "Orvale investit 3 M€ à Lyon."),
        ("Chiffres", "12,5 % ; 3 000 ; 4 Md ; € ; 2024-2027 ; (((( ; «» ; 1.2.3.4"),
        ("Long", "Orvale investit 3 M€ à Lyon. " * 500),
    ],
)
def test_odd_texts_are_read_without_error(reader: Reader, title: str, text: str) -> None:
    found = reader.read(item(title, text))
    assert len(found) <= 1
    assert all(m.investor in (None, "Orvale") for m in found)


def test_a_site_with_its_cost_is_the_builders_deal(reader: Reader) -> None:
    text = (
        "Orvalis, une PME normande, consacre 40 millions d'euros à un atelier dans le Calvados. "
        "Par ailleurs, le belge Tremaux Chimie construira près de Lacq une unité de 90 millions "
        "d'euros, qui doit employer 120 personnes d'ici 2028."
    )
    mentions = {m.investor: m for m in reader.read(item("Deux chantiers industriels", text))}
    assert set(mentions) == {"Orvalis", "Tremaux Chimie"}
    first, second = mentions["Orvalis"], mentions["Tremaux Chimie"]
    assert second.amount is not None and second.amount.value == 90_000_000
    assert second.places == ["Lacq"] and second.timeframe == "d'ici 2028"
    assert second.jobs is not None and second.jobs.value == 120
    assert first.jobs is None and first.timeframe is None and "Lacq" not in first.places


def test_a_funds_size_and_its_usual_tickets_are_not_deals(reader: Reader) -> None:
    text = (
        "Associée chez Brisance Capital, Léa Morand reste prudente. « Notre fonds, doté de "
        "180 millions d'euros, prendra des positions dans une douzaine de sociétés, avec des "
        "tickets de 2 à 10 millions d'euros. »"
    )
    assert reader.read(item("Entretien avec une investisseuse", text)) == []

"""Deals a page tells in its title and lead without a verb of the trigger lists or without an
amount (digest/read/constructions.py, `Assembler.read_lead`), a figure standing alone on its
line, and a lead that names the company only by a description. Items in our own words."""

from __future__ import annotations

from digest.models import Mention
from digest.read.reader import Reader
from tests.support.items import news_item


def read(reader: Reader, title: str, text: str, lang: str = "fr") -> list[Mention]:
    item = news_item(title, text, lang, feed_name="La Lettre des Ateliers", id=1)
    return reader.read(item)


def companies(found: list[Mention]) -> set[str | None]:
    return {m.beneficiary if m.kind == "funding_round" else m.investor for m in found}


def test_a_stake_told_without_an_amount_is_the_companys_round(reader: Reader) -> None:
    found = read(
        reader,
        "Le groupe Norvalis entre au capital de la start-up Brumel",
        "Le groupe Norvalis entre au capital de la start-up Brumel, qui conçoit des capteurs de "
        "qualité de l'air à Rennes. Le montant n'a pas été dévoilé. Brumel veut ouvrir des "
        "bureaux en Allemagne l'an prochain.",
    )
    assert [(m.kind, m.beneficiary, m.amount) for m in found] == [("funding_round", "Brumel", None)]


def test_an_english_stake_picked_up_is_the_companys_round(reader: Reader) -> None:
    found = read(
        reader,
        "Kestrel Partners picks up a small stake in Orbalt",
        "Orbalt, the Lyon maker of warehouse robots, said on Monday that Kestrel Partners "
        "picked up a small stake in the firm. Neither side said how much the stake cost. "
        "Orbalt wants to open an office in Boston next year.",
        lang="en",
    )
    assert companies(found) == {"Orbalt"}


def test_a_site_chosen_in_the_title_is_the_builders_investment(reader: Reader) -> None:
    found = read(
        reader,
        "Velion choisit la Normandie pour implanter sa première usine de batteries",
        "Velion choisit la Normandie pour implanter sa première usine de batteries. Le site "
        "sera construit à Caen et doit ouvrir en 2028. Les dirigeants de Velion n'ont pas "
        "donné le coût du chantier.",
    )
    assert companies(found) == {"Velion"}
    assert "Caen" in found[0].places


def test_a_figure_alone_on_its_line_belongs_to_the_next_sentences_deal(reader: Reader) -> None:
    found = read(
        reader,
        "Le chiffre de la semaine",
        "3,5 millions d'euros\nC'est la somme que la start-up Brumel vient de réunir auprès de "
        "Ravel Capital pour recruter vingt ingénieurs.",
    )
    assert [(m.beneficiary, m.amount.value if m.amount else None) for m in found] == [
        ("Brumel", 3.5e6)
    ]


def test_a_lead_naming_the_company_by_a_description_gives_it_the_deal(reader: Reader) -> None:
    found = read(
        reader,
        "Un pas de plus pour la medtech Sorelia",
        "Un pas de plus pour la medtech Sorelia dans le suivi des patients à domicile. "
        "La société rennaise, soutenue par l'incubateur Armor Santé, vient de boucler un tour "
        "de table de 6 millions d'euros. Sorelia compte doubler ses effectifs d'ici 2027.",
    )
    assert [(m.beneficiary, m.amount.value if m.amount else None) for m in found] == [
        ("Sorelia", 6e6)
    ]


def test_a_date_is_no_company(reader: Reader) -> None:
    found = read(
        reader,
        "Orbalt becomes a unicorn",
        "Never had Orbalt drawn so much attention. Monday, March 3, barely announced its "
        "fundraising of 120 million dollars, and Orbalt hired forty engineers.",
        lang="en",
    )
    assert "March 3" not in companies(found)


# -- what must stay unread -------------------------------------------------------------------


def test_a_site_chosen_years_ago_is_no_news(reader: Reader) -> None:
    found = read(
        reader,
        "Brumel fête les dix ans de son usine bretonne",
        "En 2015, Brumel avait choisi la Bretagne pour implanter son usine de capteurs. Dix ans "
        "plus tard, le site emploie cent personnes et vend dans toute l'Europe.",
    )
    assert not found


def test_a_figure_alone_before_a_sentence_about_a_market_gives_no_deal(reader: Reader) -> None:
    found = read(
        reader,
        "Le marché des capteurs en chiffres",
        "12 millions d'euros\nLe marché des capteurs de qualité de l'air progresse en Europe, "
        "porté par les villes et les écoles.",
    )
    assert not found


def test_a_joint_company_created_long_ago_is_no_news(reader: Reader) -> None:
    found = read(
        reader,
        "Norvalis rachète les parts de Velion dans leur coentreprise",
        "Norvalis rachète les parts de Velion dans la coentreprise créée en 2016 par les deux "
        "groupes. La société commune fabrique des pièces pour l'aéronautique à Toulouse.",
    )
    assert [(m.kind, m.investor, m.topic) for m in found] == [("event", "Norvalis", "acquisition")]


def test_a_unit_of_measure_is_no_company(reader: Reader) -> None:
    found = read(
        reader,
        "Velion agrandit son usine d'électrolyseurs",
        "Velion va investir 40 millions d'euros à Caen. La ligne produira 300 MW "
        "d'électrolyseurs par an et créera 120 emplois.",
    )
    assert "MW" not in companies(found)
    assert "Velion" in companies(found)

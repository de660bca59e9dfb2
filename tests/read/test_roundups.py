"""Round-up pages (digest/read/roundups.py, digest/language/data/roundups.yaml): every listed
deal is its own mention, the page's statistics are none. Texts are our own, companies invented."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.language import data
from digest.models import Item, Mention
from digest.read import roundups
from digest.read.deals import Draft
from digest.read.reader import Reader, item_text

ROUNDUPS = data.load("roundups.yaml")
SHAPES = {
    name: shape
    for first in ("name_first", "amount_first")
    for name, shape in ROUNDUPS[first].items()
}
EXAMPLES = [(name, line) for name, shape in SHAPES.items() for line in shape["examples"]]
COUNTER = [(name, line) for name, shape in SHAPES.items() for line in shape["not"]]


def item(text: str, title: str = "La revue du mois", lang: str = "fr") -> Item:
    return Item(
        feed_id=1,
        guid=text[:40],
        url="https://example.org/revue",
        title=title,
        text=text,
        published=datetime(2025, 4, 2, 8, tzinfo=UTC),
        id=3,
        lang=lang,
    )


def listed(reader: Reader, text: str, lang: str = "fr") -> dict[str, float]:
    """The entries the sentences of a text give: name → amount in millions."""
    it = item(text, title="", lang=lang)
    a = reader.assemble(it, reader.nlp(item_text(it)))
    return {e.org.name: e.spot.value / 1e6 for s in a.sents for e in roundups.entries(s, lang)}


@pytest.mark.parametrize(("shape", "line"), EXAMPLES)
def test_each_entry_example_gives_its_deals(reader: Reader, shape: str, line: str) -> None:
    text, expected = line.split(" => ")
    want = {k.strip(): float(v) for k, v in (p.split(":") for p in expected.split(", "))}
    assert listed(reader, text) == want


@pytest.mark.parametrize(("shape", "line"), COUNTER)
def test_no_entry_in_a_counter_example(reader: Reader, shape: str, line: str) -> None:
    assert listed(reader, line) == {}


@pytest.mark.parametrize("line", ROUNDUPS["statistics"]["examples"])
def test_statistics_words(line: str) -> None:
    assert roundups.statistics().search(line)


@pytest.mark.parametrize("line", ROUNDUPS["statistics"]["not"])
def test_no_statistics_words(line: str) -> None:
    assert not roundups.statistics().search(line)


@pytest.mark.parametrize(
    ("line", "is_link"),
    [(x, True) for x in ROUNDUPS["links"]["examples"]]
    + [(x, False) for x in ROUNDUPS["links"]["not"]],
)
def test_links_to_another_page(line: str, is_link: bool) -> None:
    assert bool(roundups.links().search(line)) is is_link


def deals(mentions: list[Mention]) -> dict[str, tuple[float, str | None]]:
    out = {}
    for m in mentions:
        assert m.amount is not None
        out[m.beneficiary or m.investor or ""] = (m.amount.value / 1e6, m.amount.currency)
    return out


MONTHLY = (
    "Selon nos calculs, les jeunes pousses tricolores ont réuni 612 millions d'euros en mars, "
    "au cours de 58 opérations, en hausse de 14 % sur un an. Le ticket moyen s'établit à "
    "10,5 millions d'euros.\n"
    "Les amorçages représentent la moitié des tours de table. À noter que quatre opérations "
    "dépassent les 20 millions d'euros : Corvelle (64 millions), Tramalys (41 millions), "
    "Pivone (27 millions d'euros) et Belvane (22 millions).\n"
    "La santé arrive en tête du classement des secteurs avec 150 millions d'euros levés en "
    "neuf opérations."
)


def test_a_monthly_review_gives_each_listed_deal_and_no_total(reader: Reader) -> None:
    got = deals(reader.read(item(MONTHLY, title="Les start-up ont levé 612 millions en mars")))
    assert got == {
        "Corvelle": (64.0, "EUR"),
        "Tramalys": (41.0, "EUR"),
        "Pivone": (27.0, "EUR"),
        "Belvane": (22.0, "EUR"),
    }


BAROMETER = (
    "Le baromètre régional des levées de fonds recense 41 opérations en Bretagne l'an dernier, "
    "pour un montant global de 188 millions d'euros (+22 %).\n"
    "Deux gros tickets expliquent la hausse : Quiblon (robotique) à Rennes, avec 45 millions "
    "d'euros, et Ostrale (santé) à Brest avec 30 millions d'euros.\n"
    "Plus loin, Fennick (énergie) à 12 millions d'euros et Lumora (logiciel) à 8 millions "
    "d'euros complètent le classement."
)


def test_a_regional_barometer_gives_each_listed_deal_with_its_place(reader: Reader) -> None:
    mentions = reader.read(item(BAROMETER))
    assert deals(mentions) == {
        "Quiblon": (45.0, "EUR"),
        "Ostrale": (30.0, "EUR"),
        "Fennick": (12.0, "EUR"),
        "Lumora": (8.0, "EUR"),
    }
    places = {m.beneficiary: m.places for m in mentions}
    assert "Rennes" in places["Quiblon"] and "Brest" in places["Ostrale"]
    assert all(m.kind == "funding_round" for m in mentions)


WEEKLY = (
    "Welcome to our weekly roundup. French startups raised €380M in total this week across 17 "
    "deals, up 30% on last week.\n"
    "The biggest rounds: Lumora (€95M, Series C), Sail in Data (€60M) and Quadrel (€25M), while "
    "Corvelle and Pivone (€10M each) closed seed rounds."
)


def test_an_english_weekly_roundup_is_not_read_as_one_company(reader: Reader) -> None:
    mentions = reader.read(item(WEEKLY, title="This week in French tech", lang="en"))
    assert deals(mentions) == {
        "Lumora": (95.0, "EUR"),
        "Sail in Data": (60.0, "EUR"),
        "Quadrel": (25.0, "EUR"),
        "Corvelle": (10.0, "EUR"),
        "Pivone": (10.0, "EUR"),
    }
    assert {m.beneficiary: m.round for m in mentions}["Lumora"] == "serie_c"


def test_a_single_deal_page_comparing_with_others_is_no_roundup(reader: Reader) -> None:
    text = (
        "Corvelle lève 18 millions d'euros en série A auprès de Fennick Ventures. La start-up "
        "compte ouvrir deux usines. Le montant reste inférieur à de grandes levées du secteur, "
        "comme celles de Tramalys (25 millions d'euros), Pivone (40 millions) ou Belvane "
        "(32 millions)."
    )
    it = item(text, title="Corvelle lève 18 millions d'euros")
    assert roundups.roundup(reader.assemble(it, reader.nlp(item_text(it)))) == []


NARRATIVE = (
    "Selon nos calculs, les jeunes pousses tricolores ont levé 540 millions d'euros en mai, "
    "en 47 opérations.\n"
    "Corvelle lève 60 millions d'euros en série B auprès de Fennick Ventures.\n"
    "Tramalys boucle de son côté un tour de table de 35 millions d'euros.\n"
    "La santé se classe deuxième, avec quatre opérations pour 28 millions d'euros."
)


def test_a_round_up_told_in_sentences_keeps_its_deals_not_its_statistics(reader: Reader) -> None:
    it = item(NARRATIVE, title="Les start-up ont levé 540 millions en mai")
    a = reader.assemble(it, reader.nlp(item_text(it)))
    assert {(d.actor, d.amount.value / 1e6) for d in a.drafts if d.amount} == {
        ("Corvelle", 60.0),
        ("Tramalys", 35.0),
    }
    last = a.sents[-1]  # a rule that took the sector's figure for the company spoken of
    stray = Draft("funding_round", "Tramalys", beneficiary="Tramalys", amount=last.money[0])
    stray.spots.append((last.index, last.money[0].end))
    a.drafts.append(stray)
    assert roundups.read_roundup(a) == set()  # no list: the scorer still has its say
    assert {(d.actor, d.amount.value / 1e6) for d in a.drafts if d.amount} == {
        ("Corvelle", 60.0),
        ("Tramalys", 35.0),
    }


def test_respectively_gives_each_company_its_figure_in_order(reader: Reader) -> None:
    line = "Les medtechs Ostrale et Pivone ont bouclé respectivement 12 et 30 millions d'euros."
    assert listed(reader, line) == {"Ostrale": 12.0, "Pivone": 30.0}
    valued = "Ostrale et Pivone sont valorisées respectivement 300 et 450 millions d'euros."
    assert listed(reader, valued) == {}  # valuations: no deal
    uneven = "Ostrale, Pivone et Belvane ont levé respectivement 12 et 30 millions d'euros."
    assert "Belvane" not in listed(reader, uneven)  # the counts differ: no pairing by order


SPOKEN = (
    "Selon nos calculs, les jeunes pousses tricolores ont levé 410 millions d'euros en juin, en "
    "52 opérations.\n"
    "© Agence Tramalys\n"
    "L'éditeur nantais Brindle prend la première place du classement. La jeune pousse a levé 48 "
    "millions d'euros auprès de ses actionnaires.\n"
    "© Agence Tramalys\n"
    "Le fabricant de drones Quiblon complète le podium. Il a bouclé une levée de fonds de 21 "
    "millions d'euros, qui le valorise à 400 millions d'euros."
)


def test_each_deal_of_a_spoken_round_up_goes_to_its_own_item(reader: Reader) -> None:
    got = deals(reader.read(item(SPOKEN, title="Les start-up ont levé 410 millions en juin")))
    # the company of the sentence before "la jeune pousse" or "il", not the agency the credit
    # lines name (the rules read both deals as the agency's); the valuation is no deal
    assert got == {"Brindle": (48.0, "EUR"), "Quiblon": (21.0, "EUR")}


def test_a_restated_listed_deal_does_not_go_to_its_neighbour(reader: Reader) -> None:
    text = (
        "Selon nos calculs, deux fintechs ont levé 90 millions d'euros ce mois-ci : Pivone "
        "(60 millions d'euros) et Belvane (30 millions d'euros).\n"
        "Deux jours après Pivone, la fintech de paiement a bouclé son tour de 30 millions "
        "d'euros auprès de Fennick Ventures."
    )
    got = deals(reader.read(item(text, title="Les fintechs ont levé 90 millions")))
    assert got == {"Pivone": (60.0, "EUR"), "Belvane": (30.0, "EUR")}


TWO_ROUNDS = (
    "Corvelle, éditeur d'un logiciel pour pharmacies, réunit mardi 120 millions d'euros, et "
    "Tramalys, jeune pousse lilloise du paiement, lève de son côté 75 millions d'euros. Après "
    "ce tour, Corvelle est valorisée à 900 millions d'euros.\n"
    "Le même jour, la medtech Pivone a levé 30 millions d'euros auprès de ses actionnaires.\n"
    "Corvelle compte recruter 200 personnes. Corvelle vise l'Allemagne."
)


def test_a_page_on_one_round_telling_others_gives_each_its_company(reader: Reader) -> None:
    # the page opens on Corvelle and names it most: the scorer alone gave it all three rounds
    it = item(TWO_ROUNDS, title="Corvelle lève 120 millions d'euros")
    assert deals(reader.read(it)) == {
        "Corvelle": (120.0, "EUR"),
        "Tramalys": (75.0, "EUR"),
        "Pivone": (30.0, "EUR"),
    }


def test_a_cited_source_is_no_listed_company(reader: Reader) -> None:
    line = "Les montants ont doublé en un an (2,8 milliards d'euros d'après Fennick)."
    assert listed(reader, line) == {}


CUMULATIVE = (
    "Selon nos calculs, les fintechs ont levé 140 millions d'euros en mai : Pivone (60 millions "
    "d'euros) et Belvane (30 millions d'euros).\n"
    "Avec ce tour, Pivone a réuni 95 millions d'euros en tout depuis sa création.\n"
    "Belvane a séduit Horizon, un fonds de 2 milliards de dollars, qui a mené son tour."
)


def test_a_round_up_gives_no_deal_for_a_cumulative_figure_or_a_funds_size(reader: Reader) -> None:
    it = item(CUMULATIVE, title="Les fintechs ont levé 140 millions en mai")
    a = reader.assemble(it, reader.nlp(item_text(it)))
    for s, actor in ((a.sents[-2], "Pivone"), (a.sents[-1], "Belvane")):
        stray = Draft("funding_round", actor, beneficiary=actor, amount=s.money[0])
        stray.spots.append((s.index, s.money[0].end))  # a rule that took the figure for a deal
        a.drafts.append(stray)
    assert roundups.read_roundup(a) == {"Pivone", "Belvane"}
    assert {(d.actor, d.amount.value / 1e6) for d in a.drafts if d.amount} == {
        ("Pivone", 60.0),
        ("Belvane", 30.0),
    }

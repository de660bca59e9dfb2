"""A page about a step of a project (its inauguration, its permit, its state aid) restates the
project's cost: no deal, unless a sentence tells a new one (digest/read/steps.py). Items in
our own words."""

from __future__ import annotations

from digest.models import Mention
from digest.read.reader import Reader
from tests.support.items import news_item


def read(reader: Reader, title: str, text: str) -> list[Mention]:
    return reader.read(news_item(title, text, feed_name="La Gazette des Usines", id=4))


def said(found: list[Mention]) -> list[tuple[str, str | None, float | None]]:
    return [(m.kind, m.investor, m.amount.value if m.amount else None) for m in found]


def test_a_sites_cost_told_at_its_inauguration_is_no_deal(reader: Reader) -> None:
    found = read(
        reader,
        "Le groupe Solvane inaugure son usine de membranes près de Lyon",
        "Le groupe Solvane a inauguré jeudi son usine de membranes de Saint-Priest. Le site a "
        "représenté un investissement de 120 millions d'euros et emploie 180 personnes.",
    )
    assert said(found) == [("event", "Solvane", None)]


def test_a_new_site_announced_at_an_inauguration_is_a_deal(reader: Reader) -> None:
    found = read(
        reader,
        "Le groupe Solvane inaugure son usine de membranes près de Lyon",
        "Le groupe Solvane a inauguré jeudi son usine de membranes de Saint-Priest. Le site a "
        "représenté un investissement de 120 millions d'euros. Il emploie 180 personnes.\n"
        "La cérémonie a aussi été l'occasion de présenter le futur atelier de recyclage du "
        "groupe à Vénissieux, qui représente un investissement de 35 millions d'euros.",
    )
    assert said(found) == [("investment", "Solvane", 35e6)]


def test_a_deal_told_first_is_kept_whatever_the_step_after(reader: Reader) -> None:
    found = read(
        reader,
        "Solvane investit 120 millions d'euros dans l'usine qu'il inaugure à Lyon",
        "Le groupe Solvane a investi 120 millions d'euros dans son usine de membranes de "
        "Saint-Priest, inaugurée jeudi.",
    )
    assert said(found) == [("investment", "Solvane", 120e6)]

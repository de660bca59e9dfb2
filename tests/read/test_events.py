"""Pages that tell no new deal but news of one company (digest/read/events.py): one mention of
kind "event", with the company acting on the topic's word, the others the lead names, and the
topic of digest/language/data/topics.yaml, in French, English and German. Items in our own
words."""

from __future__ import annotations

import pytest

from digest.models import DEAL_KINDS, Mention
from digest.read.events import event_topic
from digest.read.reader import Reader
from tests.support.items import news_item

EVENTS = [
    (
        "fr",
        "Le groupe Solvane inaugure son usine de membranes près de Lyon",
        "Le groupe Solvane a inauguré jeudi son usine de membranes de Saint-Priest, en présence "
        "de la ministre de l'Industrie. Le site, lancé il y a trois ans, emploie 180 personnes.",
        ("Solvane", "opening"),
    ),
    (
        "en",
        "Corvella acquires the delivery app Fastbox",
        "The logistics group Corvella has acquired the delivery app Fastbox, it said on Monday. "
        "Fastbox will keep its brand and its Berlin team.",
        ("Corvella", "acquisition"),
    ),
    (
        "de",
        "Voltaris stoppt sein Werk in Sachsen",
        "Der Zellhersteller Voltaris hat seine Pläne für ein Werk in Sachsen endgültig "
        "aufgegeben. Die Nachfrage nach Elektroautos sei zu schwach, teilte Voltaris mit.",
        ("Voltaris", "setback"),
    ),
    (
        "fr",
        "Photonia dépose le permis de construire de sa future usine",
        "La start-up Photonia a déposé le permis de construire de son usine de cellules solaires "
        "à Fos-sur-Mer. Les travaux commenceront au printemps.",
        ("Photonia", "permit"),
    ),
]


def read(reader: Reader, lang: str, title: str, text: str) -> list[Mention]:
    return reader.read(news_item(title, text, lang, feed_name="La Gazette des Usines", id=3))


@pytest.mark.parametrize(("lang", "title", "text", "expected"), EVENTS)
def test_news_of_a_company_is_an_event(
    reader: Reader, lang: str, title: str, text: str, expected: tuple[str, str]
) -> None:
    found = read(reader, lang, title, text)
    assert [(m.kind, m.investor, m.topic, m.amount) for m in found] == [("event", *expected, None)]


def test_the_bought_firm_is_kept_beside_the_buyer(reader: Reader) -> None:
    (m,) = read(reader, *EVENTS[1][:3])
    assert m.investors == ["Fastbox"]


def test_a_deal_is_no_event(reader: Reader) -> None:
    found = read(
        reader,
        "fr",
        "Solvane investit 85 millions d'euros dans une usine de membranes",
        "Le groupe Solvane va consacrer 85 millions d'euros à une nouvelle usine de membranes "
        "à Saint-Priest, où il créera 150 emplois d'ici 2027.",
    )
    assert found and all(m.kind in DEAL_KINDS for m in found)


def test_an_interview_tells_no_event(reader: Reader) -> None:
    found = read(
        reader,
        "fr",
        "Entretien avec la fondatrice de Photonia",
        "La fondatrice de Photonia revient sur ses débuts et sur le marché du solaire en Europe.",
    )
    assert found == []


@pytest.mark.parametrize("name", ["Visite", "Inauguration", "Übernahme"])
def test_a_topic_word_is_no_company(name: str) -> None:
    assert event_topic(name) is not None

"""Names that are no firm (digest/language/data/no_firms.yaml): each example gives its kind to
the name marked «…» and no `not:` line does; an office, the state, a generic noun, a unit, a
product's code, an outlet or a person never stays a deal's company: the firm the item names
takes its place."""

from __future__ import annotations

import pytest

from digest.language import data
from digest.read import wordnames
from digest.read.reader import Reader, item_text
from tests.support.items import news_item

FILE = data.load("no_firms.yaml")
KINDS = FILE["kinds"]
EXAMPLES = [(kind, line) for kind, k in KINDS.items() for line in k["examples"]]
NOT = [(kind, line) for kind, k in KINDS.items() for line in k["not"]]


def _marked(line: str) -> tuple[str, int, int]:
    start = line.index("«")
    end = line.index("»") - 1
    return line.replace("«", "").replace("»", ""), start, end


@pytest.mark.parametrize(("kind", "line"), EXAMPLES)
def test_an_example_gives_its_kind(kind: str, line: str) -> None:
    assert kind in wordnames.kinds_at(*_marked(line))


@pytest.mark.parametrize(("kind", "line"), NOT)
def test_a_counter_example_does_not(kind: str, line: str) -> None:
    assert kind not in wordnames.kinds_at(*_marked(line))


def test_every_kind_has_examples_and_counter_examples() -> None:
    assert all(k["examples"] and k["not"] for k in KINDS.values())


@pytest.mark.parametrize("line", FILE["outlet_examples"])
def test_an_outlet_is_known(line: str) -> None:
    text, start, end = _marked(line)
    assert wordnames.is_outlet(text[start:end])


@pytest.mark.parametrize("line", FILE["outlet_not"])
def test_a_firm_is_no_outlet(line: str) -> None:
    text, start, end = _marked(line)
    assert not wordnames.is_outlet(text[start:end])


@pytest.mark.parametrize(
    ("name", "feed", "outlet"),
    [
        ("GDP", "La Gazette des Pousses", True),  # the feed's own acronym
        ("GDP", "La Gazette des Pousses (AFP)", True),
        ("Brumel", "Brumel (press room)", False),  # a firm's own news page
        ("Brumel", "La Gazette des Pousses", False),
        ("Gazette", "La Gazette des Pousses", False),
    ],
)
def test_the_items_own_outlet(name: str, feed: str, outlet: bool) -> None:
    assert wordnames.is_outlet(name, feed) is outlet


def companies(reader: Reader, title: str, text: str, feed: str = "Le Courrier des Pousses"):
    found = reader.read(news_item(title, text, feed_name=feed, id=7))
    return {m.investor if m.kind == "investment" else m.beneficiary for m in found if m.amount}


def test_a_person_announcing_gives_way_to_the_firm(reader: Reader) -> None:
    got = companies(
        reader,
        "Valdrin annonce une usine de piles à combustible",
        "Le ministre de l'Industrie, Jean Marchal, a annoncé lundi que le groupe Tessival "
        "investira 300 millions d'euros dans une usine près de Metz. Jean Marchal s'est "
        "félicité de ce choix. Tessival emploiera 400 personnes sur le site.",
    )
    assert "Tessival" in got and "Jean Marchal" not in got and "Valdrin" not in got


def test_the_state_is_no_investor_of_a_firms_plant(reader: Reader) -> None:
    got = companies(
        reader,
        "Tessival construira une usine de batteries en Moselle",
        "Le groupe Tessival investira 500 millions d'euros dans une usine de batteries. "
        "L'État français apportera 40 millions d'euros au projet de Tessival.",
    )
    assert got == {"Tessival"}  # the state's 40 M€ for the plant is an aid, no deal


def test_a_unit_after_a_number_is_no_company(reader: Reader) -> None:
    got = companies(
        reader,
        "Une usine de panneaux solaires en Lorraine",
        "Le fabricant Solvane investit 200 millions d'euros dans une usine de panneaux. "
        "L'usine aura une capacité de 3 GW par an et emploiera 600 personnes.",
    )
    assert "GW" not in got and "Solvane" in got


def test_the_outlet_citing_a_round_is_not_the_company(reader: Reader) -> None:
    got = companies(
        reader,
        "Brumel lève 12 millions d'euros",
        "La start-up nantaise Brumel a levé 12 millions d'euros, a appris la Gazette des "
        "Pousses. Selon la GDP, le tour est mené par Ravel Capital.",
        feed="La Gazette des Pousses",
    )
    assert got == {"Brumel"}


@pytest.mark.parametrize(
    ("text", "name", "person"),
    [
        ("Le président Jean Marchal visite Brumel. Brumel lève 4 M€.", "Jean Marchal", True),
        ("« Nous recrutons », explique Paul Verdier. Brumel lève 4 M€.", "Paul Verdier", True),
        ("Visite de Sophie Durand. Brumel lève 4 M€. Brumel recrute.", "Sophie Durand", True),
        ("La start-up Brumel lève 4 M€. Brumel recrute.", "Brumel", False),
        ("Brumel lève 4 M€. Brumel précise que le tour est clos.", "Brumel", False),
    ],
)
def test_a_person_is_named_with_a_title_or_a_quote(
    reader: Reader, text: str, name: str, person: bool
) -> None:
    news = news_item("Une levée", text, feed_name="Le Courrier des Pousses", id=8)
    a = reader.assemble(news, reader.nlp(item_text(news)))
    if not any(o.name == name for s in a.sents for o in s.orgs):
        pytest.skip(f"the model does not give {name!r} as a name here")
    assert wordnames.is_person(a, name) is person

"""A deal's company is a name, not a word: a connector opening a sentence, a common noun after a
determiner ("la PME …") or a picture's credit give way to the name their sentence gives; an
investment's firm is the one the title says the money goes into."""

from __future__ import annotations

import pytest

from digest.read import wordnames
from digest.read.deals import Assembler, Draft
from digest.read.reader import Reader, item_text
from tests.support.items import news_item


def actors(reader: Reader, title: str, text: str) -> list[tuple[str | None, str | None]]:
    found = reader.read(news_item(title, text, feed_name="Le Courrier des Pousses", id=5))
    return [(m.investor, m.beneficiary) for m in found if m.amount]


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Malgré", True),
        ("Cela", True),
        ("And Thursday", True),
        ("Brumel", False),
        ("ACME", False),
        ("The Orbit Company", False),
        ("Le Petit Atelier", False),
        ("Ma Banque Verte", False),
        ("Back Orbit", False),
    ],
)
def test_a_name_opening_with_a_function_word(name: str, word: bool) -> None:
    assert wordnames.opens_with_function_word(name) is word


def assembled(reader: Reader, title: str, text: str) -> Assembler:
    news = news_item(title, text, feed_name="Le Courrier des Pousses", id=5)
    return reader.assemble(news, reader.nlp(item_text(news)))


def test_a_common_noun_after_a_determiner_gives_way_to_the_name_after_it(reader: Reader) -> None:
    a = assembled(
        reader,
        "Trois levées de la semaine",
        "Fabricant de capteurs pour les vignes, la PME bordelaise Vinoptic a bouclé une levée "
        "de 6 millions d'euros.",
    )
    assert wordnames.is_word(a, "PME") and not wordnames.is_word(a, "Vinoptic")
    draft = Draft("funding_round", "PME", beneficiary="PME", sentences=[1])
    a.drafts = [draft]
    wordnames.rename_word_actors(a)
    assert (draft.actor, draft.beneficiary) == ("Vinoptic", "Vinoptic")


def test_a_name_closing_a_pictures_credit_is_not_a_company(reader: Reader) -> None:
    a = assembled(
        reader,
        "Brumel devient une licorne",
        "La start-up Brumel a levé 120 millions d'euros. "
        "(Photo by Jean Marc / Agence) / Spain OUT ( Agence ) La société recrute.",
    )
    credited = [o.name for s in a.sents for o in s.orgs if "OUT" in o.name]
    assert credited and all(wordnames.is_word(a, n) for n in credited)
    assert not wordnames.is_word(a, "Brumel")


def test_an_investment_goes_into_the_firm_the_title_names(reader: Reader) -> None:
    got = actors(
        reader,
        "Le groupe Tessival prend une participation dans la société lyonnaise Orbalt",
        "Le groupe Tessival investira 40 millions d'euros, sous la forme d'actions nouvelles. "
        "L'opération doit aider Orbalt à grandir en Europe.",
    )
    assert ("Tessival", "Orbalt") in got


def test_an_investment_goes_into_the_investors_subsidiary(reader: Reader) -> None:
    got = actors(
        reader,
        "Tessival construira une usine de batteries",
        "Le groupe Tessival investira 300 millions d'euros dans une usine de batteries. "
        "La filiale du groupe Tessival, Brumel Énergie, emploiera 400 personnes sur le site.",
    )
    assert ("Tessival", "Brumel Énergie") in got

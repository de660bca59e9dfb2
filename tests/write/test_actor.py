"""A capitalised common word read as the company holds the story; a company's name does not."""

from __future__ import annotations

from digest.write.actor import common_word, held_actor, public_body

TEXTS = [
    "Visite de chantier à Lens. La visite du ministre a mis en avant 2 milliards d'euros.",
    "Tandis que les travaux avancent, tandis que la fintech Sunday lève 100 millions.",
]


def test_a_word_also_written_in_lower_case_is_not_a_company() -> None:
    assert common_word("Visite", TEXTS)
    reason = held_actor(["Visite"], TEXTS)
    assert reason == "Acteur lu dans un mot courant\u202f: «\u202fVisite\u202f»"


def test_a_name_that_keeps_its_capital_inside_a_sentence_is_a_company() -> None:
    assert not common_word("Sunday", [*TEXTS, "Every sunday, the app is busy."])
    assert not common_word("Verkor", ["Verkor lève 2 milliards. La start-up Verkor recrute."])
    assert not common_word("Back Market", ["Le back market des téléphones"])  # two words
    assert held_actor([None, "Verkor"], ["Verkor lève 2 milliards."]) is None


def test_a_connector_or_a_pronoun_opening_the_actor_holds_the_story() -> None:
    assert held_actor(["If Orbalt"], ["If Orbalt wins, it will build a plant."])
    assert held_actor(["Cela"], ["Cela représente 2 milliards d'euros."])
    assert held_actor(["The Orbit Company"], ["The Orbit Company raised $10m."]) is None


def test_the_state_as_such_is_a_public_body_a_fund_named_after_it_is_not() -> None:
    assert public_body("État français") and public_body("le gouvernement")
    assert not public_body("Etat Capital Partners") and not public_body("Brumel")

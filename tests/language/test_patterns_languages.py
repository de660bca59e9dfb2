"""The German, Spanish and Italian deal words of patterns.yaml, on sentences of our own."""

from __future__ import annotations

import pytest

from digest.language.lexicon import lexicon

FUNDING = [
    "Quillon sammelt 12 Millionen Euro ein",
    "Quillon hat 12 Millionen Euro eingesammelt",
    "Quillon recauda 12 millones de euros",
    "Quillon captó 12 millones de euros",
    "Quillon raccoglie 12 milioni di euro",
    "Quillon ha raccolto 12 milioni di euro",
]
INVESTMENT = [
    "Ardoise investiert 80 Millionen Euro in Sachsen",
    "Ardoise invertirá 80 millones de euros en Aragón",
    "Ardoise invierte 80 millones de euros",
    "Ardoise investirà 80 milioni di euro in Piemonte",
]
ROUNDS = [
    "eine Finanzierungsrunde über 5 Millionen Euro",
    "una ronda de financiación de 5 millones",
    "un round di finanziamento da 5 milioni",
    "un aumento di capitale da 5 milioni",
]
LEADS = ["angeführt von Alpenkapital", "liderada por Meseta Capital", "guidato da Po Ventures"]
# French and English sentences that must not take the new words for deal verbs
NOT_DEALS = [
    "Le capteur de Quillon mesure la pollution",
    "Quillon chiffre ses pertes",
    "Quillon investigates the incident",
    "Ses ventes stagnent depuis deux ans",
]


@pytest.mark.parametrize("text", FUNDING)
def test_funding_verbs(text: str) -> None:
    assert lexicon().funding_verbs.search(text)


@pytest.mark.parametrize("text", INVESTMENT)
def test_investment_verbs(text: str) -> None:
    assert lexicon().investment_verbs.search(text)


@pytest.mark.parametrize("text", ROUNDS)
def test_round_nouns(text: str) -> None:
    assert lexicon().funding_nouns.search(text)


@pytest.mark.parametrize("text", LEADS)
def test_lead_investor_words(text: str) -> None:
    assert lexicon().lead_after.search(text)


@pytest.mark.parametrize("text", NOT_DEALS)
def test_not_a_deal_word(text: str) -> None:
    lex = lexicon()
    assert not any(
        p.search(text) for p in (lex.funding_verbs, lex.investment_verbs, lex.funding_nouns)
    )

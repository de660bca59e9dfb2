"""The form of a firm's name (digest/language/data/name_form.yaml): a picture's credit names no
actor, a sector word or a nationality adjective before a name and a participle a glued heading
put after it are no part of it, a doubled name is one; each line of the data file holds."""

from __future__ import annotations

import pytest

from digest.language import data
from digest.read import nameform, wordnames
from digest.read.reader import Reader, item_text, unwrap
from tests.support.items import news_item

FILE = data.load("name_form.yaml")
KNOWN = {"soutenue", "installée", "basée"}  # the model's vocabulary, for these lines


def _marked(line: str) -> tuple[str, int]:
    return line.replace("«", "").replace("»", ""), line.index("«")


@pytest.mark.parametrize("line", FILE["credits"]["examples"])
def test_a_name_of_a_credit_is_found(line: str) -> None:
    assert nameform.in_credit(*_marked(line))


@pytest.mark.parametrize("line", FILE["credits"]["not"])
def test_a_name_beside_a_credit_word_is_not(line: str) -> None:
    assert not nameform.in_credit(*_marked(line))


def _row(line: str) -> tuple[str, list[str], str]:
    written, alone, read = (part.strip() for part in line.split("|"))
    return written, [n.strip() for n in alone.split(",") if n.strip()], read


@pytest.mark.parametrize("line", FILE["examples"] + FILE["not"])
def test_a_name_is_read_in_its_form(line: str) -> None:
    written, alone, read = _row(line)
    assert nameform.tidied(written, alone, lambda w: w in KNOWN) == read


def test_every_section_has_examples_and_counter_examples() -> None:
    assert FILE["credits"]["examples"] and FILE["credits"]["not"]
    assert {_row(x)[0] != _row(x)[2] for x in FILE["examples"]} == {True}
    assert {_row(x)[0] == _row(x)[2] for x in FILE["not"]} == {True}


def test_a_title_repeated_atop_the_text_is_read_once() -> None:
    news = news_item(
        "Gigafactory à Lorient : levée record pour Brumel",
        "Gigafactory à Lorient : levée record pour Brumel\n"
        "Brumel, start-up bretonne, a levé 40 M€.",
    )
    assert item_text(news).split("\n") == [
        "Gigafactory à Lorient : levée record pour Brumel",
        "Brumel, start-up bretonne, a levé 40 M€.",
    ]


def test_a_heading_keeps_its_line_when_the_next_opens_with_a_capital() -> None:
    text = (
        "Trois milliards d'euros pour la future usine de batteries de Brumel à Lorient\n"
        "Soutenue par des partenaires publics, la jeune pousse boucle son financement."
    )
    assert len(unwrap(text).split("\n")) == 2


def test_the_page_reads_the_firm_not_its_descriptor(reader: Reader) -> None:
    news = news_item(
        "Mobile games: French Brumel raises $20 million",
        "The Nantes studio Brumel has raised $20 million. Brumel will hire 40 people.",
        lang="en",
    )
    a = reader.assemble(news, reader.nlp(item_text(news)))
    names = {o.name for s in a.sents for o in s.orgs}
    assert "French Brumel" not in names
    assert "Brumel" in names


def test_a_credit_is_no_company(reader: Reader) -> None:
    news = news_item(
        "Brumel lève 12 millions d'euros",
        "(Crédits : Studio Vardo) La start-up nantaise Brumel a levé 12 millions d'euros.",
    )
    a = reader.assemble(news, reader.nlp(item_text(news)))
    if not any(o.name == "Studio Vardo" for s in a.sents for o in s.orgs):
        pytest.skip("the model does not give the credit as a name here")
    assert wordnames.is_word(a, "Studio Vardo")


def test_a_bank_read_as_the_company_raising_gives_way_to_the_firm(reader: Reader) -> None:
    news = news_item(
        "Brumel boucle son financement",
        "La start-up nantaise Brumel prépare son usine. Brumel recrute 40 personnes. Une levée "
        "de fonds de 50 millions d'euros, avec les prêts de la Banque des Marées.",
    )
    a = reader.assemble(news, reader.nlp(item_text(news)))
    rounds = [d for d in a.drafts if d.kind == "funding_round"]
    assert rounds
    for d in rounds:  # as the actor scorer may take it: the only name of the deal's sentence
        d.actor = d.beneficiary = "Banque des Marées"
    wordnames.rename_word_actors(a)
    assert {d.beneficiary for d in rounds} == {"Brumel"}


def test_a_name_never_spans_a_colon(reader: Reader) -> None:
    """The model may take "Brumel: Ravel Capital" for one name; a colon ends a name, and the
    longer of the two is kept for that span (the other is found on its own)."""
    text = "Ravel Capital rejoint les investisseurs de Brumel: Orme Growth Partners, puis Daphni."
    a = text.index("Brumel")
    b = text.index(", puis")
    start, end = reader._trim(text, a, b)
    assert text[start:end] == "Orme Growth Partners"

"""Editors' values over the machine's (digest.write.overrides): parsing in French, applying
over a written story, the text following an edited fact, and held text released only when the
headline and summary are both the editor's."""

from __future__ import annotations

import pytest

from digest.models import Amount, Conflict, ConflictValue, Quantity, Story
from digest.write.overrides import OverrideError, apply, parse


def _story() -> Story:
    return Story(
        id="st-1",
        kind="funding_round",
        beneficiary="Brindille Robotique",
        investor="Capital Horizon",
        investors=["Capital Horizon"],
        amount=Amount(7e6, "EUR", as_stated="7 millions d'euros"),
        jobs=Quantity(40),
        round="seed",
        headline="Brindille Robotique lève 7 millions d'euros",
        summary="Brindille Robotique lève 7 millions d'euros en amorçage.",
        conflicts=[
            Conflict("amount.value", [ConflictValue("7 M€", ["A"]), ConflictValue("8 M€", ["B"])])
        ],
        held_reason="Absent des sources : Atlantide",
    )


def _money(value: float, currency: str, stated: str) -> dict:
    return {"value": value, "currency": currency, "qualifier": "exact", "as_stated": stated}


@pytest.mark.parametrize(
    ("field", "raw", "currency", "expected"),
    [
        ("amount", "20 M€", "", _money(2e7, "EUR", "20 M€")),
        ("amount", "1,5 milliard", "USD", _money(1.5e9, "USD", "1,5 milliard")),
        ("amount", "800 000", "CHF", _money(8e5, "CHF", "800 000")),
        ("amount", "  ", "EUR", None),
        ("jobs", "1 200", "", 1200),
        ("jobs", "", "", None),
        ("investors", "Fonds A, Fonds B\nFonds A", "", ["Fonds A", "Fonds B"]),
        ("round", "serie_a", "", "serie_a"),
        ("timeframe", "  d'ici   2027 ", "", "d'ici 2027"),
        ("beneficiary", "", "", None),
    ],
)  # fmt: skip
def test_form_values_are_parsed(field: str, raw: str, currency: str, expected: object) -> None:
    assert parse(field, raw, currency) == expected


@pytest.mark.parametrize(
    ("field", "raw", "currency", "said"),
    [
        ("amount", "beaucoup", "EUR", "Montant illisible"),
        ("amount", "20", "", "choisissez la devise"),
        ("amount", "20 £", "EUR", "le texte dit GBP"),
        ("amount", "20 M€", "BTC", "Devise inconnue « BTC »"),
        ("amount", "99999 milliards", "EUR", "plus de 10 000 milliards"),
        ("jobs", "-3", "", "n'est pas un nombre entier"),
        ("jobs", "٣", "", "n'est pas un nombre entier"),
        ("round", "serie_z", "", "Type de tour inconnu"),
        ("headline", "", "", "Titre : ne peut pas être vide."),
        ("summary", "x" * 1201, "", "au plus 1200"),
        ("color", "x", "", "Champ inconnu"),
    ],
)
def test_wrong_values_say_why_in_french(field: str, raw: str, currency: str, said: str) -> None:
    with pytest.raises(OverrideError, match=said):
        parse(field, raw, currency)


def test_an_edited_fact_rewrites_the_machine_text_and_settles_its_conflict() -> None:
    story = _story()
    edited = apply(story, {"amount": parse("amount", "9 M€", ""), "jobs": None})
    assert edited.amount is not None and edited.amount.value == 9e6
    assert edited.jobs is None
    assert "9 millions d'euros" in edited.headline and "9 millions d'euros" in edited.summary
    assert edited.conflicts == []  # the editor settled what the sources disagreed on
    assert edited.held_reason == story.held_reason  # still machine text
    assert story.amount is not None and story.amount.value == 7e6  # the machine's is untouched


def test_the_editors_own_text_is_never_held_nor_rewritten() -> None:
    own = {
        "headline": "Le titre de la rédaction",
        "summary": "Le résumé.",
        "beneficiary": "Brindille",
    }
    edited = apply(_story(), own)
    assert (edited.headline, edited.summary) == ("Le titre de la rédaction", "Le résumé.")
    assert edited.beneficiary == "Brindille"
    assert edited.held_reason is None
    assert apply(_story(), {"headline": "Seul le titre"}).held_reason is not None
    assert apply(_story(), {}) == _story()

"""Editors' choices in compose: their order of the cards, their pinned lead, their wording."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.config import Config
from digest.edition.compose import Choices, arranged, compose
from digest.models import Amount, Source, Story

MOMENT = datetime(2026, 12, 1, 8, tzinfo=UTC)


def _story(n: int, value: float) -> Story:
    return Story(
        id=f"st-{n}",
        beneficiary=f"Société {n}",
        investor=f"Groupe {n}",
        amount=Amount(value, "EUR"),
        headline=f"Groupe {n} investit",
        summary="Un investissement.",
        sources=[Source(f"https://example.org/{n}", "t", "Feed", MOMENT)],
        first_published=MOMENT,
    )


def test_the_pinned_lead_comes_first_and_the_editors_order_follows() -> None:
    a, b, c, d = (_story(n, v) for n, v in ((1, 4e9), (2, 3e9), (3, 2e9), (4, 1e9)))
    assert arranged([a, b, c, d], Choices()) == [a, b, c, d]
    assert arranged([a, b, c, d], Choices(order=["st-3", "st-2"])) == [a, c, b, d]
    assert arranged([a, b, c, d], Choices(order=["st-3", "st-2"], lead="st-4")) == [d, c, b, a]
    assert arranged([a, b], Choices(lead="st-gone")) == [a, b]


def test_the_editors_wording_replaces_compose_s(config: Config) -> None:
    stories = [_story(1, 4e9), _story(2, 3e9)]
    args = {"number": 1, "period_start": MOMENT, "period_end": MOMENT, "created_at": MOMENT}
    machine = compose(stories, config, **args)
    assert machine.opening.startswith("Aujourd'hui, 2 investissements")
    own = compose(stories, config, **args, choices=Choices(subject="Objet", opening="Bonjour."))
    assert (own.subject, own.opening, own.preheader) == ("Objet", "Bonjour.", machine.preheader)
    lead = compose(stories, config, **args, choices=Choices(lead="st-2"))
    assert lead.stories[0].id == "st-2" and "Groupe 2" in lead.subject

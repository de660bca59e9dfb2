"""A story without its figure beside the figured story of the same company, in one edition."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from digest.config import Config
from digest.edition.compose import Choices, compose
from digest.edition.figureless import figured_twin, hold_figureless
from digest.models import Amount, Source, Story

MOMENT = datetime(2026, 3, 2, 8, tzinfo=UTC)
ARGS = {"number": 1, "period_start": MOMENT, "period_end": MOMENT, "created_at": MOMENT}


def _story(sid: str, company: str, value: float | None, day: int = 0) -> Story:
    published = MOMENT + timedelta(days=day)
    return Story(
        id=sid,
        investor=company,
        amount=Amount(value, "EUR") if value is not None else None,
        headline=f"{company} investit" + (f" {value:.0f} €" if value else ""),
        summary="Un investissement.",
        sources=[Source(f"https://example.org/{sid}", "t", "Feed", published)],
        first_published=published,
    )


def test_a_story_without_amount_is_held_beside_its_company_s_figured_story() -> None:
    figured = _story("st-a", "Batteries Nordiques SAS", 8e8)
    bare = _story("st-b", "Batteries nordiques", None, day=5)
    stories = hold_figureless([figured, bare], days=14)
    assert stories[0] is figured and not figured.held_reason
    assert stories[1].held_reason.startswith("Sans montant, sans doute la même annonce que")
    assert "«\u202fBatteries Nordiques SAS investit 800000000 €\u202f»" in stories[1].held_reason
    assert bare.held_reason is None  # the input is not changed


def test_it_stays_shown_alone_far_in_time_or_for_another_company() -> None:
    bare = _story("st-b", "Aciéries du Rhône", None)
    assert figured_twin(bare, [bare], 14) is None
    assert figured_twin(bare, [_story("st-a", "Aciéries du Rhône", 3e8, day=40)], 14) is None
    assert figured_twin(bare, [_story("st-c", "Verreries de l'Est", 3e8)], 14) is None
    held = replace(_story("st-d", "Aciéries du Rhône", 3e8), held_reason="Peu sûr")
    assert hold_figureless([bare, held], 14)[0].held_reason is None  # a held twin shows nothing
    assert figured_twin(_story("st-e", "Aciéries du Rhône", 1e6), [held], 14) is None


def test_compose_holds_it_unless_the_editors_placed_it(config: Config) -> None:
    figured, bare = (
        _story("st-a", "Cellules de Lorraine", 5e8),
        _story("st-b", "Cellules de Lorraine", None),
    )
    edition = compose([figured, bare], config, **ARGS)
    assert [s.id for s in edition.stories if not s.held_reason] == ["st-a"]
    kept = compose([figured, bare], config, **ARGS, choices=Choices(order=["st-b", "st-a"]))
    assert {s.id for s in kept.stories if not s.held_reason} == {"st-a", "st-b"}

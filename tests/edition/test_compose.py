"""Compose: which stories go where, the edition's id, subject, preheader and round-up figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from digest.config import Config
from digest.edition.compose import EmptyEdition, compose, edition_id
from digest.edition.layout import layout, totals
from digest.edition.wording import (
    PREHEADER_MAX,
    PREHEADER_MIN,
    SUBJECT_MAX,
    money_short,
    opening,
    rounded_money,
)
from digest.models import Amount, Story
from digest.samples.editions import WEEK_END, WEEK_START, sample_stories, synthetic_stories


def _compose(stories: list[Story], config: Config):
    return compose(
        stories,
        config,
        number=7,
        period_start=WEEK_START,
        period_end=WEEK_END,
        created_at=WEEK_END,
    )


def test_bands_follow_the_stories(config: Config) -> None:
    edition = _compose(sample_stories(), config)
    plan = layout(edition)
    assert plan.lead is not None and plan.lead.id == "s-nuage"  # the largest, most covered
    assert all(s.kind == "funding_round" for s in plan.rounds)
    assert [s.id for s in plan.rounds] == ["s-quantique", "s-robots", "s-ia-sante", "s-fintech"]
    assert all(s.kind == "investment" for s in plan.investments)
    assert [s.id for s in plan.brief] == ["s-retail"]  # no figure: one line in En bref
    assert [s.id for s in plan.held] == ["s-hydrogene"]
    assert edition.stories[-1].id == "s-hydrogene"  # kept for the editor, last
    shown = [plan.lead, *plan.investments, *plan.rounds, *plan.brief]
    assert len(shown) == plan.count == len(sample_stories()) - 1


def test_round_up_keeps_currencies_apart(config: Config) -> None:
    plan = layout(_compose(sample_stories(), config))
    by_currency = {t.currency: t for t in plan.totals}
    assert set(by_currency) == {"EUR", "USD"}
    assert by_currency["EUR"].value == pytest.approx(4e9 + 1.2e9 + 45e6 + 12e6 + 100e6 + 3.5e6)
    assert by_currency["USD"].value == 300e6 and by_currency["USD"].qualifier == "about"
    assert [s.id for s in plan.podium] == ["s-nuage", "s-batteries", "s-logistique"]
    sectors = {g.name: g.count for g in plan.sectors}
    assert sectors["Cloud"] == 1 and "Hydrogène" not in sectors  # held stories do not count
    regions = {g.name: g.count for g in plan.regions}
    assert regions["Île-de-France"] == 2  # Paris and Palaiseau
    assert regions["Hauts-de-France"] == 2  # Dunkerque and Lille
    assert regions["Normandie"] == 1  # Le Havre


def test_opening_line_is_written_from_the_figures(config: Config) -> None:
    line = opening(layout(_compose(sample_stories(), config)), WEEK_START, WEEK_END)
    assert line.startswith("Cette semaine, 9 investissements annoncés pour ")
    assert "5,4\u00a0milliards d'euros" in line  # the figure never leaves its scale
    assert "300\u00a0millions de dollars" in line
    assert line.endswith("dont 4 levées de fonds.")


def test_totals_are_rounded_honestly() -> None:
    assert rounded_money(6_137_000_000, "EUR", "exact") == "environ 6,1\u00a0milliards d'euros"
    assert rounded_money(4e9, "EUR", "exact") == "4\u00a0milliards d'euros"
    assert rounded_money(1.2e9, "USD", "at_least") == "au moins 1,2\u00a0milliard de dollars"
    assert money_short(4.5e9, "EUR") == "4,5\u00a0Md€"
    assert money_short(300e6, "USD") == "300\u00a0M$"
    assert money_short(45e6, "CHF") == "45\u00a0M CHF"


@pytest.mark.parametrize("n", [1, 2, 3, 10, 30, 100])
def test_subject_and_preheader_lengths(config: Config, n: int) -> None:
    edition = _compose(synthetic_stories(n), config)
    assert 0 < len(edition.subject) <= SUBJECT_MAX
    assert PREHEADER_MIN <= len(edition.preheader) <= PREHEADER_MAX, edition.preheader
    assert edition.subject not in edition.preheader  # it complements, not repeats


def test_long_headline_still_fits(config: Config) -> None:
    story = replace(
        sample_stories()[0],
        headline="Un très long titre " * 8,
        summary="Un résumé court.",
    )
    edition = _compose([story], config)
    assert edition.subject == "Nuagix (4\u00a0Md€)"  # the lead deal and its amount
    assert PREHEADER_MIN <= len(edition.preheader) <= PREHEADER_MAX
    alone = replace(story, investor=None, beneficiary=None, amount=None, jobs=None)
    subject = _compose([alone], config).subject
    assert len(subject) <= SUBJECT_MAX and subject.endswith("…")


def test_edition_id_is_the_local_date(config: Config) -> None:
    late = datetime(2024, 5, 20, 22, 30, tzinfo=UTC)  # 00:30 on the 21st in Paris
    assert edition_id(late, config) == "2024-05-21"
    assert _compose(sample_stories(), config).id == "2024-05-21"


def test_no_sendable_story_builds_nothing(config: Config) -> None:
    held = [replace(s, held_reason="untraceable") for s in sample_stories()]
    with pytest.raises(EmptyEdition, match="held back"):
        _compose(held, config)


def test_a_composed_edition_is_a_draft_whatever_the_config(config: Config) -> None:
    assert _compose(sample_stories(), config).state == "draft"  # lifecycle approves it


def test_totals_order_the_most_frequent_currency_first() -> None:
    stories = [
        replace(sample_stories()[0], id=str(i), amount=Amount(v, c))
        for i, (v, c) in enumerate([(1e6, "USD"), (2e6, "EUR"), (3e6, "EUR"), (5e5, None)])
    ]
    found = totals(stories)
    assert [t.currency for t in found] == ["EUR", "USD", None]
    assert found[0].value == 5e6 and found[0].count == 2


def test_the_largest_investment_leads_over_a_smaller_one_with_jobs() -> None:
    from datetime import UTC, datetime

    from digest.edition.compose import importance
    from digest.models import Amount, Quantity, Source, Story

    day = datetime(2024, 5, 13, tzinfo=UTC)
    sources = [Source(f"https://o{i}.example/a", "t", f"Outlet {i}", day) for i in range(5)]
    record = Story("a", investor="Microsoft", amount=Amount(4e9, "EUR"), sources=sources)
    smaller = Story(
        "b",
        investor="Amazon",
        amount=Amount(1.2e9, "EUR"),
        jobs=Quantity(3000, "at_least"),
        sources=sources,
    )
    assert importance(record) > importance(smaller)

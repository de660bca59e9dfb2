"""Sane editions: an amount the story's own evidence speaks against never reaches the total,
the podium, the tables, the order or the subject, and the editor is told why."""

from __future__ import annotations

from dataclasses import replace

from digest.config import Config
from digest.edition.compose import compose
from digest.edition.layout import layout
from digest.edition.plausible import doubt
from digest.edition.render import render
from digest.models import Amount, Conflict, ConflictValue, Edition, Story
from digest.samples.editions import WEEK_END, WEEK_START, sample_stories


def _edition(stories: list[Story], config: Config) -> Edition:
    edition = compose(
        stories,
        config,
        number=4,
        period_start=WEEK_START,
        period_end=WEEK_END,
        created_at=WEEK_END,
    )
    return render(edition, config)


def _misread() -> Story:
    """A deal whose source says 4 milliards, read 1 000 times too large."""
    base = next(s for s in sample_stories() if s.id == "s-batteries")
    return replace(
        base,
        id="s-misread",
        headline="Gigavolt investit dans une usine de batteries",
        investor="Gigavolt",
        beneficiary=None,
        amount=Amount(4e12, "EUR", "exact", "4 milliards d'euros"),
        conflicts=[],
        sector="Énergie",
        locations=["Vitré"],
    )


def test_a_misread_amount_is_left_out_of_every_figure(config: Config) -> None:
    stories = [*sample_stories(), _misread()]
    edition = _edition(stories, config)
    plan = layout(edition)
    assert "s-misread" not in [s.id for s in plan.podium]
    assert plan.lead is not None and plan.lead.id != "s-misread"  # 4 000 Md€ does not lead
    clean = layout(_edition(sample_stories(), config))
    assert [(t.currency, t.value) for t in plan.totals] == [
        (t.currency, t.value) for t in clean.totals
    ]
    energy = next(g for g in plan.sectors if g.name == "Énergie")
    assert energy.count == 1 and energy.totals == []  # counted as a story, not as money
    assert "4\u00a0000\u00a0Md€" not in edition.subject + edition.preheader
    check = next(c for c in edition.checks if c.name == "plausible_amounts" and not c.ok)
    assert "s-misread" in check.detail and "4 milliards d'euros" in check.detail
    # the story itself is still told, as its sources state it
    assert "Gigavolt investit dans une usine de batteries" in edition.html


def test_an_amount_far_above_its_other_sources_is_doubtful() -> None:
    story = replace(
        _misread(),
        amount=Amount(1.2e12, "EUR", "exact", ""),
        conflicts=[
            Conflict(
                "amount.value",
                [
                    ConflictValue("1\u00a0200\u00a0milliards d'euros", ["A"]),
                    ConflictValue("1,2\u00a0milliard d'euros", ["B"]),
                ],
            )
        ],
    )
    assert "1\u202f000 fois" in (doubt(story) or "")
    agreeing = replace(story, amount=Amount(1.3e9, "EUR", "at_least", ""))
    assert doubt(agreeing) is None  # "plus de 1,2 milliard" and "1,3 milliard" agree


def test_summit_totals_and_valuations_pass_their_ceiling() -> None:
    summit = replace(_misread(), amount=Amount(109e9, "EUR", "exact", "109 milliards d'euros"))
    assert "sommet" in (doubt(summit) or "")
    valuation = replace(
        _misread(),
        kind="funding_round",
        round="serie_a",
        amount=Amount(2e9, "EUR", "exact", "2 milliards d'euros"),
    )
    assert "valorisation" in (doubt(valuation) or "")
    yen = replace(summit, amount=Amount(109e9, "JPY", "exact", "109 milliards de yens"))
    assert doubt(yen) is None  # no ceiling for a currency far from the euro


def test_every_sample_amount_is_plausible(config: Config) -> None:
    assert [s.id for s in sample_stories() if doubt(s)] == []

"""French only, and right: key figures in French, a tidy "Dont" line, a subject naming the lead
deal with its amount; and a long edition still goes, its brèves linked to the web version."""

from __future__ import annotations

from dataclasses import replace

from digest.config import Config
from digest.edition.compose import compose
from digest.edition.layout import layout
from digest.edition.preflight import MAX_HTML_BYTES
from digest.edition.render import public_html, render
from digest.edition.view import facts
from digest.models import Amount, Edition, Figure, Part, Quantity, Story
from digest.samples.editions import WEEK_END, WEEK_START, sample_stories, synthetic_stories


def _edition(stories: list[Story], config: Config) -> Edition:
    edition = compose(
        stories, config, number=5, period_start=WEEK_START, period_end=WEEK_END, created_at=WEEK_END
    )
    return render(edition, config)


def _nuage() -> Story:
    return next(s for s in sample_stories() if s.id == "s-nuage")


def test_english_timeframes_show_in_french_or_not_at_all() -> None:
    story = replace(
        _nuage(),
        timeframe="over the next five years",
        figures=[
            Figure("gpus", Quantity(25000), "by the end of 2025"),
            Figure("people_trained", Quantity(1000), "in the long run"),
        ],
    )
    shown = dict(facts(story))
    assert shown["Quand"] == "sur cinq ans"
    assert shown["GPU"].endswith("d'ici fin 2025")
    assert "long run" not in " ".join(shown.values())


def test_the_dont_line_is_tidy() -> None:
    story = replace(
        _nuage(),
        parts=[
            # as the reader keeps it: the amount's currency, the next part, a word cut at 80
            Part(
                Amount(2.5e9, None, "exact", "2,5 milliards"),
                "d'euros pour la construction de deux centres de données, et 800 millions pou",
            ),
            Part(Amount(5e8, "EUR"), "for a new campus in the south of France"),
            Part(Amount(4e9, "EUR"), "soit l'ensemble"),  # the whole again
        ],
    )
    dont = dict(facts(story))["Dont"]
    assert dont == (
        "2,5\u00a0milliards d'euros pour la construction de deux centres de données ; "
        "500\u00a0millions d'euros"
    )


def test_the_subject_names_the_lead_deal_and_its_amount(config: Config) -> None:
    edition = _edition(sample_stories(), config)
    lead = layout(edition).lead
    assert lead is not None and lead.id == "s-nuage"
    assert "Nuagix" in edition.subject and "4 milliards d'euros" in edition.subject
    quiet = replace(_nuage(), headline="Nuagix choisit la France pour son cloud")
    subject = _edition([quiet, *sample_stories()[1:]], config).subject
    assert subject.startswith("Nuagix choisit la France pour son cloud (4\u00a0Md€)")


def test_a_long_edition_stays_under_the_limit_and_links_the_web_version(config: Config) -> None:
    edition = _edition(synthetic_stories(160), config)
    size = len(edition.html.encode())
    assert size <= MAX_HTML_BYTES
    assert next(c for c in edition.checks if c.name == "html_size").ok
    web = f"https://digest.example.org/editions/{edition.id}"
    assert "autres brèves dans la version en ligne" in edition.html
    assert f'<a class="dk-a" href="{web}"' in edition.html
    brief = layout(edition).brief
    last = brief[-1].headline
    assert last not in edition.html  # left to the web version
    assert last in public_html(edition, config)  # which has every story
    assert last in " ".join(edition.text.split())  # and so has the text part


def test_the_fixed_part_of_the_email_is_small(config: Config) -> None:
    alone = next(s for s in sample_stories() if s.id == "s-retail")
    assert len(_edition([alone], config).html.encode()) <= 25 * 1024
    assert len(_edition(synthetic_stories(1), config).html.encode()) <= 25 * 1024


def test_preflight_flags_english_left_in_our_copy(config: Config) -> None:
    clean = _edition(sample_stories(), config)
    assert next(c for c in clean.checks if c.name == "french_only").ok
    leaky = replace(_nuage(), summary="Nuagix will invest over the next five years in Paris.")
    edition = _edition([leaky, *sample_stories()[1:]], config)
    check = next(c for c in edition.checks if c.name == "french_only")
    assert not check.ok and "s-nuage" in check.detail

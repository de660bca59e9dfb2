"""The story of an event (news of a company, no deal): written from its pages' titles, of kind
"event", held with what it is about, in the stories JSON as such; and never in an edition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.config import Config, parse_config
from digest.edition.compose import EmptyEdition, compose
from digest.edition.export import story_json
from digest.models import Amount, Item, Mention
from digest.samples.editions import WEEK_END, WEEK_START, sample_stories
from digest.write.settings import WriteSettings
from digest.write.writer import write_story

T0 = datetime(2025, 3, 4, 8, tzinfo=UTC)
CONFIG: Config = parse_config("feeds:\n  - {name: Le Fil, url: a.xml}\n", Path("feeds.yaml"))
SETTINGS = WriteSettings.of(CONFIG)


def item(n: int, title: str, outlet: str = "Le Fil") -> Item:
    return Item(
        feed_id=n,
        guid=f"g{n}",
        url=f"https://example.org/{n}",
        title=title,
        text=f"{title}. Le site emploie 180 personnes.",
        published=T0 + timedelta(hours=n),
        id=n,
        feed_name=outlet,
    )


def event(n: int) -> Mention:
    return Mention(item_id=n, kind="event", investor="Solvane", topic="opening", id=n)


PAIRS = [
    (event(1), item(1, "Solvane inaugure son usine de membranes")),
    (event(2), item(2, "La ministre inaugure l'usine Solvane", "Tech Hebdo")),
]


def test_an_events_story_is_held_as_no_investment() -> None:
    story = write_story("st-ev", PAIRS, SETTINGS)
    assert (story.kind, story.investor, story.amount) == ("event", "Solvane", None)
    assert story.held_reason == "Pas une annonce d'investissement\u202f: inauguration ou visite"
    assert story.headline == "Solvane inaugure son usine de membranes"
    assert [s.feed for s in story.sources] == ["Le Fil", "Tech Hebdo"]
    shown = story_json(story)
    assert (shown["kind"], shown["held"]) == ("event", story.held_reason)


def test_a_deal_merged_with_an_event_is_written_from_the_deal() -> None:
    deal = Mention(item_id=3, investor="Solvane", amount=Amount(80e6, "EUR"), id=3)
    text = "Solvane investit 80 millions d'euros à Lyon"
    story = write_story("st-mix", [*PAIRS, (deal, item(3, text))], SETTINGS)
    assert story.kind == "investment" and story.amount is not None
    assert [s.url for s in story.sources] == ["https://example.org/3"]


def test_no_edition_shows_an_event(config: Config) -> None:
    story = write_story("st-ev", PAIRS, SETTINGS)
    story.held_reason = None  # even were it released by an editor
    kept = dict(number=1, period_start=WEEK_START, period_end=WEEK_END, created_at=WEEK_END)
    edition = compose([*sample_stories(), story], config, **kept)
    assert "st-ev" not in [s.id for s in edition.stories]
    with pytest.raises(EmptyEdition):
        compose([story], config, **kept)

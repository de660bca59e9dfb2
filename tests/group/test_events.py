"""Events (news of a company that is no deal: digest/read/events.py) group like deals: the
outlets telling one event of one company join its story, whichever party each names first;
an event never joins a deal's story, nor an event of another company or long after."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from digest.group.grouper import Grouper
from digest.models import Amount, Item, Mention
from tests.support.items import timed_item

T0 = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


item = partial(timed_item, start=T0)


def event(company: str, topic: str, *others: str) -> Mention:
    return Mention(item_id=0, kind="event", investor=company, investors=list(others), topic=topic)


def stories(pairs: list[tuple[Mention, Item]]) -> list[str]:
    return Grouper().group(pairs)


OPENING = [
    (
        event("Solvane", "opening"),
        item("a", "Solvane inaugure son usine", "Le groupe Solvane a inauguré son usine de Lyon."),
    ),
    (
        event("Solvane", "opening"),
        item(
            "b",
            "Solvane opens its membrane plant",
            "The plant near Lyon was opened on Thursday by the minister.",
            days=1,
            feed="Euro Wire",
        ),
    ),
]


def test_one_event_told_by_two_outlets_in_two_languages_is_one_story() -> None:
    a, b = stories(OPENING)
    assert a == b


def test_the_buyers_page_and_the_bought_firms_page_meet() -> None:
    a, b = stories(
        [
            (
                event("Corvella", "acquisition", "Fastbox"),
                item("c", "Corvella rachète Fastbox", "Le groupe Corvella acquiert l'app."),
            ),
            (
                event("Fastbox", "acquisition", "Corvella"),
                item("d", "Fastbox passe sous pavillon Corvella", "L'app est rachetée.", days=2),
            ),
        ]
    )
    assert a == b


def test_an_event_never_joins_its_companys_deal() -> None:
    deal = Mention(item_id=0, investor="Solvane", amount=Amount(80e6, "EUR"), places=["Lyon"])
    ids = stories(
        [(deal, item("e", "Solvane investit 80 M€ à Lyon", "Solvane investit 80 M€.")), *OPENING]
    )
    assert ids[0] != ids[1] and ids[1] == ids[2]


def test_another_company_or_a_later_event_stays_apart() -> None:
    ids = stories(
        [
            *OPENING,
            (event("Photonia", "opening"), item("f", "Photonia inaugure", "Photonia inaugure.")),
            (
                event("Solvane", "opening"),
                item("g", "Solvane inaugure une autre usine", "Solvane inaugure.", days=120),
            ),
        ]
    )
    assert len(set(ids)) == 3

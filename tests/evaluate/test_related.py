"""A related page (news of a company that is no deal) gives a deal when the reader finds on it
a deal mention that is none of the deals the gold says the page also reports as news; an
event's mention is no deal (digest/evaluate/errors.py, `stray_deals`)."""

from __future__ import annotations

from digest.evaluate.errors import stray_deals
from digest.evaluate.news import NewsCorpus
from digest.evaluate.replay import Replay
from digest.models import Amount, Mention

OPENING = {"id": "opening", "kind": "related", "company": "Solvane", "amount": None}
WORKSHOP = {
    "id": "workshop",
    "kind": "investment",
    "company": "Solvane",
    "amount": {"value": 35e6, "currency": "EUR"},
}
CORPUS = NewsCorpus(
    {},
    {"opening": OPENING, "workshop": WORKSHOP},
    {"p1": {"id": "p1", "primary": "opening", "mentions": ["workshop"]}},
)


def deal(value: float, name: str = "Solvane") -> Mention:
    return Mention(item_id=1, investor=name, amount=Amount(value, "EUR"))


def strays(*found: Mention) -> list[Mention]:
    return stray_deals(CORPUS, Replay([], [], {}, {"p1": list(found)}, None), "p1")


def test_the_deal_a_related_page_also_reports_is_no_stray() -> None:
    assert strays(deal(35e6)) == []


def test_the_sites_restated_cost_or_another_firms_deal_is() -> None:
    assert strays(deal(120e6), deal(35e6, "Photonia")) == [deal(120e6), deal(35e6, "Photonia")]


def test_an_event_is_no_deal() -> None:
    assert strays(Mention(item_id=1, kind="event", investor="Solvane", topic="opening")) == []

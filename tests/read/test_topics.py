"""The topic words of the item model and the recall words of recalled deals
(digest/language/data/topics.yaml): each entry's examples carry its words, its `not:` lines do
not; dates before the page's are told from the company's own dates."""

from __future__ import annotations

import pytest

from digest.language import data
from digest.read.recall import dated_before
from digest.read.topics import announced, first_topic, frames, past_dates, recalled, topics_in

DATA = data.load("topics.yaml")
TOPICS = DATA["topics"]
EXAMPLES = [(name, line) for name, t in TOPICS.items() for line in t["examples"]]
NOT = [(name, line) for name, t in TOPICS.items() for line in t["not"]]


@pytest.mark.parametrize(("topic", "line"), EXAMPLES)
def test_an_example_carries_its_topic(topic: str, line: str) -> None:
    assert topic in topics_in(line)


@pytest.mark.parametrize(("topic", "line"), NOT)
def test_a_counter_example_does_not(topic: str, line: str) -> None:
    assert topic not in topics_in(line)


@pytest.mark.parametrize("line", DATA["recalled"]["examples"])
def test_a_recalled_deal_carries_a_recall_word(line: str) -> None:
    assert recalled().search(line)


@pytest.mark.parametrize("line", DATA["recalled"]["not"])
def test_a_deal_told_as_news_carries_none(line: str) -> None:
    assert not recalled().search(line)


def test_every_entry_has_examples_and_counter_examples() -> None:
    assert all(t["examples"] and t["not"] for t in TOPICS.values())
    assert DATA["recalled"]["examples"] and DATA["recalled"]["not"]


def test_the_first_topic_of_a_title_is_found_with_its_place() -> None:
    assert first_topic("la foncière rachète un réseau de crèches pour 40 M€") == (12, "acquisition")
    assert first_topic("la crèche lève 4 M€") is None


@pytest.mark.parametrize(
    ("text", "year", "month", "past"),
    [
        ("en 2021", 2024, 5, True),
        ("en février 2024", 2024, 5, True),
        ("en avril 2024", 2024, 5, False),  # the month before may be the news told late
        ("en 2024", 2024, 5, False),
        ("d'ici 2027", 2024, 5, False),
        ("en 2021", None, None, False),
    ],
)
def test_a_date_is_past_when_before_the_pages(text, year, month, past) -> None:
    assert past_dates(text, year, month) is past


def test_the_companys_own_dates_are_not_the_deals() -> None:
    assert dated_before("un tour bouclé en mars 2021 ", 2024, 5)
    assert not dated_before("la société, fondée en 2016, ", 2024, 5)
    assert not dated_before("présente depuis 2019 ", 2024, 5)


@pytest.mark.parametrize("line", DATA["frames"]["examples"])
def test_a_figure_that_is_no_deal_carries_a_frame_word(line: str) -> None:
    assert frames().search(line)


@pytest.mark.parametrize("line", DATA["frames"]["not"])
def test_a_deal_carries_no_frame_word(line: str) -> None:
    assert not frames().search(line)


@pytest.mark.parametrize("line", DATA["announced"]["examples"])
def test_a_deal_told_as_news_carries_an_announcing_word(line: str) -> None:
    assert announced().search(line)


@pytest.mark.parametrize("line", DATA["announced"]["not"])
def test_a_cost_told_again_carries_none(line: str) -> None:
    assert not announced().search(line)

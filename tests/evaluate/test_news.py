"""The real-news corpus turned into feeds (corpus README, "Turning it into feeds"), on a tiny
corpus written here: the program's own feed parser must read back what was written."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.config import load_config
from digest.evaluate.news import (
    Article,
    as_moment,
    feed_language,
    load_news,
    published,
    rss,
    title_of,
    write_feeds,
)
from digest.poll.parse import parse_feed

LONG = (
    "La coopérative Brindille, qui fabrique des serres connectées pour les maraîchers de la "
    "vallée du Rhône et du Jura, annonce un tour de table. Suite du texte."
)
PAGES = [
    {
        "id": "t1",
        "url": "https://gazette.example/brindille-12-millions",
        "source": "Gazette A",
        "language": "fr",
        "published": "2024-03-05",
        "title": "Brindille lève 12 millions d'euros pour ses serres connectées",
        "text": "La jeune pousse lyonnaise Brindille annonce une levée de 12 millions d'euros "
        "menée par Fonds Ardoise. Elle compte embaucher 40 personnes d'ici deux ans.",
    },
    {
        "id": "t2",
        "url": "https://courrier.example/2024/03/brindille",
        "source": "Courrier B",
        "language": "fr",
        "published": None,
        "title": None,
        "text": LONG,
    },
    {
        "id": "t3",
        "url": "https://gazette.example/brindille-site",
        "source": "Gazette A",
        "language": "en",
        "published": "2026-01",
        "title": "Brindille opens its Villeurbanne site",
        "text": "Brindille opened its R&D site in Villeurbanne two years after it raised money.",
    },
]
GOLD = {
    "clusters": [
        {
            "id": "brindille-2024",
            "kind": "funding-round",
            "company": "Brindille",
            "beneficiary": None,
            "amount": {"value": 12000000.0, "currency": "EUR", "as_stated": []},
            "round": None,
            "investors": ["Fonds Ardoise"],
            "jobs": 40,
            "places": [],
            "date": "2024-03-05",
            "articles": ["t1", "t2"],
            "primary_articles": ["t1", "t2"],
            "passing_mentions": ["t3"],
            "conflicts": [],
            "hard_negative_for": [],
        },
        {
            "id": "brindille-site-2026",
            "kind": "related",
            "company": "Brindille",
            "beneficiary": None,
            "amount": None,
            "round": None,
            "investors": [],
            "jobs": None,
            "places": [],
            "date": "2026",
            "articles": ["t3"],
            "primary_articles": ["t3"],
            "passing_mentions": [],
            "conflicts": [],
            "hard_negative_for": [],
        },
    ],
    "articles": [
        {"id": "t1", "primary": "brindille-2024", "mentions": [], "passing_mentions": []},
        {"id": "t2", "primary": "brindille-2024", "mentions": [], "passing_mentions": []},
        {"id": "t3", "primary": "brindille-site-2026", "mentions": [], "passing_mentions": []},
    ],
}


def make_corpus(folder: Path) -> Path:
    """A corpus of three pages in the shared corpus's layout, in words of our own."""
    (folder / "articles").mkdir(parents=True)
    for page in PAGES:
        (folder / "articles" / f"{page['id']}.json").write_text(json.dumps(page), "utf-8")
    (folder / "gold.json").write_text(json.dumps(GOLD), "utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path):
    return load_news(make_corpus(tmp_path / "news"))


def test_a_missing_title_is_the_first_sentence_cut_at_110_characters(corpus):
    assert title_of(corpus.articles["t1"]) == PAGES[0]["title"]
    made = title_of(corpus.articles["t2"])
    assert len(made) <= 110 and LONG.startswith(made) and "Suite" not in made


def test_dates_day_month_and_the_announcements_date():
    assert as_moment("2024-03-05") == datetime(2024, 3, 5, 8, tzinfo=UTC)
    assert as_moment("2026-01") == datetime(2026, 1, 15, 8, tzinfo=UTC)
    assert as_moment("2026") is None and as_moment(None) is None


def test_an_undated_page_takes_the_date_of_its_announcement(corpus):
    assert published(corpus, corpus.articles["t2"]) == datetime(2024, 3, 5, 8, tzinfo=UTC)
    assert published(corpus, corpus.articles["t3"]) == datetime(2026, 1, 15, 8, tzinfo=UTC)


def test_a_feed_speaks_the_language_of_most_of_its_pages():
    page = Article("x", "u", "s", "fr", None, None, "")
    assert feed_language([page, page, Article("y", "u", "s", "en", None, None, "")]) == "fr"


def test_the_feed_reads_back_through_the_programs_parser(corpus):
    pages = [corpus.articles["t1"], corpus.articles["t3"]]
    body = rss(corpus, "Gazette A", pages)
    assert "<language>fr</language>" in body  # t1 first: the tie goes to the first page
    parsed = parse_feed(body.encode())
    assert parsed.error is None
    first, second = parsed.entries
    assert first.url == PAGES[0]["url"] and first.title == PAGES[0]["title"]
    assert first.published == datetime(2024, 3, 5, 8, tzinfo=UTC)
    assert "Fonds Ardoise" in first.text
    assert "R&D site" in second.text  # escaped, read back as the text


def test_write_feeds_makes_one_feed_per_outlet_and_a_config(corpus, tmp_path):
    folder = tmp_path / "feeds"
    folder.mkdir()
    config = load_config(write_feeds(corpus, folder))
    assert sorted(f.name for f in config.feeds) == ["Courrier B", "Gazette A"]
    for feed in config.feeds:
        assert feed.lang == "fr" and (folder / feed.url).is_file()

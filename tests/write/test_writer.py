"""The write stage's pure core: headline, summary, conflicts said, traceability hold, updates."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.config import Config, parse_config
from digest.edition.export import story_json
from digest.models import Amount, Figure, Item, Mention, Quantity
from digest.samples.editions import sample_stories
from digest.write.settings import WriteSettings
from digest.write.writer import since_sent, sources_line, update_note, write_story

T0 = datetime(2024, 5, 13, 8, tzinfo=UTC)
N = "\u202f"
CONFIG: Config = parse_config("feeds:\n  - {name: Le Fil Tech, url: a.xml}\n", Path("feeds.yaml"))
SETTINGS = WriteSettings.of(CONFIG)


def item(n: int, outlet: str, text: str, copy_of: int | None = None) -> Item:
    return Item(
        feed_id=n,
        guid=f"g{n}",
        url=f"https://example.org/{n}",
        title=text.split(".")[0],
        text=text,
        published=T0 + timedelta(hours=n),
        id=n,
        feed_name=outlet,
        duplicate_of=copy_of,
    )


def microsoft() -> list[tuple[Mention, Item]]:
    both = Amount(
        4e9, "EUR", "exact", "4 milliards d'euros", [Amount(4.3e9, "USD", "exact", "4,3 milliards")]
    )
    return [
        (
            Mention(
                1,
                id=1,
                investor="Microsoft",
                amount=both,
                jobs=Quantity(3000, "at_least", "plus de 3 000"),
                country="France",
                places=["Paris", "Mulhouse"],
                timeframe="d'ici fin 2027",
                figures=[Figure("gpus", Quantity(25000))],
            ),
            item(
                1,
                "Le Fil Tech",
                "Microsoft engagera 4 milliards d'euros (4,3 milliards de dollars) en France "
                "d'ici fin 2027. Plus de 3 000 emplois à Paris et à Mulhouse, 25 000 GPU.",
            ),
        ),
        (
            Mention(2, id=2, investor="Microsoft", amount=Amount(4e9, "USD"), country="France"),
            item(2, "Tech Matin", "Microsoft met 4 milliards de dollars sur la table en France."),
        ),
        (
            Mention(3, id=3, investor="Microsoft", amount=Amount(4e9, "EUR"), country="France"),
            item(3, "Startup Hebdo", "Le géant américain Microsoft annonce 4 Md€ pour la France."),
        ),
    ]


def round_pairs() -> list[tuple[Mention, Item]]:
    m = Mention(
        7,
        id=7,
        kind="funding_round",
        beneficiary="Qontrol",
        investors=["Eurazeo", "Bpifrance"],
        lead="Eurazeo",
        amount=Amount(20e6, "EUR"),
        round="serie_b",
        places=["Lyon"],
        jobs=Quantity(50, "about"),
    )
    text = (
        "La start-up lyonnaise Qontrol lève 20 millions d'euros en série B, menée par Eurazeo "
        "avec Bpifrance. Elle compte recruter une cinquantaine de personnes à Lyon."
    )
    return [(m, item(7, "Le Fil Tech", text))]


def test_investment_headline_and_summary_state_the_majority_and_who_disagrees() -> None:
    story = write_story("s-ms", microsoft(), SETTINGS)
    assert story.held_reason is None
    assert "Microsoft" in story.headline and "4 milliards d'euros" in story.headline
    assert "en France" in story.headline
    assert "4 milliards d'euros (4,3 milliards de dollars)" in story.summary
    assert f"plus de 3{N}000 emplois" in story.summary
    assert "Paris et Mulhouse" in story.summary and "d'ici fin 2027" in story.summary
    assert "Selon Tech Matin, le montant atteindrait 4 milliards de dollars." in story.summary
    assert 1 <= len(re.findall(r"[.!?](?:\s|$)", story.summary)) <= 3
    (conflict,) = story.conflicts
    assert conflict.field == "amount.currency"
    assert [v.sources for v in conflict.values] == [
        ["Le Fil Tech", "Startup Hebdo"],
        ["Tech Matin"],
    ]


def test_the_story_fills_the_contract() -> None:
    data = story_json(write_story("s-ms", microsoft(), SETTINGS))
    assert data["amount"] == {
        "value": 4000000000,
        "currency": "EUR",
        "qualifier": "exact",
        "as_stated": ["4 milliards d'euros", "4,3 milliards"],
    }
    assert data["jobs"] == {"value": 3000, "qualifier": "at_least"}
    assert data["locations"] == ["Paris", "Mulhouse"]
    assert data["timeframe"] == "d'ici fin 2027"
    assert [i["feed"] for i in data["items"]] == ["Le Fil Tech", "Tech Matin", "Startup Hebdo"]
    assert data["conflicts"][0]["values"][1] == {"value": "USD", "sources": ["Tech Matin"]}


def test_variants_are_reproducible_and_vary_between_stories() -> None:
    heads = {write_story(f"s-{n}", microsoft(), SETTINGS).headline for n in range(12)}
    assert len(heads) >= 3
    assert write_story("s-1", microsoft(), SETTINGS) == write_story("s-1", microsoft(), SETTINGS)


def test_funding_round_has_its_own_shape() -> None:
    texts = [write_story(f"r-{n}", round_pairs(), SETTINGS) for n in range(8)]
    assert all(s.held_reason is None for s in texts), [s.held_reason for s in texts]
    assert "Qontrol lève 20 millions d'euros en série B auprès d'Eurazeo et Bpifrance" in {
        s.headline for s in texts
    }
    for s in texts:
        assert "Qontrol" in s.headline and "20 millions d'euros" in s.headline
        assert "une cinquantaine d'emplois" in s.summary
        assert "Lyon" in s.summary


def test_an_invented_place_is_left_out_and_an_invented_amount_holds_the_story_back() -> None:
    pairs = microsoft()
    pairs[0][0].places = ["Paris", "Mulhouse", "Toulouse"]  # no source names Toulouse
    story = write_story("s-ms", pairs, SETTINGS)
    assert story.held_reason is None and story.locations == ["Paris", "Mulhouse"]
    assert "Toulouse" not in story.headline + story.summary
    pairs = microsoft()
    for m, _ in pairs:
        m.amount = Amount(4.5e9, "EUR")  # a figure no source gives
    story = write_story("s-ms", pairs, SETTINGS)
    assert story.held_reason and "4,5 milliards" in story.held_reason


def test_sources_line_names_each_outlet_once() -> None:
    story = write_story("s-ms", microsoft(), SETTINGS)
    assert sources_line(story) == f"Sources{N}: Le Fil Tech, Tech Matin et Startup Hebdo"


def test_update_note_says_what_changed_and_nothing_when_nothing_did() -> None:
    before = write_story("s-ms", microsoft()[1:], SETTINGS)
    after = write_story("s-ms", microsoft(), SETTINGS)
    assert update_note(after, replace(after, sources=after.sources[:1])) is None
    note = update_note(before, after)
    assert note is not None and note.startswith(f"Mise à jour{N}: ")
    assert f"plus de 3{N}000 emplois à la clé" in note
    assert "Paris et Mulhouse s'ajoutent aux sites" in note
    assert "échéance d'ici fin 2027" in note
    bigger = replace(after, amount=Amount(5e9, "EUR"))
    assert "montant revu à 5 milliards d'euros (contre 4 milliards d'euros)" in update_note(
        after, bigger
    )


def test_a_story_sent_before_returns_only_with_news() -> None:
    stories = sample_stories()
    before = {s.id: s for s in stories if s.id == "s-batteries"}
    assert "s-batteries" not in [s.id for s in since_sent(stories, before)]  # nothing new
    assert len(since_sent(stories, before)) == len(stories) - 1
    grown = [
        replace(s, amount=Amount(1.5e9, "EUR", "exact", "1,5 milliard d'euros"))
        if s.id == "s-batteries"
        else s
        for s in stories
    ]
    story = next(s for s in since_sent(grown, before) if s.id == "s-batteries")
    assert story.update_note and "1,5" in story.update_note


def test_an_investor_is_not_said_to_invest_in_itself() -> None:
    pairs = microsoft()
    for m, _ in pairs:
        m.beneficiary = "Microsoft"
    for n in range(6):
        story = write_story(f"s-{n}", pairs, SETTINGS)
        assert "dans Microsoft" not in story.headline + story.summary
        assert "au profit de Microsoft" not in story.summary


def test_a_debt_is_said_as_debt_not_as_a_round_of_funds() -> None:
    for story_id in ("s-a", "s-b", "s-c", "s-d", "s-e", "s-f"):
        m, i = round_pairs()[0]
        m.round, m.investors, m.lead = "dette", ["Banque Arpège"], "Banque Arpège"
        i.text = i.title = "Qontrol obtient 20 millions d'euros de dette auprès de Banque Arpège"
        story = write_story(story_id, [(m, i)], SETTINGS)
        text = f"{story.headline} {story.summary}"
        assert "en dette de" in text or "de dette" in text, text
        assert "levée de fonds" not in text and "d'euros en dette" not in text, text
        assert story.held_reason is None


def test_what_we_write_uses_one_apostrophe() -> None:
    pairs = microsoft()
    m = pairs[0][0]
    m.timeframe = "d’ici fin 2027"
    m.figures = [Figure("gpus", Quantity(25000), "d’ici fin 2027")]
    story = write_story("s-ms", pairs, SETTINGS)
    assert story.timeframe == "d'ici fin 2027" and story.figures[0].timeframe == "d'ici fin 2027"
    assert "’" not in story.headline + story.summary and story.held_reason is None

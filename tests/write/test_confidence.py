"""A story the program is unsure of (one page, an actor that is a function word or another deal's
investor, a recalled amount) is held with reasons an editor can read; a well-told one is not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.models import Amount, Mention, Story
from digest.write import confidence
from tests.write.test_writer import item


def told(n: int, story: str, amount: float, stated: str, deal: str, **facts) -> Mention:
    evidence = {"deal": deal, "amount": deal}
    money = Amount(amount, "EUR", "exact", stated)
    return Mention(n, id=n, story_id=story, amount=money, evidence=evidence, **facts)


ROUND = "Brumel lève 4 millions d'euros. La start-up nantaise Brumel recrute vingt personnes."
RECALL = (
    "Brumel ouvre une usine. En 2019, la start-up avait levé 2 millions d'euros auprès de Kestrel."
)


def story(story_id: str, actor: str, amount: float, stated: str) -> Story:
    return Story(
        story_id, "funding_round", beneficiary=actor, amount=Amount(amount, "EUR", "exact", stated)
    )


def test_a_round_told_by_two_outlets_with_its_actor_acting_in_the_title() -> None:
    pages = [item(1, "Le Fil", ROUND), item(2, "Tech Matin", ROUND)]
    pairs = [
        (told(n, "st-a", 4e6, "4 millions d'euros", p.title, beneficiary="Brumel"), p)
        for n, p in enumerate(pages, 1)
    ]
    f = confidence.features(story("st-a", "Brumel", 4e6, "4 millions d'euros"), pairs, {})
    assert f["one page"] == 0.0 and f["outlets"] > 0.5
    assert f["actor acts in a title"] == 1.0 and f["amount in a title"] == 1.0
    assert f["amounts agree"] == 1.0 and f["leads its pages"] == 1.0
    assert f["amount recalled"] == 0.0 and f["stop word"] == 0.0


def test_an_old_round_recalled_and_an_investor_read_as_the_company() -> None:
    page = item(3, "Le Fil", RECALL)
    old = told(5, "st-old", 2e6, "2 millions d'euros", RECALL.split(". ")[1], beneficiary="Kestrel")
    other = Mention(3, id=4, story_id="st-plant", beneficiary="Brumel", investors=["Kestrel"])
    f = confidence.features(
        story("st-old", "Kestrel", 2e6, "2 millions"), [(old, page)], {3: [other, old]}
    )
    assert f["one page"] == 1.0 and f["amount recalled"] == 1.0
    assert f["leads its pages"] == 0.0  # the page leads with another story
    assert f["an investor of its pages"] == 1.0 and f["actor in a title"] == 0.0


def test_a_connector_opening_a_name_is_a_function_word() -> None:
    pairs = [(told(1, "st-c", 9e6, "9 millions", "Malgré tout, 9 millions"), item(1, "X", "Y"))]
    f = confidence.features(story("st-c", "Malgré", 9e6, "9 millions"), pairs, {})
    assert f["stop word"] == 1.0


PLANT = "Brumel investit 30 millions d'euros à Nantes. L'usine de 5 MW coûtera 30 millions d'euros."


def test_the_page_s_figure_read_again_with_a_unit_for_its_actor() -> None:
    """The body restates the titled deal's sum beside a unit the reader took for the actor:
    that story's figure is the titled actor's; the titled story's is its own."""
    page = item(7, "Le Fil", PLANT)
    titled = told(1, "st-a", 30e6, "30 millions d'euros", PLANT.split(". ")[0], investor="Brumel")
    unit = told(2, "st-b", 30e6, "30 millions d'euros", PLANT.split(". ")[1], investor="MW")
    around = {7: [titled, unit]}
    own = confidence.features(story("st-a", "Brumel", 30e6, "30 M€"), [(titled, page)], around)
    misread = confidence.features(story("st-b", "MW", 30e6, "30 M€"), [(unit, page)], around)
    assert misread["figure of a titled actor"] == 1.0 and own["figure of a titled actor"] == 0.0
    assert misread["actor after a number"] == 1.0 and own["actor after a number"] == 0.0


PAST = "Brumel lève 8 millions d'euros, après une première levée de 2 millions d'euros en 2019."


def test_a_figure_told_past_beside_this_week_s_round_of_the_same_company() -> None:
    """On a page whose news is the 8 M€ round, the 2 M€ of 2019 is told past by its own clause
    and the page leads with the other story of its actor; the round is neither."""
    page = item(8, "Le Fil", PAST)
    news = told(1, "st-a", 8e6, "8 millions d'euros", PAST, beneficiary="Brumel")
    old = told(2, "st-old", 2e6, "2 millions d'euros", PAST, beneficiary="Brumel")
    around = {8: [news, old]}
    past = confidence.features(story("st-old", "Brumel", 2e6, "2 M€"), [(old, page)], around)
    now = confidence.features(story("st-a", "Brumel", 8e6, "8 M€"), [(news, page)], around)
    assert past["amount past by its clause"] == 1.0 and now["amount past by its clause"] == 0.0
    assert past["led by its actor's other story"] == 1.0
    assert now["led by its actor's other story"] == 0.0


@pytest.fixture
def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    data = {
        "weights": {"one page": -2.0, "amount recalled": -3.0, "outlets": 4.0},
        "means": {"one page": 0.5, "amount recalled": 0.1, "outlets": 0.5},
        "intercept": 0.5,
        "threshold": 0.4,
    }
    path = tmp_path / "confidence.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv(confidence.ENV, str(path))
    return data


def test_a_doubtful_story_is_held_with_the_reasons_against_it(model: dict) -> None:
    page = item(3, "Le Fil", RECALL)
    old = told(5, "st-old", 2e6, "2 millions d'euros", RECALL.split(". ")[1], beneficiary="Brumel")
    reason = confidence.doubt(story("st-old", "Brumel", 2e6, "2 millions"), [(old, page)], {})
    assert reason is not None and reason.startswith("Peu sûr (")
    assert "rappelle un projet passé" in reason and "une seule page" in reason


def test_a_story_told_by_two_outlets_is_not_held(model: dict) -> None:
    pages = [item(1, "Le Fil", ROUND), item(2, "Tech Matin", ROUND)]
    pairs = [
        (told(n, "st-a", 4e6, "4 millions d'euros", p.title, beneficiary="Brumel"), p)
        for n, p in enumerate(pages, 1)
    ]
    assert confidence.doubt(story("st-a", "Brumel", 4e6, "4 millions"), pairs, {}) is None


def test_off_holds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(confidence.ENV, "off")
    page = item(3, "Le Fil", RECALL)
    old = told(5, "st-old", 2e6, "2 millions d'euros", RECALL, beneficiary="Brumel")
    assert confidence.doubt(story("st-old", "Brumel", 2e6, "2 millions"), [(old, page)], {}) is None


def test_the_committed_model_knows_every_feature_and_says_why() -> None:
    data = confidence._load("")
    assert data is not None and 0.0 < data["threshold"] < 1.0
    pages = [item(1, "Le Fil", ROUND)]
    pairs = [(told(1, "st-a", 4e6, "4 millions d'euros", ROUND, beneficiary="Brumel"), pages[0])]
    names = set(confidence.features(story("st-a", "Brumel", 4e6, "4 M€"), pairs, {}))
    assert names <= set(data["weights"]) | {"amount size"}
    assert set(data["weights"]) <= set(confidence.REASONS)

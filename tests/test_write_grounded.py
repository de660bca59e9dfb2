"""Zero invented facts in round-ups: a story is checked against its own sentences, not the
whole of an article that also tells other deals (digest/grounded.py)."""

from __future__ import annotations

from digest.group import group_pending
from digest.models import Amount, Item, Mention
from digest.store import written as written_store
from digest.write import write_stories, write_story
from tests.test_group_store import store_item
from tests.test_write import CONFIG, T0

GERMANY = (
    "À l'occasion de Choose France, Microsoft rappelle avoir annoncé 3,2 milliards d'euros en "
    "Allemagne, à Berlin, d'ici fin 2025."
)
MISTRAL = (
    "Quelques jours plus tard, le groupe prenait une participation de 15 millions d'euros dans "
    "Mistral AI, la pépite parisienne."
)


def roundup() -> Item:
    return Item(
        feed_id=1,
        guid="r1",
        url="https://example.org/r1",
        title="Microsoft multiplie les milliards en Europe",
        text=f"{GERMANY} {MISTRAL}",
        published=T0,
        id=11,
        feed_name="Capital Pousse",
    )


def mistral(**leaked) -> Mention:
    """The Mistral AI deal as a reader that confused the round-up's deals would give it."""
    m = Mention(
        11,
        id=2,
        investor="Microsoft",
        beneficiary="Mistral AI",
        amount=Amount(15e6, "EUR", as_stated="15 millions d'euros"),
        evidence={"deal": MISTRAL, "amount": MISTRAL},
    )
    for name, value in leaked.items():
        setattr(m, name, value)
    return m


def germany() -> Mention:
    return Mention(
        11,
        id=1,
        investor="Microsoft",
        amount=Amount(3.2e9, "EUR", as_stated="3,2 milliards d'euros"),
        country="Allemagne",
        places=["Berlin"],
        timeframe="d'ici fin 2025",
        event="Choose France",
        evidence={"deal": GERMANY, "amount": GERMANY, "timeframe": GERMANY},
    )


LEAKS = {
    "country": "Allemagne",
    "places": ["Berlin"],
    "event": "Choose France",
    "timeframe": "d'ici fin 2025",
}


def test_a_round_up_would_have_leaked_another_deals_place_into_the_text() -> None:
    # the item's whole text as the story's source (no other story known to use it): it passes
    story = write_story("s-mistral", [(mistral(**LEAKS), roundup())], CONFIG)
    assert "Allemagne" in story.headline + story.summary and story.held_reason is None


def test_another_deals_facts_of_a_round_up_are_not_written() -> None:
    story = write_story("s-mistral", [(mistral(**LEAKS), roundup())], CONFIG, shared={11})
    text = story.headline + " " + story.summary
    assert story.held_reason is None
    assert "Mistral AI" in text and "15 millions d'euros" in text
    for leak in ("Allemagne", "Berlin", "Choose France", "2025"):
        assert leak not in text
    assert story.country is None and story.locations == [] and story.event is None
    assert story.timeframe is None


def test_a_deals_own_sentence_keeps_its_facts_in_a_round_up() -> None:
    story = write_story("s-de", [(germany(), roundup())], CONFIG, shared={11})
    text = story.headline + " " + story.summary
    assert story.held_reason is None
    assert "3,2 milliards d'euros" in text and "Allemagne" in text
    assert story.locations == ["Berlin"] and story.timeframe == "d'ici fin 2025"
    assert story.event == "Choose France"


def test_the_actor_may_be_named_elsewhere_in_the_item_but_the_amount_must_be_its_own() -> None:
    # "le groupe" in the deal's sentence: Microsoft is named by the title, that is enough
    story = write_story("s-mistral", [(mistral(), roundup())], CONFIG, shared={11})
    assert story.held_reason is None and story.headline.startswith("Microsoft")
    # an amount that only another deal's sentence states holds the story back
    wrong = mistral(amount=Amount(3.2e9, "EUR"))
    story = write_story("s-mistral", [(wrong, roundup())], CONFIG, shared={11})
    assert story.held_reason and "3,2 milliards" in story.held_reason


def test_write_stories_knows_which_items_other_stories_speak_from(db, config) -> None:
    store_item(db, roundup(), [germany(), mistral(**LEAKS)])
    (item_id,) = db.execute("SELECT id FROM items WHERE guid = 'r1'").fetchone()
    group_pending(db, config)
    stories = {s.beneficiary or s.investor: s for s in write_stories(db, config)}
    assert set(stories) == {"Microsoft", "Mistral AI"}
    story_id = stories["Mistral AI"].id
    assert written_store.shared_items(db, story_id) == {item_id}
    written = {s.id: s for s in written_store.load_written(db, None, None)}[story_id]
    assert "Allemagne" not in written.headline + written.summary
    assert written.held_reason is None

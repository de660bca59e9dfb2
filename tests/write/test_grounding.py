"""Zero invented facts in round-ups: a story is checked against its own sentences, not the
whole of an article that also tells other deals (digest/write/grounding.py)."""

from __future__ import annotations

from digest.models import Amount, Item, Mention, Quantity
from digest.store import written as written_store
from digest.store.written import WrittenStore
from digest.write.settings import WriteSettings
from digest.write.writer import write_stories, write_story
from tests.group.test_store import group, store_item
from tests.write.test_writer import SETTINGS, T0

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
    story = write_story("s-mistral", [(mistral(**LEAKS), roundup())], SETTINGS)
    assert "Allemagne" in story.headline + story.summary and story.held_reason is None


def test_another_deals_facts_of_a_round_up_are_not_written() -> None:
    story = write_story("s-mistral", [(mistral(**LEAKS), roundup())], SETTINGS, shared={11})
    text = story.headline + " " + story.summary
    assert story.held_reason is None
    assert "Mistral AI" in text and "15 millions d'euros" in text
    for leak in ("Allemagne", "Berlin", "Choose France", "2025"):
        assert leak not in text
    assert story.country is None and story.locations == [] and story.event is None
    assert story.timeframe is None


def test_a_deals_own_sentence_keeps_its_facts_in_a_round_up() -> None:
    story = write_story("s-de", [(germany(), roundup())], SETTINGS, shared={11})
    text = story.headline + " " + story.summary
    assert story.held_reason is None
    assert "3,2 milliards d'euros" in text and "Allemagne" in text
    assert story.locations == ["Berlin"] and story.timeframe == "d'ici fin 2025"
    assert story.event == "Choose France"


def test_the_actor_may_be_named_elsewhere_in_the_item_but_the_amount_must_be_its_own() -> None:
    # "le groupe" in the deal's sentence: Microsoft is named by the title, that is enough
    story = write_story("s-mistral", [(mistral(), roundup())], SETTINGS, shared={11})
    assert story.held_reason is None and story.headline.startswith("Microsoft")
    # an amount that only another deal's sentence states holds the story back
    wrong = mistral(amount=Amount(3.2e9, "EUR"))
    story = write_story("s-mistral", [(wrong, roundup())], SETTINGS, shared={11})
    assert story.held_reason and "3,2 milliards" in story.held_reason


def test_write_stories_knows_which_items_other_stories_speak_from(db, config) -> None:
    store_item(db, roundup(), [germany(), mistral(**LEAKS)])
    (item_id,) = db.execute("SELECT id FROM items WHERE guid = 'r1'").fetchone()
    group(db, config)
    written = write_stories(WrittenStore(db), WriteSettings.of(config))
    stories = {s.beneficiary or s.investor: s for s in written}
    assert set(stories) == {"Microsoft", "Mistral AI"}
    story_id = stories["Mistral AI"].id
    assert written_store.shared_items(db, story_id) == {item_id}
    other = stories["Microsoft"].id
    assert written_store.pages_of(db, {story_id, other, "st-none"}) == {story_id: 1, other: 1}
    written = {s.id: s for s in written_store.load_written(db, None, None)}[story_id]
    assert "Allemagne" not in written.headline + written.summary
    assert written.held_reason is None


# a round-up of three deals; the reader gave the second deal the third one's place and jobs
ORVELLE = "Orvelle, spécialiste lyonnais des batteries, lève 12 millions d'euros pour grandir."
BASTIDE = "La société Bastide Verte consacre 40 millions d'euros à une serre géante dans le Gers."
KORALIS = (
    "Pour finir, l'irlandais Koralis Wind ouvrira à Brest une usine de pales de 90 millions "
    "d'euros, avec 350 salariés attendus d'ici 2028."
)


def three_deals() -> Item:
    return Item(
        feed_id=1,
        guid="r3",
        url="https://example.org/r3",
        title="Trois industriels choisissent les régions",
        text=f"{ORVELLE} {BASTIDE} {KORALIS}",
        published=T0,
        id=31,
        feed_name="Capital Pousse",
    )


def bastide(**changes) -> Mention:
    """Bastide Verte's deal with Koralis Wind's place, jobs and date attached to it."""
    m = Mention(
        31,
        id=32,
        investor="Bastide Verte",
        amount=Amount(40e6, "EUR", as_stated="40 millions d'euros"),
        places=["Brest"],
        jobs=Quantity(350, as_stated="350 salariés"),
        timeframe="d'ici 2028",
        evidence={
            "deal": BASTIDE,
            "amount": BASTIDE,
            "places": KORALIS,
            "jobs": KORALIS,
            "timeframe": KORALIS,
        },
    )
    for name, value in changes.items():
        setattr(m, name, value)
    return m


def koralis() -> Mention:
    return Mention(
        31,
        id=33,
        investor="Koralis Wind",
        amount=Amount(90e6, "EUR", as_stated="90 millions d'euros"),
        places=["Brest"],
        jobs=Quantity(350, as_stated="350 salariés"),
        evidence={"deal": KORALIS, "amount": KORALIS, "places": KORALIS, "jobs": KORALIS},
    )


def test_facts_from_a_sentence_about_another_actor_of_the_round_up_are_dropped() -> None:
    others = {"Orvelle", "Bastide Verte", "Koralis Wind"}
    story = write_story(
        "s-bastide", [(bastide(), three_deals())], SETTINGS, shared={31}, others=others
    )
    text = story.headline + " " + story.summary
    assert story.held_reason is None
    assert "Bastide Verte" in text and "40 millions d'euros" in text
    for leak in ("Brest", "350", "2028"):
        assert leak not in text
    assert story.locations == [] and story.jobs is None and story.timeframe is None
    # without knowing Koralis Wind as another actor the same words would have passed
    blind = write_story("s-bastide", [(bastide(), three_deals())], SETTINGS, shared={31})
    assert "Brest" in blind.headline + blind.summary and blind.jobs is not None


def test_the_third_deal_keeps_its_own_place_and_jobs() -> None:
    others = {"Orvelle", "Bastide Verte", "Koralis Wind"}
    story = write_story(
        "s-koralis", [(koralis(), three_deals())], SETTINGS, shared={31}, others=others
    )
    assert story.held_reason is None
    assert story.locations == ["Brest"] and story.jobs and story.jobs.value == 350


def test_an_amount_read_from_another_actors_sentence_holds_the_story() -> None:
    wrong = bastide(
        amount=Amount(90e6, "EUR", as_stated="90 millions d'euros"),
        evidence={"deal": BASTIDE, "amount": KORALIS},
    )
    story = write_story(
        "s-bastide", [(wrong, three_deals())], SETTINGS, shared={31}, others={"Koralis Wind"}
    )
    assert story.held_reason and "Koralis Wind" in story.held_reason


def test_a_known_organisation_of_the_alias_table_counts_as_another_actor() -> None:
    # "le groupe" speaks of the story's actor only while no other organisation is named
    own = "Le groupe ouvrira aussi un site à Brest."
    other = "Microsoft ouvrira aussi un site à Brest."
    for sentence, kept in ((own, True), (other, False)):
        item = three_deals()
        item.text += " " + sentence
        m = bastide(evidence={"deal": BASTIDE, "amount": BASTIDE, "places": sentence})
        m.jobs, m.timeframe = None, None
        story = write_story("s-bastide", [(m, item)], SETTINGS, shared={31})
        assert (story.locations == ["Brest"]) is kept, sentence


def test_one_deal_articles_are_not_guarded_by_other_stories_names() -> None:
    # not a round-up: the whole article is the deal's, whoever else it names
    story = write_story(
        "s-bastide", [(bastide(), three_deals())], SETTINGS, others={"Koralis Wind"}
    )
    assert story.held_reason is None and story.locations == ["Brest"]

"""An item's language: detected when the detector is sure, else declared, else French."""

from __future__ import annotations

import json

import pytest

from digest.language.detect import (
    cued,
    declared,
    detect,
    feed_languages,
    item_language,
    settings,
)
from tests.support.paths import SHARED


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("en-US", "en"),
        ("fr_FR", "fr"),
        ("DE", "de"),
        ("English", "en"),
        ("français", "fr"),
        (" it ", "it"),
        ("", None),
        ("x-klingon", None),
        (None, None),
    ],
)
def test_a_declared_language_becomes_a_two_letter_code(value: object, code: str | None) -> None:
    assert declared(value) == code


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Quillon closes a $40 million round to expand its battery recycling plants in Texas.",
            "en",
        ),
        ("La jeune pousse nantaise Quillon boucle une levée de 40 millions d'euros.", "fr"),
        ("Das Kölner Start-up Quillon hat 40 Millionen Euro von seinen Investoren erhalten.", "de"),
        ("La empresa sevillana Quillon ha cerrado una ronda de 40 millones de euros.", "es"),
        ("La società milanese Quillon ha chiuso un aumento di capitale da 40 milioni.", "it"),
    ],
)
def test_a_news_sentence_is_detected(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_too_little_text_is_not_detected() -> None:
    assert detect("Quillon S.A.") is None
    assert detect("2025 — 40 M€") is None


def test_detection_beats_what_the_feed_declares() -> None:
    title = "Le fabricant grenoblois de capteurs Ardoise investit 30 millions d'euros"
    text = "L'entreprise agrandit son usine de l'Isère et prévoit d'embaucher cent personnes."
    assert item_language(title, text, None, "en", "en") == "fr"


def test_without_a_sure_detection_the_first_declared_language_wins() -> None:
    assert item_language("Quillon S.A.", "", "it", "en", "fr") == "it"
    assert item_language("Quillon S.A.", "", None, "en-GB", "fr") == "en"
    assert item_language("Quillon S.A.", "", None, None, "de") == "de"
    assert item_language("Quillon S.A.", "", None, "unknown", None) == "fr"


def test_no_cue_word_belongs_to_two_languages() -> None:
    listed = [w for words in settings()["cues"].values() for w in words]
    assert len(listed) == len(set(listed))


def test_cues_name_a_language_only_when_they_all_agree() -> None:
    french = "La jeune pousse nantaise Quillon boucle une levée avec ses investisseurs et sa banque"
    assert cued(french) == "fr"
    assert cued(french + " The round was led by Acme.") is None  # English cues too
    assert cued("Quillon boucle une levée.") is None  # one cue is not enough


def test_an_english_item_of_a_french_feed_is_still_english() -> None:
    title = "Quillon closes a $40 million round"
    text = "The Nantes start-up will use the money to expand its battery recycling plants."
    assert item_language(title, text, None, "fr", "fr") == "en"


FRENCH_ITEMS = [
    ("La jeune pousse nantaise Quillon boucle une levée", "Elle recrute dans ses deux usines."),
    (
        "Ardoise ouvre un site à Grenoble",
        "Les capteurs sont produits sur place avec ses partenaires.",
    ),
]
NAMES_AND_ONE_CUE = ("Pizzeria Napoli Ristorante Milano Torino Roma Firenze trattoria avec", "")
NAMES_ONLY = ("Pizzeria Napoli Ristorante Milano Torino Roma Firenze trattoria", "")


def test_a_feed_confirmed_french_keeps_french_for_items_with_french_cues_only() -> None:
    assert detect(" ".join(NAMES_AND_ONE_CUE)) == "it"  # alone, the detector says Italian
    items = [(t, x, None) for t, x in [*FRENCH_ITEMS, NAMES_AND_ONE_CUE]]
    assert feed_languages(items, None, "fr") == ["fr", "fr", "fr"]


def test_an_item_without_any_cue_is_detected_even_in_a_confirmed_feed() -> None:
    items = [(t, x, None) for t, x in [*FRENCH_ITEMS, NAMES_ONLY]]
    assert feed_languages(items, None, "fr") == ["fr", "fr", "it"]


def test_an_item_with_cues_of_another_language_is_still_detected_in_a_feed() -> None:
    english = ("Quillon closes a $40 million round", "The start-up will expand its plants.")
    items = [(t, x, None) for t, x in [*FRENCH_ITEMS, english]]
    assert feed_languages(items, "fr") == ["fr", "fr", "en"]


def test_a_feed_declared_in_another_language_than_its_text_detects_each_item() -> None:
    items = [(t, x, None) for t, x in [*FRENCH_ITEMS, ("Quillon S.A.", "")]]
    assert feed_languages(items, "en-GB") == ["fr", "fr", "en"]
    assert feed_languages([("Quillon S.A.", "", "es"), *items], "fr")[0] == "es"


@pytest.mark.skipif(not (SHARED / "news-corpus").is_dir(), reason="no ../shared/news-corpus")
@pytest.mark.parametrize("fallback", ["fr", "en"])
def test_on_real_news_a_feed_gets_the_languages_its_items_get_one_by_one(fallback) -> None:
    articles = sorted((SHARED / "news-corpus" / "articles").glob("*.json"))
    loaded = [json.loads(path.read_text("utf-8")) for path in articles]
    items = [(a["title"] or "", a["text"], None) for a in loaded]
    for start in range(0, len(items), 20):
        feed = items[start : start + 20]
        one_by_one = [item_language(title, text, None, fallback) for title, text, _ in feed]
        assert feed_languages(feed, fallback) == one_by_one

"""Items in English, German, Spanish and Italian, polled from a feed that declares English and
read by the real reader: each in its own language, with its actor and its amount."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from digest.config import load_config
from digest.models import Item, Mention
from digest.poll.poller import poll_feeds
from digest.read.reader import Reader
from digest.store import items as item_store
from digest.store import open_db
from tests.support.pollserver import FeedServer, fixed, rss

# title, text, language, actor, amount, currency ("500 Mio. Euro": the stop ends no sentence)
CASES = [
    (
        "Marlowe Grid raises €4 billion for its offshore wind farms",
        "The Lyon-based energy company Marlowe Grid has raised 4 billion euros to build two wind"
        " farms off the coast of Brittany.",
        "en",
        "Marlowe Grid",
        4e9,
        "EUR",
    ),
    (
        "Nordwind Robotik sammelt 1,2 Milliarden Euro ein",
        "Das Münchner Robotik-Unternehmen Nordwind Robotik hat in einer Finanzierungsrunde"
        " 1,2 Milliarden Euro eingesammelt, um seine Lagerroboter nach Frankreich zu bringen.",
        "de",
        "Nordwind",
        1.2e9,
        "EUR",
    ),
    (
        "Kestrel Werke investiert 500 Mio. Euro in ein neues Werk",
        "Der Autozulieferer Kestrel Werke investiert 500 Mio. Euro in ein neues Werk bei Leipzig."
        " Dort sollen bis 2028 dreihundert Stellen entstehen.",
        "de",
        "Kestrel Werke",
        5e8,
        "EUR",
    ),
    (
        "Ventisca recauda mil millones de euros",
        "La empresa madrileña Ventisca ha cerrado una ronda de financiación de mil millones de"
        " euros para abrir fábricas de bombas de calor en Francia.",
        "es",
        "Ventisca",
        1e9,
        "EUR",
    ),
    (
        "Brezzalab raccoglie 2 miliardi di euro",
        "La società torinese Brezzalab ha chiuso un round di finanziamento da 2 miliardi di euro"
        " per costruire un impianto di batterie vicino a Lione.",
        "it",
        "Brezzalab",
        2e9,
        "EUR",
    ),
    (
        "Le fabricant grenoblois de capteurs Ardoise investit 30 millions d'euros",
        "L'entreprise agrandit son usine de l'Isère et prévoit d'embaucher cent personnes.",
        "fr",
        "Ardoise",
        3e7,
        "EUR",
    ),
]


def actor(m: Mention) -> str:
    return (m.beneficiary if m.kind == "funding_round" else m.investor) or ""


@pytest.fixture(scope="module")
def read(
    reader: Reader, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[str, list[Mention]]]:
    """Every case polled from one feed declared English, then read: title → (lang, mentions)."""
    tmp = tmp_path_factory.mktemp("languages")
    entries = [
        {"title": t, "description": x, "guid": t, "link": f"https://ex.org/{n}"}
        for n, (t, x, *_) in enumerate(CASES)
    ]
    server = FeedServer()
    try:
        server.routes["/feed.xml"] = fixed(200, rss(entries, language="en"))
        path = Path(tmp) / "feeds.yaml"
        feeds = [{"name": "Mixed", "url": server.url("/feed.xml"), "lang": "fr"}]
        polling = {"allow_private_addresses": True}  # the test server is on 127.0.0.1
        path.write_text(yaml.safe_dump({"feeds": feeds, "polling": polling}), encoding="utf-8")
        db = open_db(Path(tmp) / "test.db")
        poll_feeds(db, load_config(path))
        items = item_store.unread(db)
        db.close()
    finally:
        server.close()
    found = reader.read_many(items)
    return {i.title: (i.lang, m) for i, m in zip(items, found, strict=True)}


@pytest.mark.parametrize("case", CASES, ids=[c[2] + "-" + c[3] for c in CASES])
def test_each_item_is_read_in_its_language(read, case) -> None:
    title, _, lang, who, value, currency = case
    got_lang, mentions = read[title]
    assert got_lang == lang
    assert any(
        who in actor(m) and m.amount and m.amount.value == pytest.approx(value) for m in mentions
    ), [(actor(m), m.amount) for m in mentions]
    assert all(m.amount.currency == currency for m in mentions if m.amount)


def test_a_number_in_words_is_no_company(reader: Reader) -> None:
    item = Item(
        feed_id=1,
        guid="n",
        url="https://ex.org/n",
        title="Weekly funding notes",
        text="Twenty-four hours later, the Lille startup Quillon raised a €12m Series A round.",
        published=datetime(2025, 3, 3, 8, tzinfo=UTC),
        id=9,
        lang="en",
    )
    assert [actor(m) for m in reader.read(item)] == ["Quillon"]

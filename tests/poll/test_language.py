"""An item's language as polled from a real HTTP server: detected on its text when the detector
is sure, else as the entry or the feed declares it, else the feeds.yaml lang:, else French."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from digest.config import load_config
from digest.poll.poller import poll_feeds
from digest.store import items as item_store
from tests.support.pollserver import FeedServer, fixed, rss

TOO_SHORT = "Quillon S.A."  # no detector can tell the language of a bare name
FRENCH = (
    "Le fabricant grenoblois de capteurs Ardoise investit 30 millions d'euros",
    "L'entreprise agrandit son usine de l'Isère et prévoit d'embaucher cent personnes.",
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer()
    yield s
    s.close()


def poll(tmp_path: Path, db: sqlite3.Connection, server: FeedServer, feeds: list[dict]) -> dict:
    """Serve each feed's body, poll them all, return the stored items by title."""
    listed = []
    for n, f in enumerate(feeds):
        server.routes[f"/{n}.xml"] = fixed(200, f["body"])
        listed.append({"name": f"Feed {n}", "url": server.url(f"/{n}.xml"), **f.get("yaml", {})})
    path = tmp_path / "feeds.yaml"
    polling = {"allow_private_addresses": True}  # the test server is on 127.0.0.1
    path.write_text(yaml.safe_dump({"feeds": listed, "polling": polling}), encoding="utf-8")
    poll_feeds(db, load_config(path))
    return {i.title: i for i in item_store.unread(db)}


def entry(title: str, text: str = "", guid: str = "") -> dict[str, str]:
    return {"title": title, "description": text, "guid": guid or title, "link": "https://ex.org/"}


def test_a_french_item_of_a_feed_declared_english_is_french(tmp_path, db, server) -> None:
    body = rss([entry(*FRENCH), entry(TOO_SHORT)], language="en-GB")
    items = poll(tmp_path, db, server, [{"body": body, "yaml": {"lang": "fr"}}])
    assert items[FRENCH[0]].lang == "fr"
    assert items[TOO_SHORT].lang == "en"  # the feed's <language> over feeds.yaml's lang:


def test_without_a_declared_language_feeds_yaml_then_french(tmp_path, db, server) -> None:
    feeds = [
        {"body": rss([entry("Quillon S.A.")]), "yaml": {"lang": "it"}},
        {"body": rss([entry("Quillon AG")])},
    ]
    items = poll(tmp_path, db, server, feeds)
    assert (items["Quillon S.A."].lang, items["Quillon AG"].lang) == ("it", "fr")


def test_an_atom_entry_declares_its_own_language(tmp_path, db, server) -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de-AT"><title>Atom</title>'
        b"<id>urn:feed</id><updated>2025-03-03T08:00:00Z</updated>"
        b'<entry xml:lang="es"><title>Quillon S.A.</title><id>urn:1</id>'
        b'<updated>2025-03-03T08:00:00Z</updated><link href="https://ex.org/1"/></entry>'
        b"<entry><title>Quillon AG</title><id>urn:2</id>"
        b'<updated>2025-03-03T08:00:00Z</updated><link href="https://ex.org/2"/></entry></feed>'
    )
    items = poll(tmp_path, db, server, [{"body": body}])
    assert (items["Quillon S.A."].lang, items["Quillon AG"].lang) == ("es", "de")

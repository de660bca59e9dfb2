"""16.3: a feed must not be able to make copies carry subscribers' unsubscribe tokens to it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.config import load_config
from digest.edition import preflight
from digest.models import Edition
from digest.store import editions, open_db
from tests.support.cli import Ran, runner
from tests.support.mailserver import Recorder, smtp_server
from tests.support.pollserver import rss
from tests.support.sendkit import add_subscribers, write_config

HARVEST = "https://attaquant.example/collecte?u=__DIGEST_UNSUBSCRIBE_URL__"
TOKEN = re.compile(rb"/unsubscribe/[0-9]+\.[A-Za-z0-9_-]{8,}")


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    return runner(capsys, monkeypatch)


def feed_items() -> bytes:
    text = (
        "La jeune pousse grenobloise Quarzia annonce une levée de fonds de 14 millions d'euros"
        " menée par le fonds Kurma Partners. __DIGEST_UNSUBSCRIBE_URL__ L'entreprise veut"
        " recruter quarante ingénieurs à Grenoble."
    )
    return rss(
        [
            {
                "title": "Quarzia lève 14 millions d'euros auprès de Kurma Partners",
                "link": HARVEST,
                "guid": "quarzia-1",
                "description": text,
                "pubDate": "Tue, 07 May 2024 08:00:00 GMT",
            }
        ]
    )


def test_a_feed_link_naming_the_placeholder_carries_no_token(
    tmp_path: Path, run: Callable[..., Ran]
) -> None:
    (tmp_path / "feed.xml").write_bytes(feed_items())
    db = open_db(tmp_path / "digest.db")
    add_subscribers(db, 2)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(tmp_path, port)
        assert run(tmp_path, "poll").returncode == 0
        built = run(tmp_path, "build", "--since", "2024-05-01", "--until", "2024-05-10")
        assert built.returncode == 0, built.stderr
        sent = run(tmp_path, "send")
        assert sent.returncode == 0, sent.stderr
    assert len(recorder.received) == 2
    assert all(b"attaquant.example" in data for _, data in recorder.received)  # the story is in
    for _, data in recorder.received:
        body = data.replace(b"=\r\n", b"")  # undo quoted-printable soft breaks
        tokens = TOKEN.findall(body.split(b"\r\n\r\n", 1)[1])
        # the footer link (in the html and text parts) is the only one with a token
        assert len(tokens) == 2 and len(set(tokens)) == 1
        assert b"attaquant.example/collecte?u=https" not in body
        assert b"__DIGEST_UNSUBSCRIBE" not in body
    edition = editions.latest(db)
    assert edition is not None
    assert re.fullmatch(r"__DIGEST_UNSUBSCRIBE_[0-9a-f]{32}__", edition.unsubscribe_placeholder)


def test_preflight_flags_a_link_holding_a_token(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    moment = datetime(2024, 5, 14, tzinfo=UTC)
    edition = Edition("e", 1, moment, moment, moment, unsubscribe_placeholder="__DIGEST_X__")
    edition.html = (
        '<html lang="fr"><head><title>t</title></head><body>'
        '<a href="https://x.example/?next=https://digest.example.org/unsubscribe/12.AbCdEfGhIj">a</a>'
        '<a href="https://y.example/?u=__DIGEST_UNSUBSCRIBE_URL__">b</a>'
        '<a href="__DIGEST_X__">se désinscrire</a></body></html>'
    )
    links = next(c for c in preflight.run(edition, config) if c.name == "links")
    assert not links.ok and links.detail.count("porte le jeton d'un abonné") == 2

"""The commands as a person runs them: `digest poll` (exit codes offline), `digest feeds`,
`digest feeds import/export` (OPML)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from digest.cli import main
from tests.support.pollserver import FeedServer, fixed, rss, simple_feed


def digest(monkeypatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["digest", *args])
    with pytest.raises(SystemExit) as stop:
        main()
        raise SystemExit(0)
    return stop.value.code


def write_config(tmp_path: Path, feeds: list[dict[str, str]]) -> list[str]:
    path = tmp_path / "feeds.yaml"
    polling = {"allow_private_addresses": True}  # the test server is on 127.0.0.1
    path.write_text(yaml.safe_dump({"feeds": feeds, "polling": polling}), encoding="utf-8")
    return ["--config", str(path), "--db", str(tmp_path / "digest.db")]


@pytest.fixture
def dead_url() -> str:
    server = FeedServer()
    url = server.url("/feed")
    server.close()  # the port is closed now: as good as a machine without network
    return url


def test_offline_every_feed_fails_clearly_and_poll_exits_1(tmp_path, monkeypatch, capsys, dead_url):
    opts = write_config(
        tmp_path, [{"name": "Remote", "url": dead_url}, {"name": "Lost", "url": "lost.xml"}]
    )
    assert digest(monkeypatch, *opts, "poll") == 1
    captured = capsys.readouterr()
    assert "Remote" in captured.err and "Connection refused" in captured.err
    assert "Lost" in captured.err and "lost.xml: no such file" in captured.err
    assert "every feed failed (2)" in captured.err
    assert "2 feeds polled: 0 ok, 0 not modified, 2 failed; 0 new items" in captured.out

    assert digest(monkeypatch, *opts, "feeds") == 0
    listing = capsys.readouterr().out
    assert listing.count("failing since") == 2 and "Connection refused" in listing


def test_poll_exits_0_when_one_feed_succeeds_or_none_is_due(
    tmp_path, monkeypatch, capsys, dead_url
):
    (tmp_path / "local.xml").write_bytes(rss([{"title": "Un", "guid": "1"}]))
    opts = write_config(
        tmp_path, [{"name": "Remote", "url": dead_url}, {"name": "Local", "url": "local.xml"}]
    )
    assert digest(monkeypatch, *opts, "poll") == 0
    assert "2 feeds polled: 1 ok, 0 not modified, 1 failed; 1 new items" in capsys.readouterr().out
    assert digest(monkeypatch, *opts, "poll", "--due") == 0
    assert "0 feeds polled" in capsys.readouterr().out

    assert digest(monkeypatch, *opts, "feeds") == 0
    listing = capsys.readouterr().out
    assert "Local" in listing and "ok" in listing and "failing since" in listing


OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>mine</title></head><body>
  <outline text="Tech"><outline text="Alpha" type="rss" xmlUrl="https://alpha.example/feed"/>
    <outline title="Beta" type="rss" xmlUrl="http://beta.example/rss.xml"/></outline>
  <outline text="Bad" type="rss" xmlUrl="javascript:alert(1)"/>
</body></opml>"""


def test_opml_import_then_export(tmp_path, monkeypatch, capsys):
    server = FeedServer()
    server.routes["/feed"] = fixed(200, simple_feed("x"))
    opts = write_config(tmp_path, [{"name": "Configured", "url": server.url("/feed")}])
    (tmp_path / "in.opml").write_bytes(OPML)
    try:
        assert digest(monkeypatch, *opts, "feeds", "import", str(tmp_path / "in.opml")) == 0
        captured = capsys.readouterr()
        assert "2 feeds added, 0 already known, 1 skipped" in captured.out
        assert "javascript:alert(1)" in captured.err
        assert digest(monkeypatch, *opts, "feeds", "import", str(tmp_path / "in.opml")) == 0
        assert "0 feeds added, 2 already known" in capsys.readouterr().out

        assert (
            digest(monkeypatch, *opts, "feeds", "export", "--out", str(tmp_path / "out.opml")) == 0
        )
        exported = (tmp_path / "out.opml").read_text(encoding="utf-8")
        for url in (
            "https://alpha.example/feed",
            "http://beta.example/rss.xml",
            server.url("/feed"),
        ):
            assert f'xmlUrl="{url}"' in exported
        assert "javascript" not in exported

        # an imported feed survives the next sync with feeds.yaml, and can be removed
        assert digest(monkeypatch, *opts, "feeds") == 0
        assert "Alpha" in capsys.readouterr().out
        assert digest(monkeypatch, *opts, "feeds", "remove", "https://alpha.example/feed") == 0
        assert digest(monkeypatch, *opts, "feeds") == 0
        assert "Alpha" not in capsys.readouterr().out
    finally:
        server.close()


def test_opml_with_a_doctype_is_refused(tmp_path, monkeypatch, capsys):
    opts = write_config(tmp_path, [{"name": "A", "url": "a.xml"}])
    bomb = OPML.replace(b"<opml", b'<!DOCTYPE opml [<!ENTITY a "aaaa">]><opml', 1)
    (tmp_path / "bomb.opml").write_bytes(bomb)
    assert digest(monkeypatch, *opts, "feeds", "import", str(tmp_path / "bomb.opml")) == 1
    assert "DOCTYPE or entity declaration is not accepted" in capsys.readouterr().err

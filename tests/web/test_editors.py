"""The web app over real HTTP (uvicorn on 127.0.0.1, httpx): login, preview, approve and hold,
test send to a real aiosmtpd, drop/merge/split with rebuilds, and the safety rules."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import httpx
import pytest

from digest.codec import dumps, loads
from digest.config import ConfigError
from digest.edition.preflight import LABELS
from digest.models import Story
from digest.store import editions, open_db
from digest.web import create_app
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import advance
from tests.support.webserver import (
    PASSWORD,
    USER,
    built_db,
    copy_db,
    csrf_of,
    login,
    serving,
    web_env,
    write_config,
)


@dataclass
class Web:
    client: httpx.Client
    db: sqlite3.Connection
    edition_id: str
    folder: Path

    def edition_page(self) -> httpx.Response:
        page = self.client.get(f"/editor/editions/{self.edition_id}")
        assert page.status_code == 200
        return page

    def post(self, path: str, **data: object) -> httpx.Response:
        """A form of the edition page, posted with the page's CSRF token."""
        token = csrf_of(self.edition_page())
        return self.client.post(
            f"/editor/editions/{self.edition_id}{path}", data={"csrf": token, **data}
        )

    def state(self) -> str:
        found = editions.get(self.db, self.edition_id)
        assert found is not None
        return found.state


@pytest.fixture
def web(
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    db_location: Path,
) -> Iterator[Web]:
    web_env(monkeypatch)
    config = write_config(tmp_path)
    db_path = copy_db(built_db(tmp_path_factory), db_location)  # a file, then a server database
    db = open_db(db_path)
    latest = editions.latest(db)
    assert latest is not None and latest.state == "draft"
    with serving(config, db_path) as url, httpx.Client(base_url=url, timeout=120) as client:
        yield Web(client, db, latest.id, tmp_path)
    db.close()


def test_the_editors_pages_refuse_to_start_without_a_login(
    config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DIGEST_EDITOR_USER", raising=False)
    monkeypatch.setenv("DIGEST_EDITOR_PASSWORD", PASSWORD)
    with pytest.raises(ConfigError, match="DIGEST_EDITOR_USER and \\$DIGEST_EDITOR_PASSWORD"):
        create_app(config, tmp_path / "x.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_EDITOR")}
    served = subprocess.run(
        [sys.executable, "-c", "from digest.cli import main; main()", "--config",
         str(config.path), "--db", str(tmp_path / "x.db"), "serve", "--port", "0"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert served.returncode == 2
    assert "set $DIGEST_EDITOR_USER and $DIGEST_EDITOR_PASSWORD" in served.stderr


def test_login_is_required_and_checked(web: Web) -> None:
    c = web.client
    assert c.get("/editor").headers["location"] == "/editor/login?next=/editor"
    page = c.get(f"/editor/editions/{web.edition_id}")
    assert page.status_code == 303 and page.headers["location"].startswith("/editor/login")
    no_token = c.post("/editor/login", data={"user": USER, "password": PASSWORD})
    assert no_token.status_code == 403
    assert login(c, password="pas-le-bon-mot").status_code == 401
    assert c.get("/editor").status_code == 303
    done = login(c)
    assert done.status_code == 303 and done.headers["location"] == "/editor"
    cookie = done.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    listing = c.get("/editor")
    assert listing.status_code == 200
    assert web.edition_id in listing.text and "brouillon" in listing.text
    assert listing.headers["cache-control"] == "no-store"


def test_preview_shows_both_widths_the_text_the_checks_and_the_merged_facts(web: Web) -> None:
    login(web.client)
    page = web.edition_page()
    html = page.text
    assert 'width="600"' in html and 'width="375"' in html
    assert html.count(" sandbox srcdoc=") == 2 and "allow-scripts" not in html
    edition = editions.get(web.db, web.edition_id)
    assert edition is not None
    assert unescape(html.split('srcdoc="', 1)[1].split('"', 1)[0]).startswith("<!doctype html>")
    assert "Version texte" in html and edition.text.splitlines()[0] in unescape(html)
    for check in edition.checks:  # in French: "Taille du HTML : 55 Ko (limite 100 Ko…)"
        assert LABELS[check.name] in unescape(html) and check.detail in unescape(html)
    assert "Taille du HTML : " in unescape(html) and " Ko (limite 100 Ko" in unescape(html)
    assert html.count('class="story') >= len(edition.stories)
    assert "Désaccords entre sources" in html
    conflicted = next(s for s in edition.stories if s.conflicts)
    assert conflicted.conflicts[0].values[0].sources[0] in unescape(html)
    assert "Sources" in html and conflicted.sources[0].title in unescape(html)


def test_approve_and_hold_need_the_csrf_token(web: Web) -> None:
    login(web.client)
    forged = web.client.post(f"/editor/editions/{web.edition_id}/approve", data={})
    assert forged.status_code == 403 and web.state() == "draft"
    other_token = web.client.post(
        f"/editor/editions/{web.edition_id}/approve", data={"csrf": "x" * 43}
    )
    assert other_token.status_code == 403 and web.state() == "draft"
    done = web.post("/approve")
    assert done.status_code == 303 and web.state() == "approved"
    assert "approuvée" in web.edition_page().text
    web.post("/hold")
    assert web.state() == "held"
    web.post("/approve")
    assert web.state() == "approved"
    refused = web.post("/rebuild")
    assert refused.status_code == 303 and "mettez-la d&#39;abord en attente" in (
        web.edition_page().text
    )
    web.post("/hold")
    web.post("/hold")  # the button is gone once held; the guard refuses a forged post too
    page = unescape(web.edition_page().text)
    assert web.state() == "held" and "elle ne peut pas être retenue (seulement approuvée)" in page
    assert f"/editor/editions/{web.edition_id}/hold" not in page
    assert f"/editor/editions/{web.edition_id}/approve" in page


def test_a_test_copy_reaches_a_real_smtp_server_and_records_no_delivery(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_env(monkeypatch)
    server = Recorder()
    db_path = copy_db(built_db(tmp_path_factory), tmp_path / "web.db")
    with smtp_server(server) as port:
        config = write_config(tmp_path, smtp_port=port)
        with serving(config, db_path) as url, httpx.Client(base_url=url, timeout=120) as c:
            login(c)
            edition_id = c.get("/editor").text.split("/editor/editions/", 1)[1].split('"', 1)[0]
            token = csrf_of(c.get(f"/editor/editions/{edition_id}"))
            sent = c.post(
                f"/editor/editions/{edition_id}/test",
                data={"csrf": token, "addresses": "ed1@redaction.fr, ed2@redaction.fr"},
            )
            assert sent.status_code == 303
            assert "Copie de test envoyée à ed1@redaction.fr" in unescape(
                c.get(f"/editor/editions/{edition_id}").text
            )
            bad = c.post(
                f"/editor/editions/{edition_id}/test",
                data={"csrf": token, "addresses": "pas une adresse"},
            )
            assert bad.status_code == 303
            assert "Adresse non valide : il manque l'arobase (@)." in unescape(
                c.get(f"/editor/editions/{edition_id}").text
            )
    assert server.copies() == {"ed1@redaction.fr": 1, "ed2@redaction.fr": 1}
    message = server.messages("ed1@redaction.fr")[0]
    assert message["Subject"].startswith("[TEST]")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 0


def test_drop_a_story_survives_a_rebuild_and_can_be_undone(web: Web) -> None:
    login(web.client)
    before = editions.get(web.db, web.edition_id)
    assert before is not None
    victim = before.stories[-1]
    web.post(f"/stories/{victim.id}/drop")
    after = editions.get(web.db, web.edition_id)
    assert after is not None and victim.id not in {s.id for s in after.stories}
    assert len(after.stories) == len(before.stories) - 1
    assert f'id="dropped-{victim.id}"' in web.edition_page().text
    web.post("/rebuild")
    rebuilt = editions.get(web.db, web.edition_id)
    assert rebuilt is not None and victim.id not in {s.id for s in rebuilt.stories}
    web.post(f"/stories/{victim.id}/restore")
    restored = editions.get(web.db, web.edition_id)
    assert restored is not None and victim.id in {s.id for s in restored.stories}


def test_split_then_merge_a_story_from_the_edition_page(web: Web) -> None:
    login(web.client)
    edition = editions.get(web.db, web.edition_id)
    assert edition is not None
    story = next(s for s in edition.stories if len(s.mention_ids) >= 2 and not s.held_reason)
    leaving = max(story.mention_ids)
    web.post(f"/stories/{story.id}/split", mention=str(leaving))
    row = web.db.execute("SELECT story_id FROM mentions WHERE id = ?", (leaving,)).fetchone()
    new_id = row["story_id"]
    assert new_id != story.id
    split = editions.get(web.db, web.edition_id)
    assert split is not None and new_id in {s.id for s in split.stories}
    web.post(f"/stories/{story.id}/merge", other=new_id)
    row = web.db.execute("SELECT story_id FROM mentions WHERE id = ?", (leaving,)).fetchone()
    assert row["story_id"] == story.id
    merged = editions.get(web.db, web.edition_id)
    assert merged is not None and new_id not in {s.id for s in merged.stories}


def test_feed_text_is_escaped_everywhere(web: Web) -> None:
    row = web.db.execute(
        "SELECT story_id, written FROM edition_stories WHERE edition_id = ? LIMIT 1",
        (web.edition_id,),
    ).fetchone()
    story = loads(Story, row["written"])
    story.headline = '<script>alert("titre")</script>'
    story.sources[0].title = '"><img src=x onerror=alert(1)>'
    story.sources[0].url = "javascript:alert(2)"
    web.db.execute(
        "UPDATE edition_stories SET written = ? WHERE edition_id = ? AND story_id = ?",
        (dumps(story), web.edition_id, row["story_id"]),
    )
    login(web.client)
    html = web.edition_page().text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;titre&#34;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


def test_security_headers_and_no_path_traversal(web: Web) -> None:
    c = web.client
    for path in ("/editions", "/subscribe", "/editor/login", "/nowhere"):
        headers = c.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    login(c)
    for path in (
        "/editions/..%2F..%2Ffeeds.yaml",
        "/editions/../../etc/passwd",
        "/static/..%2F..%2Fconfig.py",
        "/static/../__init__.py",
        "/editor/editions/..%2Fweb.db",
    ):
        answer = c.get(path)
        assert answer.status_code in (400, 404), path
        assert "feeds:" not in answer.text and "import" not in answer.text
    assert c.get("/static/web.css").status_code == 200


def test_archive_shows_only_sent_editions(web: Web) -> None:
    c = web.client
    assert c.get(f"/editions/{web.edition_id}").status_code == 404
    assert web.edition_id not in c.get("/editions").text
    advance(web.db, web.edition_id, "approved", "sending", "sent")
    assert f'href="/editions/{web.edition_id}"' in c.get("/editions").text
    page = c.get(f"/editions/{web.edition_id}")
    assert page.status_code == 200 and page.text.startswith("<!doctype html>")
    assert "__DIGEST_UNSUBSCRIBE_URL__" not in page.text
    assert "https://digest.example.org/unsubscribe" in page.text
    assert "set-cookie" not in page.headers

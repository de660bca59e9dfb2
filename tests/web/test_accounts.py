"""Several editors, each with their login, over real HTTP: per-account sessions (a new password
or a removed account ends them), per-account login limits, every action recorded in the
edition's history with who did it, named in the message and brought back to the story; merges
confirmed then undone; the approved edition's departure and "send now"."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import httpx
import pytest

from digest.store import accounts, editions, history, open_db
from digest.web import sessions
from digest.web.accounts import hash_password
from tests.support.webserver import (
    PASSWORD,
    USER,
    built_db,
    copy_db,
    csrf_of,
    serving,
    web_env,
    write_config,
)

ALICE, ALICE_PW = "alice", "le-mot-de-passe-d-alice"


@dataclass
class Site:
    url: str
    db: object
    edition_id: str

    def client(self, user: str = ALICE, password: str = ALICE_PW) -> httpx.Client:
        c = httpx.Client(base_url=self.url, timeout=120)
        assert login_as(c, user, password).status_code == 303
        return c

    def post(self, c: httpx.Client, path: str, **data: object) -> httpx.Response:
        token = csrf_of(c.get(f"/editor/editions/{self.edition_id}"))
        return c.post(f"/editor/editions/{self.edition_id}{path}", data={"csrf": token, **data})


def login_as(c: httpx.Client, user: str, password: str) -> httpx.Response:
    form = c.get("/editor/login")
    return c.post(
        "/editor/login",
        data={"user": user, "password": password, "csrf": csrf_of(form), "next": "/editor"},
    )


@pytest.fixture
def site(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Site]:
    web_env(monkeypatch)
    config = write_config(tmp_path)
    db_path = copy_db(built_db(tmp_path_factory), tmp_path / "web.db")
    db = open_db(db_path)
    accounts.add(db, ALICE, "alice@redaction.fr", hash_password(ALICE_PW))
    latest = editions.latest(db)
    assert latest is not None
    with serving(config, db_path) as url:
        yield Site(url, db, latest.id)
    db.close()


def test_each_editor_logs_in_and_a_new_password_or_removal_ends_only_their_sessions(
    site: Site,
) -> None:
    alice, boot = site.client(), site.client(USER, PASSWORD)
    assert "Se déconnecter (alice)" in unescape(alice.get("/editor").text)
    assert boot.get("/editor").status_code == 200
    accounts.set_password(site.db, ALICE, hash_password("un-tout-nouveau-mot"))  # type: ignore[arg-type]
    sessions.end_all(site.db, ALICE)  # type: ignore[arg-type]  (what `digest editors passwd` does)
    assert alice.get("/editor").status_code == 303  # back to the login
    assert boot.get("/editor").status_code == 200  # the other editor stays in
    assert login_as(alice, ALICE, ALICE_PW).status_code == 401
    assert login_as(alice, ALICE, "un-tout-nouveau-mot").status_code == 303
    accounts.remove(site.db, ALICE)  # type: ignore[arg-type]
    assert alice.get("/editor").status_code == 303


def test_login_limits_count_per_account(site: Site) -> None:
    c = httpx.Client(base_url=site.url, timeout=120)
    for _ in range(5):
        assert login_as(c, ALICE, "pas-le-bon-mot").status_code == 401
    assert login_as(c, ALICE, ALICE_PW).status_code == 429  # this account, from this address
    other = httpx.Client(base_url=site.url, timeout=120)
    assert login_as(other, USER, PASSWORD).status_code == 303  # another account still logs in


def test_actions_are_named_brought_back_to_the_story_and_recorded_with_who(site: Site) -> None:
    c = site.client()
    edition = editions.get(site.db, site.edition_id)  # type: ignore[arg-type]
    assert edition is not None
    victim = next(s for s in reversed(edition.stories) if not s.held_reason)
    done = site.post(c, f"/stories/{victim.id}/drop")
    assert done.status_code == 303 and done.headers["location"].endswith(f"#dropped-{victim.id}")
    page = unescape(c.get(f"/editor/editions/{site.edition_id}").text)
    assert f"« {victim.headline} » retirée de l'édition" in page
    entries = history.of(site.db, site.edition_id)  # type: ignore[arg-type]
    assert entries[0].by == ALICE and entries[0].action == "drop"
    assert victim.headline in entries[0].detail
    assert 'id="history"' in page and "retirée de l'édition" in page.split('id="history"')[1]
    assert "histoire" not in page.lower()  # stories are « articles »

    site.post(c, "/approve")
    entries = history.of(site.db, site.edition_id)  # type: ignore[arg-type]
    assert (entries[0].by, entries[0].action) == (ALICE, "approved")
    page = unescape(c.get(f"/editor/editions/{site.edition_id}").text)
    assert "Elle partira le " in page and "Envoyer maintenant" in page
    assert "retenez-la pour retirer, fusionner ou séparer" in page  # why the buttons are gone
    site.post(c, "/hold")
    page = unescape(c.get(f"/editor/editions/{site.edition_id}").text)
    assert "approuvée" not in page.split('id="history"')[0]  # a held edition is not "approuvée"
    assert "Édition retenue" in page


def test_a_merge_asks_first_and_can_be_undone(site: Site) -> None:
    c = site.client()
    edition = editions.get(site.db, site.edition_id)  # type: ignore[arg-type]
    assert edition is not None
    keep, other = [s for s in edition.stories if not s.held_reason][:2]
    token = csrf_of(c.get(f"/editor/editions/{site.edition_id}"))
    asked = c.post(
        f"/editor/editions/{site.edition_id}/stories/{keep.id}/merge/confirm",
        data={"csrf": token, "other": other.id},
    )
    text = unescape(asked.text)
    assert asked.status_code == 200 and "Fusionner deux articles ?" in text
    assert keep.headline in text and other.headline in text
    unchanged = editions.get(site.db, site.edition_id)  # type: ignore[arg-type]
    assert unchanged is not None and other.id in {s.id for s in unchanged.stories}

    merged = c.post(
        f"/editor/editions/{site.edition_id}/stories/{keep.id}/merge",
        data={"csrf": csrf_of(asked), "other": other.id},
    )
    assert merged.headers["location"].endswith(f"#story-{keep.id}")
    after = editions.get(site.db, site.edition_id)  # type: ignore[arg-type]
    assert after is not None and other.id not in {s.id for s in after.stories}
    page = unescape(c.get(f"/editor/editions/{site.edition_id}").text)
    assert f"« {other.headline} » fusionnée dans « " in page and "Annuler la fusion" in page

    site.post(c, f"/stories/{keep.id}/unmerge")
    undone = editions.get(site.db, site.edition_id)  # type: ignore[arg-type]
    assert undone is not None and len(undone.stories) == len(edition.stories)
    moved = set(other.mention_ids)
    back = next(s for s in undone.stories if set(s.mention_ids) == moved)
    assert back.id != keep.id
    assert "Fusion annulée" in unescape(c.get(f"/editor/editions/{site.edition_id}").text)


def test_send_now_goes_through_the_sending_path(site: Site) -> None:
    c = site.client()
    site.post(c, "/approve")
    started = site.post(c, "/send")
    assert started.status_code == 303
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = editions.get(site.db, site.edition_id)  # type: ignore[arg-type]
        if found is not None and found.state == "sent":
            break
        time.sleep(0.2)
    assert found is not None and found.state == "sent"
    actions = [(h.by, h.action) for h in history.of(site.db, site.edition_id)]  # type: ignore[arg-type]
    assert (ALICE, "send_now") in actions and (ALICE, "approved") in actions
    page = unescape(c.get(f"/editor/editions/{site.edition_id}").text)
    assert "envoyée le " in page and "Envoyer maintenant" not in page

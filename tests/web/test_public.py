"""Public pages over real HTTP: sign-up with double opt-in (the confirmation mail lands in the
outbox), a rate limit on sign-ups, and RFC 8058 unsubscribe by POST and by the GET page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import httpx
import pytest

from digest.config import Config
from digest.send.tokens import make_token
from digest.store import open_db
from digest.store import subscribers as store
from digest.web.security import RateLimit
from tests.support.files import wait_for
from tests.support.webserver import SECRET, csrf_of, serving, web_env, write_config


@pytest.fixture
def site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_location: Path
) -> Iterator[tuple[httpx.Client, Config, Path]]:
    web_env(monkeypatch)
    config = write_config(tmp_path)
    db_path = db_location  # a SQLite file, then a PostgreSQL database
    with serving(config, db_path) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client, config, db_path


def _state(db_path: Path, email: str) -> str | None:
    db = open_db(db_path)
    try:
        sub = store.find(db, email)
        return sub.state if sub else None
    finally:
        db.close()


def _subscriber(db_path: Path, email: str, state: str = "active") -> int:
    db = open_db(db_path)
    try:
        sub = store.insert(db, email, state=state)  # type: ignore[arg-type]
        assert sub.id is not None
        return sub.id
    finally:
        db.close()


def test_sign_up_needs_the_confirmation_link_and_its_button(site) -> None:
    client, config, db_path = site
    form = client.get("/subscribe")
    answer = client.post("/subscribe", data={"csrf": csrf_of(form), "email": "Lea@Exemple.fr"})
    assert answer.status_code == 200 and "Vérifiez votre boîte" in answer.text
    mail = config.resolve(config.sending.outbox) / "confirmations" / "Lea@exemple.fr.eml"
    wait_for(mail)  # mailed by the sign-up thread, after the answer
    assert _state(db_path, "lea@exemple.fr") == "pending"
    message = message_from_bytes(mail.read_bytes(), policy=policy.default)
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    link = re.search(r"https://digest\.example\.org(/confirm/\S+)", body)
    assert link and message["Subject"].startswith("Confirmez votre inscription")
    page = client.get(link.group(1))  # what a link scanner does: nothing changes
    assert page.status_code == 200 and "Confirmer mon inscription" in page.text
    assert _state(db_path, "lea@exemple.fr") == "pending"
    done = client.post(link.group(1), data={"csrf": csrf_of(page)})
    assert done.status_code == 200 and "Inscription confirmée" in done.text
    assert _state(db_path, "lea@exemple.fr") == "active"
    forged = client.get(link.group(1)[:-2] + "xx")
    assert forged.status_code == 400


def test_sign_up_rejects_bad_addresses_and_forged_forms(site) -> None:
    client, _, db_path = site
    token = csrf_of(client.get("/subscribe"))
    bad = client.post("/subscribe", data={"csrf": token, "email": "pas-une-adresse"})
    assert bad.status_code == 400 and "Adresse non valide" in bad.text
    forged = client.post("/subscribe", data={"email": "ok@exemple.fr"})
    assert forged.status_code == 403
    assert _state(db_path, "ok@exemple.fr") is None


def test_sign_ups_are_rate_limited_per_address(site) -> None:
    client, _, _ = site
    token = csrf_of(client.get("/subscribe"))
    codes = [
        client.post("/subscribe", data={"csrf": token, "email": f"x{i}@"}).status_code
        for i in range(7)
    ]
    assert codes[:5] == [400] * 5 and codes[5:] == [429, 429]


def test_rate_limit_refills_with_time() -> None:
    now = [0.0]
    limit = RateLimit(burst=2, every=60, clock=lambda: now[0])
    assert [limit.allow("a"), limit.allow("a"), limit.allow("a"), limit.allow("b")] == [
        True,
        True,
        False,
        True,
    ]
    now[0] = 61
    assert limit.allow("a") and not limit.allow("a")


def test_one_click_post_unsubscribes_at_once(site) -> None:
    client, _, db_path = site
    sid = _subscriber(db_path, "lecteur@exemple.fr")
    token = make_token(SECRET.encode(), "unsubscribe", sid, "lecteur@exemple.fr")
    answer = client.post(
        f"/unsubscribe/{token}",
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200
    assert _state(db_path, "lecteur@exemple.fr") == "unsubscribed"
    again = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200


def test_a_forged_unsubscribe_token_changes_nothing(site) -> None:
    client, _, db_path = site
    sid = _subscriber(db_path, "lecteur@exemple.fr")
    other = make_token(SECRET.encode(), "unsubscribe", sid, "quelquun@exemple.fr")
    wrong_purpose = make_token(SECRET.encode(), "confirm", sid, "lecteur@exemple.fr")
    for token in (other, wrong_purpose, f"{sid}.AAAA", "rien"):
        assert client.post(f"/unsubscribe/{token}").status_code == 400
    assert _state(db_path, "lecteur@exemple.fr") == "active"


def test_the_get_page_only_shows_a_button(site) -> None:
    client, _, db_path = site
    sid = _subscriber(db_path, "lecteur@exemple.fr")
    token = make_token(SECRET.encode(), "unsubscribe", sid, "lecteur@exemple.fr")
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "Me désinscrire" in page.text
    assert f'action="/unsubscribe/{token}"' in page.text
    assert _state(db_path, "lecteur@exemple.fr") == "active"
    done = client.post(f"/unsubscribe/{token}", data={"csrf": csrf_of(page)})
    assert done.status_code == 200 and "ne recevra plus" in done.text
    assert _state(db_path, "lecteur@exemple.fr") == "unsubscribed"
    assert "ne reçoit plus" in client.get(f"/unsubscribe/{token}").text


def test_the_sign_up_page_says_what_is_kept_why_how_to_leave_and_who_sends(site) -> None:
    client, config, _ = site
    page = client.get("/subscribe").text
    news = config.newsletter
    for said in ("Ce qui est conservé", "Pourquoi", "Pour partir", "Se désinscrire"):
        assert said in page
    assert news.name in page and "digest@example.org" in page
    assert news.postal_address.replace("'", "&#39;") in page
    assert f"mailto:{news.reply_to}" in page


def test_the_unsubscribe_page_offers_to_come_back(site) -> None:
    client, config, db_path = site
    sid = _subscriber(db_path, "lecteur@exemple.fr")
    token = make_token(SECRET.encode(), "unsubscribe", sid, "lecteur@exemple.fr")
    done = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert "ne recevra plus" in done.text and "Me réinscrire" in done.text
    again = client.post("/subscribe", data={"csrf": csrf_of(done), "email": "lecteur@exemple.fr"})
    assert again.status_code == 200 and "Vérifiez votre boîte" in again.text
    mail = config.resolve(config.sending.outbox) / "confirmations" / "lecteur@exemple.fr.eml"
    wait_for(mail)  # its confirmation link brings the address back (double opt-in again)
    assert _state(db_path, "lecteur@exemple.fr") == "unsubscribed"
    assert "Me réinscrire" in client.get(f"/unsubscribe/{token}").text

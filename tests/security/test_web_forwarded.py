"""16.8: rate limits an attacker cannot walk around. X-Forwarded-For is believed only from
`web.trusted_proxies` (none by default); sign-ups are limited per target address too; failed
logins lock the account for strangers while the editor's known browser still gets in."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.security.server import client_from, digest_serve
from tests.support.mailserver import Recorder, smtp_server
from tests.support.webserver import PASSWORD, USER, csrf_of, login

PROXY = {"trusted_proxies": ["127.0.0.1"]}


def _try(client: httpx.Client, password: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    form = client.get("/editor/login", headers=headers)
    data = {"user": USER, "password": password, "csrf": csrf_of(form), "next": "/editor"}
    return client.post("/editor/login", data=data, headers=headers).status_code


def test_a_forged_forwarded_address_does_not_reset_the_login_limit(tmp_path: Path) -> None:
    with digest_serve(tmp_path) as served, httpx.Client(base_url=served.url) as attacker:
        codes = [_try(attacker, f"guess-{i}", f"10.0.{i}.1") for i in range(12)]
    assert codes[:5] == [401] * 5
    assert codes[5:] == [429] * 7


def test_sign_ups_for_one_address_mail_it_a_few_times_only(tmp_path: Path) -> None:
    recorder = Recorder()
    with (
        smtp_server(recorder) as port,
        digest_serve(tmp_path, smtp_port=port) as served,
    ):
        answers = []
        for i in range(10):  # from ten addresses: no per-client limit applies
            with client_from(served, i) as client:
                token = csrf_of(client.get("/subscribe"))
                answer = client.post(
                    "/subscribe", data={"csrf": token, "email": "victime@exemple.fr"}
                )
            answers.append((answer.status_code, "Vérifiez votre boîte" in answer.text))
        deadline = time.monotonic() + 20
        while recorder.copies()["victime@exemple.fr"] < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # any more mail would have come by now
    assert answers == [(200, True)] * 10  # the same answer every time
    assert recorder.copies()["victime@exemple.fr"] == 3


def test_the_account_locks_for_strangers_but_not_for_the_editors_browser(tmp_path: Path) -> None:
    with (
        digest_serve(tmp_path, PROXY) as served,
        httpx.Client(base_url=served.url) as editor,
        httpx.Client(base_url=served.url) as botnet,
        httpx.Client(base_url=served.url) as colleague,
    ):
        editor.headers["X-Forwarded-For"] = "192.0.2.10"
        assert login(editor).status_code == 303  # the editor's browser is now known
        assert "digest_device" in editor.cookies
        editor.cookies.delete("digest_session")
        # a guessing attack from many addresses: each stays under its own limits
        codes = [_try(botnet, f"guess-{i}", f"203.0.{i}.9") for i in range(40)]
        assert codes[:30] == [401] * 30 and set(codes[30:]) == {429}
        # the account is locked for browsers it does not know, even with the right password
        assert _try(colleague, PASSWORD, "192.0.2.10") == 429
        # while the editor's browser, from the same address, still gets in
        assert _try(editor, PASSWORD) == 303
        assert editor.get("/editor").status_code == 200

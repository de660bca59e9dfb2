"""16.11: a logout or a new password ends the session on the server: a copy of the session
cookie taken before (a stolen cookie, another browser) no longer opens the editors' pages."""

from __future__ import annotations

from pathlib import Path

import httpx

from digest.store import Location
from tests.security.server import digest_serve
from tests.support.webserver import csrf_of, login


def test_a_copied_session_cookie_is_refused_after_logout(
    tmp_path: Path, db_location: Location
) -> None:
    with (
        digest_serve(tmp_path, db=db_location) as served,
        httpx.Client(base_url=served.url, timeout=30) as editor,
        httpx.Client(base_url=served.url, timeout=30) as thief,
    ):
        assert login(editor).status_code == 303
        thief.cookies.set("digest_session", editor.cookies["digest_session"])
        assert thief.get("/editor").status_code == 200  # the copy works while the session lives
        page = editor.get("/editor")
        assert editor.post("/editor/logout", data={"csrf": csrf_of(page)}).status_code == 303
        stolen = thief.get("/editor")
        assert stolen.status_code == 303 and "/editor/login" in stolen.headers["location"]
        assert login(editor).status_code == 303  # a new login works again
        assert editor.get("/editor").status_code == 200
        assert thief.get("/editor").status_code == 303  # and does not revive the old cookie


def test_a_new_password_ends_the_sessions_opened_with_the_old_one(tmp_path: Path) -> None:
    db = tmp_path / "editors.db"
    with digest_serve(tmp_path, db=db) as served, httpx.Client(base_url=served.url) as editor:
        assert login(editor).status_code == 303
        cookie = editor.cookies["digest_session"]
    new_password = "un-tout-nouveau-mot-de-passe"
    with (
        digest_serve(tmp_path, db=db, DIGEST_EDITOR_PASSWORD=new_password) as served,
        httpx.Client(base_url=served.url) as old,
        httpx.Client(base_url=served.url) as editor,
    ):
        old.cookies.set("digest_session", cookie)
        assert old.get("/editor").status_code == 303
        assert login(editor, new_password).status_code == 303
        assert editor.get("/editor").status_code == 200

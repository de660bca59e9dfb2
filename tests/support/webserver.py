"""Helpers of the web tests: an edition built by the real pipeline from the sample feeds (once
per session), a configuration around it, and the real app served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from digest import flow
from digest.config import Config, load_config
from digest.poll import poller
from digest.store import Location, open_db
from digest.store.postgres import is_url
from digest.store.transfer import copy_installation
from digest.web import create_app
from digest.web.serving import server_config
from tests.support.mailserver import free_port

SAMPLES = Path(__file__).resolve().parents[2] / "digest" / "samples" / "feeds"
USER, PASSWORD = "redaction", "mot-de-passe-de-test"
SECRET = "test-secret-0123456789abcdef"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def write_config(folder: Path, smtp_port: int | None = None) -> Config:
    """The sample feeds, approval required, sending to an aiosmtpd port or the outbox."""
    lines = ["feeds:"]
    lines += [f"  - {{name: {f.stem}, url: '{f}'}}" for f in sorted(SAMPLES.glob("*.xml"))]
    lines += ["schedule: {require_approval: true}", f"out_dir: '{folder / 'out'}'"]
    lines += ["sending: {rate_per_second: 1000, retry_delay: 0.05}"]
    if smtp_port is not None:
        lines += [f"smtp: {{host: 127.0.0.1, port: {smtp_port}, security: none}}"]
    path = folder / "feeds.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(path)


_BUILT: list[Path] = []


def built_db(factory: pytest.TempPathFactory) -> Path:
    """A database holding the sample feeds read, grouped, written and one draft edition; built
    once per test session (the read stage loads spaCy), then copied by each test."""
    if not _BUILT:
        folder = factory.mktemp("built")
        config = write_config(folder)
        db = open_db(folder / "built.db")
        try:
            poller.poll_feeds(db, config)
            flow.build(db, config, None, None, folder / "out")
        finally:
            db.close()
        _BUILT.append(folder / "built.db")
    return _BUILT[0]


def copy_db(source: Path, target: Location) -> Location:
    """A copy of the built database: a file, or an empty PostgreSQL database (`digest db copy`)."""
    if is_url(target):
        copy_installation(source, str(target))
        return target
    with sqlite3.connect(source) as conn:
        conn.execute("VACUUM INTO ?", (str(target),))
    return target


def web_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The editors' login and the signing secret, in the environment."""
    monkeypatch.setenv("DIGEST_EDITOR_USER", USER)
    monkeypatch.setenv("DIGEST_EDITOR_PASSWORD", PASSWORD)
    monkeypatch.setenv("DIGEST_SECRET", SECRET)


@contextmanager
def serving(config: Config, db_path: Location) -> Iterator[str]:
    """The app under uvicorn in a thread, on a free port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(server_config(create_app(config, db_path), config, "127.0.0.1", port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def csrf_of(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found, "no CSRF field in the page"
    return found.group(1)


def login(client: httpx.Client, password: str = PASSWORD) -> httpx.Response:
    form = client.get("/editor/login")
    return client.post(
        "/editor/login",
        data={"user": USER, "password": password, "csrf": csrf_of(form), "next": "/editor"},
    )

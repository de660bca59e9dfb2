"""An editor's path in headless Chromium: log in, open the edition, look at both previews,
approve it. Screenshots go to out/screenshots/web-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.store import editions, open_db
from tests.support.browser import SCREENSHOTS, chromium
from tests.support.webserver import (
    PASSWORD,
    USER,
    built_db,
    copy_db,
    serving,
    web_env,
    write_config,
)

pytestmark = pytest.mark.browser


def test_editor_logs_in_previews_at_two_widths_and_approves(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_env(monkeypatch)
    config = write_config(tmp_path)
    db_path = copy_db(built_db(tmp_path_factory), tmp_path / "web.db")
    db = open_db(db_path)
    edition = editions.latest(db)
    assert edition is not None and edition.state == "draft"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with serving(config, db_path) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1100})  # type: ignore[attr-defined]
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Refused" in m.text else None)
        page.goto(f"{url}/editor")
        assert page.url.endswith("/editor/login?next=/editor")
        page.fill("input[name=user]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("text=Se connecter")
        page.click(f"a[href='/editor/editions/{edition.id}']")
        page.wait_for_selector("iframe.phone")

        desktop = page.locator("iframe.desktop").bounding_box()
        phone = page.locator("iframe.phone").bounding_box()
        assert desktop is not None and phone is not None
        assert round(desktop["width"]) in (600, 602) and round(phone["width"]) in (375, 377)
        assert phone["x"] > desktop["x"]  # side by side on a desktop screen
        frames = [f for f in page.frames if f.url == "about:srcdoc"]
        assert len(frames) == 2
        for frame in frames:
            assert edition.stories[0].headline.split()[0] in frame.inner_text("body")
        phone_frame = page.frame_locator("iframe.phone")
        assert phone_frame.locator("body").inner_text()
        page.screenshot(path=str(SCREENSHOTS / "web-edition-preview.png"))

        page.click("button:has-text('Approuver')")
        page.wait_for_selector("#state.approved")
        assert "approuvée" in page.inner_text(".flash")
        page.screenshot(path=str(SCREENSHOTS / "web-edition-approved.png"))
        assert refused == [], refused
    approved = editions.get(db, edition.id)
    assert approved is not None and approved.state == "approved"
    db.close()

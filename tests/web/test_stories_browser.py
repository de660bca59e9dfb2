"""An editor's corrections in headless Chromium: a headline edited through its form, then the
subject field's live counter, run by the static script the page's policy allows (no inline
script). Screenshots go to out/screenshots/web-story-edit.png, web-story-card.png and
web-wording.png."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.edition.layout import layout
from digest.edition.wording import SUBJECT_MAX
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


def test_editor_edits_a_headline_and_sees_the_subject_counter_live(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_env(monkeypatch)
    config = write_config(tmp_path)
    db_path = copy_db(built_db(tmp_path_factory), tmp_path / "web.db")
    db = open_db(db_path)
    edition = editions.latest(db)
    assert edition is not None
    story = layout(edition).investments[0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with serving(config, db_path) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 1000})  # type: ignore[attr-defined]
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Refused" in m.text else None)
        page.goto(f"{url}/editor/login?next=/editor/editions/{edition.id}")
        page.fill("input[name=user]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("text=Se connecter")
        page.click(f"#story-{story.id} a:has-text('Modifier')")
        page.wait_for_selector("#in-headline")
        page.fill("#in-headline", "Un titre écrit par la rédaction")
        page.screenshot(path=str(SCREENSHOTS / "web-story-edit.png"), full_page=True)
        page.click("text=Enregistrer et reconstruire l'édition")
        page.wait_for_selector(f"#story-{story.id}")
        assert page.url.endswith(f"#story-{story.id}")
        card = page.locator(f"#story-{story.id}")
        assert "Un titre écrit par la rédaction" in card.inner_text()
        assert f"modifié par {USER}" in card.inner_text()
        card.screenshot(path=str(SCREENSHOTS / "web-story-card.png"))
        assert (
            "Un titre écrit par la rédaction"
            in page.frame_locator("iframe.desktop").locator("body").inner_text()
        )

        page.click("text=Modifier l'objet et l'introduction")
        counter = page.locator("#count-subject")
        page.fill("#w-subject", "Une semaine record")
        assert counter.inner_text() == f"18 caractères (au plus {SUBJECT_MAX})"
        page.fill("#w-subject", "x" * (SUBJECT_MAX + 2))
        assert counter.inner_text().endswith(": trop long")
        assert "over" in (counter.get_attribute("class") or "")
        page.fill("#w-subject", "Une semaine record pour la French Tech")
        page.screenshot(path=str(SCREENSHOTS / "web-wording.png"), full_page=True)
        page.click("text=Enregistrer et reconstruire l'édition")
        page.wait_for_selector(".flash")
        assert "enregistré" in page.locator(".flash").inner_text()
        assert not blocked, blocked
    saved = json.loads(
        (config.resolve(config.out_dir) / edition.id / "stories.json").read_text(encoding="utf-8")
    )
    assert any(s["headline"] == "Un titre écrit par la rédaction" for s in saved["stories"])
    edited = db.execute("SELECT story_id, field FROM story_overrides").fetchall()
    assert [tuple(r) for r in edited] == [(story.id, "headline")]  # the untouched fields stay
    found = editions.get(db, edition.id)
    assert found is not None and found.subject == "Une semaine record pour la French Tech"
    db.close()

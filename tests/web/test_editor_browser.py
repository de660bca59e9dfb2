"""An editor's session in headless Chromium, as a person would click it: log in with their own
account, drop a story, merge two after confirming and undo it, approve, read when it leaves,
send it now; each step checked in the rebuilt edition, its email and the database. Every page
(and the email, light and dark) passes axe-core's WCAG AA contrast rule; on a 375 px phone every
button is within reach. Screenshots go to out/screenshots/editor-*.png."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from digest.store import accounts, editions, history, open_db
from digest.web.accounts import hash_password
from tests.support.axe import axe_source, contrast_failures
from tests.support.browser import SCREENSHOTS, chromium
from tests.support.webserver import built_db, copy_db, serving, web_env, write_config

pytestmark = pytest.mark.browser
EDITOR, EDITOR_PW = "camille", "le-mot-de-passe-de-camille"


def _shot(page: object, name: str, top: bool = False) -> None:
    """The whole page; with `top`, also what the screen first shows (editor-NAME-top.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"editor-{name}.png"), full_page=True)  # type: ignore[attr-defined]
    if top:
        page.screenshot(path=str(SCREENSHOTS / f"editor-{name}-top.png"))  # type: ignore[attr-defined]


def _contrast_ok(page: object, axe: str, name: str) -> None:
    failures = contrast_failures(page, axe)
    assert failures == [], f"{name}: {failures}"


def _reachable(page: object) -> None:
    """At the page's width nothing scrolls sideways and every button is fully on screen."""
    width = page.viewport_size["width"]  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # type: ignore[attr-defined]
    boxes = page.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('button, .button, select, input:not([type=hidden])')]
            .map(b => { const r = b.getBoundingClientRect();
                        return [b.textContent.trim() || b.name, r.left, r.right, r.width]; })"""
    )
    for label, left, right, w in boxes:
        assert w > 0 and left >= 0 and right <= width + 0.5, (label, left, right)


def test_an_editor_works_an_edition_through_in_the_browser(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_env(monkeypatch)
    config = write_config(tmp_path)
    db_path = copy_db(built_db(tmp_path_factory), tmp_path / "web.db")
    db = open_db(db_path)
    accounts.add(db, EDITOR, "camille@redaction.fr", hash_password(EDITOR_PW))
    edition = editions.latest(db)
    assert edition is not None and edition.state == "draft"
    axe = axe_source()
    with serving(config, db_path) as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, bypass_csp=True)  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(f"{url}/editor")
        _contrast_ok(page, axe, "login")
        _shot(page, "login")
        page.fill("input[name=user]", EDITOR)
        page.fill("input[name=password]", EDITOR_PW)
        page.click("text=Se connecter")
        page.wait_for_selector("table.list")
        assert "décembre" in page.inner_text("table.list") or "20" in page.inner_text("table.list")
        _contrast_ok(page, axe, "editions")
        _shot(page, "editions")

        page.click(f"a[href='/editor/editions/{edition.id}']")
        page.wait_for_selector("iframe.phone")
        _contrast_ok(page, axe, "edition")
        _shot(page, "edition", top=True)

        # drop a story: the page comes back to it, names it, and the email no longer has it
        victim = next(s for s in reversed(edition.stories) if not s.held_reason)
        page.click(f"#story-{victim.id} button:has-text('Retirer de l')")
        page.wait_for_selector(f"#dropped-{victim.id}")
        assert page.url.endswith(f"#dropped-{victim.id}")
        assert f"« {victim.headline} » retirée de l'édition" in page.inner_text(".flash")
        rebuilt = editions.get(db, edition.id)
        assert rebuilt is not None and victim.id not in {s.id for s in rebuilt.stories}
        assert victim.headline not in rebuilt.text
        assert history.of(db, edition.id)[0].by == EDITOR
        _shot(page, "dropped", top=True)

        # merge two stories: asked first, then done, then undone
        keep, other = [s for s in rebuilt.stories if not s.held_reason][:2]
        page.select_option(f"#story-{keep.id} select[name=other]", other.id)
        page.click(f"#story-{keep.id} button:has-text('Fusionner dans celui-ci')")
        page.wait_for_selector("text=Fusionner deux articles ?")
        _contrast_ok(page, axe, "merge")
        _shot(page, "merge-confirm")
        page.click("button:has-text('Fusionner')")
        page.wait_for_selector(f"#story-{keep.id} button:has-text('Annuler la fusion')")
        merged = editions.get(db, edition.id)
        assert merged is not None and other.id not in {s.id for s in merged.stories}
        assert "fusionnée dans" in page.inner_text(".flash")
        page.click(f"#story-{keep.id} button:has-text('Annuler la fusion')")
        page.wait_for_selector("text=Fusion annulée")
        undone = editions.get(db, edition.id)
        assert undone is not None and len(undone.stories) == len(rebuilt.stories)
        assert set(other.mention_ids) in [set(s.mention_ids) for s in undone.stories]

        # approve: it says when it leaves, and why the story buttons are gone
        page.click("button:has-text('Approuver')")
        page.wait_for_selector("#state.approved")
        assert "Elle partira le" in page.inner_text(".callout.ok")
        assert "retenez-la pour retirer" in page.inner_text("#locked")
        _contrast_ok(page, axe, "approved")
        _shot(page, "approved", top=True)

        # on a phone every button is within reach
        phone = browser.new_context(viewport={"width": 375, "height": 800}, bypass_csp=True)  # type: ignore[attr-defined]
        phone.add_cookies(context.cookies())
        mobile = phone.new_page()
        mobile.goto(f"{url}/editor/editions/{edition.id}")
        _reachable(mobile)
        _contrast_ok(mobile, axe, "phone")
        _shot(mobile, "edition-phone", top=True)
        mobile.goto(f"{url}/editor")
        _reachable(mobile)
        _shot(mobile, "editions-phone")
        phone.close()

        # send now: the same path as `digest send`, in the background
        page.click("button:has-text('Envoyer maintenant')")
        deadline = time.monotonic() + 60
        while (found := editions.get(db, edition.id)) and found.state != "sent":
            assert time.monotonic() < deadline, found.state
            time.sleep(0.2)
        page.goto(f"{url}/editor/editions/{edition.id}")
        assert "envoyée" in page.inner_text("#state")
        assert "Envoyer maintenant" not in page.inner_text("main")
        assert EDITOR in page.inner_text("#history")
        _shot(page, "sent")

        page.goto(f"{url}/editions")
        assert "décembre" in page.inner_text("main") or "N°" in page.inner_text("main")
        _contrast_ok(page, axe, "archive")
        _shot(page, "archive")
        page.goto(f"{url}/subscribe")
        _contrast_ok(page, axe, "subscribe")
        _shot(page, "subscribe")
        context.close()

        sent = editions.get(db, edition.id)
        assert sent is not None
        for dark in (False, True):
            for width in (600, 375):
                mail = browser.new_context(  # type: ignore[attr-defined]
                    viewport={"width": width, "height": 900},
                    color_scheme="dark" if dark else "light",
                    bypass_csp=True,
                )
                view = mail.new_page()
                view.route("**/*", lambda route: route.abort())
                view.set_content(sent.html, wait_until="load")
                name = f"email-{'dark' if dark else 'light'}-{width}"
                _contrast_ok(view, axe, name)
                _shot(view, name)
                mail.close()
    db.close()

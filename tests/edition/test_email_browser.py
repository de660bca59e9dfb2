"""The email as a person sees it: headless Chromium at desktop and phone widths.

Screenshots go to out/screenshots/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import digest
from digest import flow
from digest.config import Config, load_config
from digest.edition.compose import compose
from digest.edition.lifecycle import BLOCKING
from digest.edition.render import public_html, render
from digest.models import Edition
from digest.poll import poller
from digest.samples.demo import sample_config_path
from digest.samples.editions import WEEK_END, WEEK_START, sample_stories, synthetic_stories
from digest.store import open_db
from tests.edition.test_render import hostile_story
from tests.support.browser import chromium, look

pytestmark = pytest.mark.browser
ALL_HREFS = "els => els.map(e => e.getAttribute('href'))"
BANDS = ["Voir en ligne", "À LA UNE", "LES INVESTISSEMENTS", "LEVÉES DE FONDS", "EN BREF"]


def _edition(stories, config: Config) -> Edition:
    edition = compose(
        stories,
        config,
        number=12,
        period_start=WEEK_START,
        period_end=WEEK_END,
        created_at=WEEK_END,
    )
    return render(edition, config)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.mark.parametrize("width", [600, 375])
@pytest.mark.parametrize("size", ["sample", "30"])
def test_nothing_overflows_and_every_band_shows(
    browser: object, config: Config, width: int, size: str
) -> None:
    stories = sample_stories() if size == "sample" else synthetic_stories(30)
    edition = _edition(stories, config)
    seen, page = look(
        browser, public_html(edition, config), width=width, name=f"email-{size}-{width}"
    )
    try:
        assert seen.scroll_width <= width, f"{seen.scroll_width}px wide in a {width}px window"
        assert seen.screenshot.stat().st_size > 10_000
        text = page.inner_text("body")
        for band in BANDS:
            assert band in text, band
        assert "Se désinscrire" in text and "Cette semaine" in text
        hrefs = page.eval_on_selector_all("a[href]", ALL_HREFS)
        assert hrefs and all(h.startswith("https://") for h in hrefs), hrefs
        # no element is wider than the window either (a wide table would be clipped, not scroll)
        wide = page.evaluate(
            "() => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 30))"
        )
        assert not wide, wide[:5]
    finally:
        page.context.close()


def test_phone_layout_stacks_the_round_up(browser: object, config: Config) -> None:
    edition = _edition(sample_stories(), config)
    _, page = look(browser, public_html(edition, config), width=375, name="email-sample-375-top")
    try:
        boxes = page.evaluate(
            "() => [...document.querySelectorAll('h3')]"
            ".filter(h => /Par secteur|Par territoire/.test(h.textContent))"
            ".map(h => h.getBoundingClientRect().top)"
        )
        assert len(boxes) == 2 and boxes[1] > boxes[0] + 50  # one under the other on a phone
    finally:
        page.context.close()


def test_dark_mode_is_hand_made(browser: object, config: Config) -> None:
    edition = _edition(sample_stories(), config)
    _, page = look(browser, public_html(edition, config), width=600, name="email-dark", dark=True)
    try:
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(18, 16, 24)"
        opening = page.evaluate(
            "(() => { const s = getComputedStyle([...document.querySelectorAll('p')]"
            ".find(p => p.textContent.startsWith('Cette semaine')));"
            " return [s.color, s.backgroundColor]; })()"
        )
        assert opening == ["rgb(236, 235, 243)", "rgb(42, 37, 56)"]  # light on dark, readable
    finally:
        page.context.close()


def test_hostile_feed_text_stays_inert_in_a_browser(browser: object, config: Config) -> None:
    edition = _edition([hostile_story(), *sample_stories()[1:3]], config)
    _, page = look(browser, public_html(edition, config), width=600, name="email-hostile")
    try:
        assert page.evaluate("window.__pwned === undefined")
        assert page.evaluate("document.querySelectorAll('script, svg, img').length") == 0
        assert "<script>window.__pwned=1</script>" in page.inner_text("body")
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        assert not [u for u in links if not u.startswith("https://")]
    finally:
        page.context.close()


def _sample_config(tmp_path: Path) -> Path:
    """The demo's configuration when shipped, else one listing the packaged sample feeds."""
    shipped = sample_config_path()
    if shipped.is_file():
        return shipped
    feeds = sorted((Path(digest.__file__).parent / "samples" / "feeds").glob("*.xml"))
    if not feeds:
        pytest.skip("no sample feeds in the package")
    lines = [f"  - {{name: {p.stem}, url: '{p}'}}" for p in feeds]
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_sample_feeds_end_to_end(browser: object, tmp_path: Path) -> None:
    """Poll the sample feeds, build the edition, and look at it as a reader would."""
    config = load_config(_sample_config(tmp_path))
    db = open_db(tmp_path / "e2e.db")
    try:
        poller.poll_feeds(db, config)
        since = datetime(2000, 1, 1, tzinfo=UTC)
        edition, folder = flow.build(db, config, since, None, tmp_path / "out")
    finally:
        db.close()
    assert {p.name for p in folder.iterdir()} >= {"index.html", "digest.txt", "message.eml"}
    blocking = [c for c in edition.checks if not c.ok and c.name in BLOCKING]
    assert not blocking, blocking
    html = (folder / "index.html").read_text(encoding="utf-8")
    for width in (600, 375):
        seen, page = look(browser, html, width=width, name=f"email-demo-{width}")
        try:
            assert seen.scroll_width <= width
            text = page.inner_text("body")
            assert "À LA UNE" in text and "Se désinscrire" in text
            hrefs = page.eval_on_selector_all(
                "a[href]", "els => els.map(e => e.getAttribute('href'))"
            )
            assert all(h.startswith("https://") for h in hrefs)
        finally:
            page.context.close()

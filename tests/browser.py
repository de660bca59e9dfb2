"""Headless Chromium for tests that look at pages as a person would (email, web preview).

`chromium()` is a pytest fixture-friendly context manager: it yields a Playwright Browser, or
skips the test cleanly when Chromium or Playwright cannot be found. Chromium comes from the
system packages (`make browser`); Playwright's own browser download is never used.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "out" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def chromium() -> Iterator[object]:
    """A running headless Chromium (playwright Browser); skips when none can be started."""
    path = chromium_path()
    if path is None:
        pytest.skip("chromium is not installed (run `make browser`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Look:
    """What a page looked like at one width."""

    width: int
    scroll_width: int
    screenshot: Path


def look(
    browser: object,
    html: str,
    *,
    width: int,
    name: str,
    dark: bool = False,
    offline: bool = True,
) -> tuple[Look, object]:
    """Open html at a viewport width, screenshot the full page into out/screenshots/<name>.png.

    Returns the measurements and the open page (close it when done). With `offline`, every
    network request is refused, so nothing outside the document can change what is seen.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": 900},
        color_scheme="dark" if dark else "light",
        java_script_enabled=True,
    )
    page = context.new_page()
    if offline:
        page.route("**/*", lambda route: route.abort())
    page.set_content(html, wait_until="load")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    shot = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    return Look(width, scroll_width, shot), page

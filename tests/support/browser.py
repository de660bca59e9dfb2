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

REPO = Path(__file__).resolve().parents[2]
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


def new_page(browser: object, *, width: int, dark: bool = False, offline: bool = False) -> object:
    """A fresh page in its own context at a viewport width; `offline` refuses every request."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": 900},
        color_scheme="dark" if dark else "light",
    )
    page = context.new_page()
    if offline:
        page.route("**/*", lambda route: route.abort())
    return page


def measure(page: object, name: str) -> Look:
    """The page's scroll width, and a full-page screenshot in out/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]  # type: ignore[attr-defined]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    shot = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)  # type: ignore[attr-defined]
    return Look(width, scroll_width, shot)


def look(
    browser: object, html: str, *, width: int, name: str, dark: bool = False
) -> tuple[Look, object]:
    """Open an HTML document offline at a width and screenshot it; returns the open page too.

    Nothing outside the document can load, so what is seen is the document alone. Close with
    `page.context.close()`. A page served on 127.0.0.1 is opened with `new_page(...)`,
    `page.goto(url)`, then `measure`.
    """
    page = new_page(browser, width=width, dark=dark, offline=True)
    page.set_content(html, wait_until="load")  # type: ignore[attr-defined]
    return measure(page, name), page

"""Render: an edition becomes HTML (Jinja2 → MJML → mjml-python) and its plain-text twin.

The HTML is rendered once per edition. The one per-subscriber part, the unsubscribe link, is
written as the edition's own random placeholder (`edition.unsubscribe`) and substituted by the
sender; `public_html` puts the generic unsubscribe page there for the web version and
`index.html`.
"""

from __future__ import annotations

import json
import logging
import re
import textwrap
from dataclasses import replace
from functools import cache
from pathlib import Path

import jinja2
from mjml import mjml2html

import digest
from digest.config import Config, Theme
from digest.edition import preflight
from digest.edition.export import stories_json
from digest.edition.unsubscribe import generic, neutralise, new_placeholder
from digest.edition.view import context, shorten_brief
from digest.models import Edition

log = logging.getLogger(__name__)


def templates_dir() -> Path:
    """The installed templates (digest/templates in a wheel), else the repository's."""
    installed = Path(digest.__file__).parent / "templates"
    if (installed / "email.mjml.j2").is_file():
        return installed
    return Path(digest.__file__).parent.parent / "templates"


def _wrap(text: str, width: int = 72, first: str = "", indent: str = "") -> str:
    return textwrap.fill(
        text, width, initial_indent=first, subsequent_indent=indent, break_on_hyphens=False
    )


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=jinja2.select_autoescape(enabled_extensions=("mjml.j2",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["wrap"] = _wrap
    return env


def _mix(colour: str, other: str, weight: float) -> str:
    """colour mixed with other: weight 0 gives colour, 1 gives other (#rrggbb)."""
    a = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    b = [int(other.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(x + (y - x) * weight):02x}" for x, y in zip(a, b, strict=True))


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(colour: str, background: str, ratio: float = 4.5) -> str:
    """The colour, darkened just enough to be read as small text on the background (WCAG AA)."""
    weight = 0.0
    while contrast(_mix(colour, "#000000", weight), background) < ratio and weight < 1:
        weight += 0.02
    return _mix(colour, "#000000", min(weight, 1.0))


def palette(theme: Theme) -> dict[str, dict[str, str]]:
    """Tints derived from the theme for notes and rules, the accent as readable text (a bright
    orange is a fill, not a text colour, at AA), and the hand-made dark palette."""
    warm = _mix(theme.accent, "#ffffff", 0.88)
    return {
        "tint": {
            "soft": _mix(theme.primary, "#ffffff", 0.9),
            "warm": warm,
            "rule": _mix(theme.muted, "#ffffff", 0.8),
        },
        "ink": {"accent": readable(theme.accent, warm)},
        "dark": {
            "background": "#121018",
            "card": "#1c1926",
            "text": "#ecebf3",
            "muted": "#aaa6bd",
            "link": _mix(theme.primary, "#ffffff", 0.45),
            "accent": _mix(theme.accent, "#ffffff", 0.3),
            "note": "#2a2538",
            "rule": "#34304a",
        },
    }


_BETWEEN_TAGS = re.compile(r">[ \t]*\n\s*<")  # indentation only: a space on one line is text
_LEADING = re.compile(r"\n\s+")
_BLANKS = re.compile(r"\n\s*\n(\s*\n)+")


def _compact(html: str) -> str:
    """Drop the indentation mjml leaves between tags (bytes count: Gmail clips at 102 KB)."""
    return _LEADING.sub("\n", _BETWEEN_TAGS.sub("><", html))


def _html(ctx: dict) -> str:
    source = environment().get_template("email.mjml.j2").render(ctx)
    return _compact(mjml2html(source, disable_comments=True, fonts={}))


def _size(html: str) -> int:
    return len(html.encode("utf-8"))


def fitted_html(ctx: dict) -> str:
    """The email's HTML within preflight.MAX_HTML_BYTES when cutting "En bref" can make it so:
    the first lines are kept, the others replaced by a link to the web version."""
    html = _html(ctx)
    brief = len(ctx["brief"])
    if _size(html) <= preflight.MAX_HTML_BYTES or not brief:
        return html
    bare = _size(_html(shorten_brief(ctx, 0)))
    per_line = max(1.0, (_size(html) - bare) / brief)
    keep = max(0, min(brief - 1, int((preflight.MAX_HTML_BYTES - bare) / per_line)))
    while True:
        html = _html(shorten_brief(ctx, keep))
        if _size(html) <= preflight.MAX_HTML_BYTES or keep == 0:
            log.info("brief shortened: %d of %d lines kept", keep, brief)
            return html
        keep = max(0, keep - 1 - int((_size(html) - preflight.MAX_HTML_BYTES) / per_line))


def render(edition: Edition, config: Config) -> Edition:
    """Fill the edition's html, text and pre-flight checks (subject and preheader from compose).
    The text twin keeps every story; the HTML may send the last brèves to the web version."""
    edition = replace(edition, unsubscribe_placeholder=new_placeholder())
    ours = edition.unsubscribe_placeholder
    ctx = context(edition, config) | palette(config.theme)
    html = fitted_html(ctx)
    text = _BLANKS.sub("\n\n", environment().get_template("email.txt.j2").render(ctx)).strip()
    done = replace(edition, html=neutralise(html, ours), text=neutralise(text + "\n", ours))
    done.checks = preflight.run(done, config)
    failed = [c.name for c in done.checks if not c.ok]
    log.info(
        "rendered edition=%s bytes=%d failed_checks=%s", edition.id, len(html.encode()), failed
    )
    return done


def public_html(edition: Edition, config: Config) -> str:
    """The HTML for a browser (web version, index.html): every story, even those the email had
    no room for, and the generic unsubscribe page linked."""
    html = _html(context(edition, config) | palette(config.theme))
    return generic(html, config.newsletter.base_url)


def write_files(edition: Edition, config: Config, out_dir: Path) -> Path:
    """Write <out>/<edition-id>/ index.html, digest.txt and stories.json (the spine adds the
    sample message.eml, which is the sender's to assemble)."""
    folder = Path(out_dir) / edition.id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(public_html(edition, config), encoding="utf-8")
    text = generic(edition.text, config.newsletter.base_url)
    (folder / "digest.txt").write_text(text, encoding="utf-8")
    data = json.dumps(stories_json(edition.stories), ensure_ascii=False, indent=2)
    (folder / "stories.json").write_text(data + "\n", encoding="utf-8")
    return folder

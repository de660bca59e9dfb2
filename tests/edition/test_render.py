"""Render: the email rules of a newsletter, read from the HTML itself, and the files written."""

from __future__ import annotations

import email
import email.policy
import json
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from digest.config import Config, ConfigError, load_config
from digest.edition.compose import compose
from digest.edition.preflight import parse, run
from digest.edition.render import render
from digest.flow import write_out
from digest.models import Conflict, ConflictValue, Edition, Source, Story
from digest.samples.editions import WEEK_END, WEEK_START, sample_stories, synthetic_stories


def _edition(stories: list[Story], config: Config) -> Edition:
    edition = compose(
        stories,
        config,
        number=3,
        period_start=WEEK_START,
        period_end=WEEK_END,
        created_at=WEEK_END,
    )
    return render(edition, config)


@pytest.fixture
def sample(config: Config) -> Edition:
    return _edition(sample_stories(), config)


def _check(edition: Edition, name: str):
    return next(c for c in edition.checks if c.name == name)


def test_html_follows_the_email_rules(sample: Edition) -> None:
    html = sample.html
    page = parse(html)
    assert page.lang == "fr"
    assert page.title.startswith("Le Digest n° 3")
    assert page.scripts == 0 and page.handlers == [] and page.stylesheets == 0
    assert "<script" not in html.lower() and "javascript:" not in html.lower()
    # the preheader is the first, hidden, text of the body
    body = html[html.index("<body") :]
    assert re.search(r'<div style="display:none;[^"]*">' + re.escape(sample.preheader[:30]), body)
    # 600 px body, system fonts, no web font
    assert "max-width:600px" in body
    assert (
        "Arial, sans-serif" in body and "@font-face" not in html and "fonts.googleapis" not in html
    )
    # hand-made dark mode
    assert '<meta name="color-scheme" content="light dark"' in html
    assert "@media (prefers-color-scheme: dark)" in html
    # comments stripped (Outlook's conditional comments are code, they stay)
    assert not [
        c for c in re.findall(r"<!--(.*?)-->", html, re.S) if not c.startswith(("[if", "<!["))
    ]
    # links absolute https, the unsubscribe link left for the sender
    ours = sample.unsubscribe_placeholder
    assert re.fullmatch(r"__DIGEST_UNSUBSCRIBE_[0-9a-f]{32}__", ours)  # drawn for this edition
    assert page.links and all(u.startswith("https://") or u == ours for u in page.links)
    assert ours in page.links
    assert f"https://digest.example.org/editions/{sample.id}" in page.links


def test_essential_styles_are_inline(sample: Edition) -> None:
    body = sample.html[sample.html.index("<body") :]
    assert re.search(r'<body style="[^"]*background-color:#f4f2fa', body)
    for tag in re.findall(r"<a [^>]*>", body):
        assert re.search(r'style="[^"]*color:#', tag), tag
    for tag in re.findall(r"<h[1-3] [^>]*>", body):
        assert "font-size:" in tag and "margin:0" in tag, tag


def test_every_band_is_there_in_order(sample: Edition) -> None:
    text = sample.html[sample.html.index("<body") :]
    marks = [
        "Voir en ligne",
        ">Le Digest</h1>",
        "Cette semaine, 9 investissements",
        ">À la une</h2>",
        ">Les investissements</h2>",
        ">Le podium</h3>",
        ">Par secteur</h3>",
        ">Par territoire</h3>",
        ">Levées de fonds</h2>",
        ">En bref</h2>",
        "Se désinscrire",
        "10 rue de l&#39;Exemple",
    ]
    positions = [text.find(m) for m in marks]
    assert -1 not in positions, dict(zip(marks, positions, strict=True))
    assert positions == sorted(positions)


def test_empty_bands_are_left_out(config: Config) -> None:
    alone = next(s for s in sample_stories() if s.id == "s-retail")  # no figure at all
    edition = _edition([alone], config)
    assert ">À la une</h2>" in edition.html
    for band in (">Les investissements</h2>", ">Levées de fonds</h2>", ">En bref</h2>", "podium"):
        assert band not in edition.html


def test_conflicts_and_updates_show_at_a_glance(sample: Edition) -> None:
    assert "Sources en désaccord" in sample.html
    assert "Les sources divergent</strong> sur la devise" in sample.html
    assert "dollars selon Wire Monde" in sample.html
    assert "Mise à jour" in sample.html and "désormais confirmé" in sample.html
    assert "[Mise à jour] Le montant est désormais confirmé" in sample.text
    assert "! Les sources divergent sur la devise" in sample.text


def test_held_story_stays_out_and_is_listed(sample: Edition) -> None:
    assert "H2 Rivage" not in sample.html and "H2 Rivage" not in sample.text
    held = [c for c in sample.checks if c.name == "held_story"]
    assert len(held) == 1 and not held[0].ok and "s-hydrogene" in held[0].detail


def test_text_twin_has_every_story_figure_and_link(sample: Edition) -> None:
    for story in sample.stories:
        if story.held_reason:
            continue
        flat = " ".join(sample.text.split())
        assert story.headline in flat
        for src in story.sources:
            assert src.url in sample.text
    assert "Montant\u202f: 4\u00a0milliards d'euros" in sample.text
    assert "Investisseurs\u202f: Deeptech Partners et Fonds Innovation Défense" in sample.text
    assert "<" not in sample.text.replace("<https", "")  # no markup
    long_lines = [ln for ln in sample.text.splitlines() if len(ln) > 80 and "https://" not in ln]
    assert not long_lines


def test_all_checks_pass_on_the_sample(sample: Edition) -> None:
    failed = [c for c in sample.checks if not c.ok and c.name != "held_story"]
    assert not failed, failed


def test_thirty_stories_stay_under_gmail_clipping(config: Config) -> None:
    edition = _edition(synthetic_stories(30), config)
    assert len(edition.html.encode()) < 100 * 1024
    assert _check(edition, "html_size").ok


HOSTILE = {
    "headline": 'Levée <script>window.__pwned=1</script> "record"',
    "summary": '<img src=x onerror="window.__pwned=1"> texte <b onmouseover=alert(1)>gras</b>',
    "investor": '"><svg onload=alert(1)>',
}


def hostile_story() -> Story:
    base = sample_stories()[0]
    return replace(
        base,
        **HOSTILE,
        conflicts=[Conflict("amount.currency", [ConflictValue("<i>EUR</i>", ["<b>x</b>"])])],
        sources=[
            Source("javascript:window.__pwned=1", "t", "Évil <script>", base.sources[0].published),
            Source("https://ok.example.com/a?b=1&c=<2>", "t", "Bien", base.sources[0].published),
            Source("data:text/html,hi", "t", "Data", base.sources[0].published),
        ],
    )


def test_feed_text_comes_out_inert(config: Config) -> None:
    edition = _edition([hostile_story(), *sample_stories()[1:3]], config)
    page = parse(edition.html)
    assert page.scripts == 0 and page.handlers == []
    assert not [u for u in page.links if u.lower().startswith(("javascript:", "data:"))]
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in edition.html
    assert "&lt;img src=x onerror=" in edition.html
    assert "<svg" not in edition.html and "<img" not in edition.html
    assert _check(edition, "no_active_content").ok
    assert _check(edition, "links").ok


def _broken(sample: Edition, html: str, **changes) -> Edition:
    return replace(sample, html=html, **changes)


def test_preflight_catches_what_an_editor_must_fix(sample: Edition, config: Config) -> None:
    bad_html = sample.html.replace(
        "</body>",
        '<a href="/relative">x</a><a href="http://plain.example.com">y</a>'
        '<img src="https://img.example.com/a.png"><p>{{ story.title }} TODO</p></body>',
    )
    checks = {
        c.name: c
        for c in run(
            _broken(sample, bad_html, subject="S" * 79, preheader="court"),
            config,
        )
    }
    assert not checks["links"].ok and "/relative" in checks["links"].detail
    assert not checks["https"].ok and "plain.example.com" in checks["https"].detail
    assert not checks["alt_text"].ok and "img.example.com" in checks["alt_text"].detail
    assert not checks["template_markers"].ok and "{{" in checks["template_markers"].detail
    assert not checks["subject_length"].ok and not checks["preheader_length"].ok
    big = _broken(sample, sample.html.replace("</body>", "<p>" + "x" * 110_000 + "</p></body>"))
    assert not next(c for c in run(big, config) if c.name == "html_size").ok


def test_build_writes_the_four_files(
    db: sqlite3.Connection, sample: Edition, config: Config, tmp_path: Path
) -> None:
    folder = write_out(db, sample, config, tmp_path / "out")
    assert folder == tmp_path / "out" / "2024-05-21"
    assert sorted(p.name for p in folder.iterdir()) == [
        "digest.txt",
        "index.html",
        "message.eml",
        "stories.json",
    ]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "__DIGEST_UNSUBSCRIBE" not in index
    assert 'href="https://digest.example.org/unsubscribe"' in index
    data = json.loads((folder / "stories.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in data["stories"]] == [s.id for s in sample.stories]
    assert {"id", "headline", "summary", "amount", "conflicts", "items"} <= set(data["stories"][0])
    message = email.message_from_bytes(
        (folder / "message.eml").read_bytes(), policy=email.policy.default
    )
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"].strip() == sample.subject  # folded by the sender: strip the fold
    kinds = [p.get_content_type() for p in message.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    html_part = message.get_body(("html",)).get_content()
    assert "À la une" in html_part and "__DIGEST_UNSUBSCRIBE" not in html_part
    assert (folder / "digest.txt").read_text(encoding="utf-8").startswith("LE DIGEST · N° 3")


def test_theme_tokens_reach_the_email(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "feeds:\n  - {name: Local, url: feed.xml}\n"
        "newsletter: {name: La Lettre Test, tagline: Une accroche, postal_address: 1 rue X}\n"
        "theme:\n  primary: '#0A7A5A'\n  logo_url: https://cdn.example.org/logo@2x.png\n"
        "  social: {LinkedIn: 'https://www.linkedin.com/company/x', Mastodon: 'https://m.example/@x'}\n",
        encoding="utf-8",
    )
    config = load_config(path)
    edition = _edition(sample_stories(), config)
    page = parse(edition.html)
    assert page.images == [("https://cdn.example.org/logo@2x.png", "La Lettre Test")]
    assert "https://www.linkedin.com/company/x" in page.links
    assert "#0a7a5a" in edition.html and "#5b2ee8" not in edition.html
    assert (
        "Une accroche" in edition.html and "1 rue X" in edition.html and "1 rue X" in edition.text
    )
    assert "Mastodon\u202f: https://m.example/@x" in edition.text
    assert _check(edition, "alt_text").ok


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("theme: {primary: blue}", "theme.primary: 'blue' is not a colour"),
        ("theme: {logo_url: 'http://x.org/l.png'}", "must be an absolute https:// URL"),
        ("theme: {social: {X: 'javascript:alert(1)'}}", "social links must be absolute https://"),
    ],
)
def test_bad_theme_is_refused_with_a_clear_message(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(f"feeds:\n  - {{name: Local, url: feed.xml}}\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(path)

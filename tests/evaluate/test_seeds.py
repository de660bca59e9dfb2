"""The user's own example (issue 14): the five articles of ../shared/seeds, each fed as the one
item of its own local feed dated 13 May 2024, through the real `digest poll` and `digest stories
--json`, must give exactly one story per announced deal, and none for deals only recalled.
Skipped when ../shared/seeds is absent (its text is third-party: it is never copied here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from tests.support.paths import SHARED

SEEDS = SHARED / "seeds"
DATE = "Mon, 13 May 2024 08:00:00 +0000"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEEDS.is_dir(), reason="no ../shared/seeds"),
]


def feed(n: int, path: Path) -> str:
    """One RSS document whose one item is the seed: its first line is the title."""
    lines = path.read_text(encoding="utf-8").strip().splitlines()
    title, text = lines[0].strip("# ").strip(), "\n".join(lines[1:])
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Seed {n}</title><link>https://seeds.example.org/</link><language>fr</language>"
        f"<item><title>{escape(title)}</title><link>https://seeds.example.org/{n}</link>"
        f'<guid isPermaLink="true">https://seeds.example.org/{n}</guid><pubDate>{DATE}</pubDate>'
        f"<description>{escape(text)}</description></item></channel></rss>\n"
    )


def digest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    return subprocess.run(
        [sys.executable, "-m", "digest", "--config", "feeds.yaml", "--db", "seeds.db", *args],
        cwd=cwd,
        env=env | {"PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    work = tmp_path_factory.mktemp("seeds")
    lines = ["feeds:"]
    for n, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        (work / f"seed{n}.xml").write_text(feed(n, path), encoding="utf-8")
        lines.append(f"  - {{name: Seed {n}, url: seed{n}.xml, lang: fr}}")
    (work / "feeds.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    digest("poll", cwd=work)
    return json.loads(digest("stories", "--json", cwd=work).stdout)["stories"]


def about(stories: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """The stories whose investor or beneficiary carries this name."""
    return [
        s
        for s in stories
        if any(name.lower() in (s.get(k) or "").lower() for k in ("investor", "beneficiary"))
    ]


def amounts(story: dict[str, Any]) -> set[tuple[float, str]]:
    a = story.get("amount") or {}
    return {(a.get("value"), a.get("currency"))}


def test_one_microsoft_france_story_with_its_four_articles_and_both_currencies(stories):
    france = [s for s in about(stories, "Microsoft") if (4e9, "EUR") in amounts(s)]
    assert len(france) == 1, [s["headline"] for s in about(stories, "Microsoft")]
    assert len(france[0]["items"]) == 4
    assert "4,3" in json.dumps(france[0], ensure_ascii=False)  # its dollar equivalent


def test_one_amazon_story_with_its_four_articles_and_the_currency_disagreement(stories):
    plan = [s for s in about(stories, "Amazon") if (1.2e9, "EUR") in amounts(s)]
    assert len(plan) == 1 and len(plan[0]["items"]) == 4
    assert any(c["field"].startswith("amount") for c in plan[0]["conflicts"])


@pytest.mark.parametrize(
    ("name", "value"),
    [("IBM", 45e6), ("FertigHy", 1.3e9), ("KL1", 300e6), ("Lilium", 400e6)],
)
def test_each_other_deal_is_one_story_with_its_amount(stories, name, value):
    found = about(stories, name)
    assert len(found) == 1 and (value, "EUR") in amounts(found[0]), found


def test_morgan_stanley_jobs_in_paris_is_one_story(stories):
    found = about(stories, "Morgan Stanley")
    assert len(found) == 1 and found[0]["jobs"], found


def test_no_story_for_deals_only_recalled(stories):
    """Microsoft in Germany, Japan, Spain, its stake in Mistral AI, Amazon's earlier plan."""
    assert len(stories) == 7, [s["headline"] for s in stories]

"""The whole flow on the sample feeds, through the real commands, checked against gold.yaml."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from digest.samples.demo import sample_config_path

GOLD = yaml.safe_load((sample_config_path().parent / "gold.yaml").read_text(encoding="utf-8"))
# The levels reached when this test was written; they may rise, never silently fall.
MIN_PAIRWISE_PRECISION = 0.97
MIN_PAIRWISE_RECALL = 0.97
MIN_FACTS_RIGHT = 0.82


def digest(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIGEST_CONFIG": str(sample_config_path()), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "digest", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """poll → stories --json → build, once, in a fresh folder."""
    work = tmp_path_factory.mktemp("flow")
    poll = digest("--db", "flow.db", "poll", cwd=work)
    stories = digest("--db", "flow.db", "stories", "--json", cwd=work)
    build = digest("--db", "flow.db", "build", "--out", "out", cwd=work)
    return {"work": work, "poll": poll, "stories": stories, "build": build}


def _together(groups: dict[str, set[str]]) -> set[frozenset[str]]:
    """Pairs of article URLs that share a group."""
    pairs: set[frozenset[str]] = set()
    for urls in groups.values():
        pairs.update(frozenset(p) for p in combinations(sorted(urls), 2))
    return pairs


def test_poll_then_stories_then_build_succeed(flow: dict[str, object]) -> None:
    for step in ("poll", "stories", "build"):
        result = flow[step]
        assert isinstance(result, subprocess.CompletedProcess)
        assert result.returncode == 0, f"{step}: {result.stderr}"


def test_stories_json_keeps_the_contract(flow: dict[str, object]) -> None:
    data = json.loads(flow["stories"].stdout)  # type: ignore[union-attr]
    assert set(data) == {"stories"} and data["stories"]
    for story in data["stories"]:
        for key in ("id", "headline", "summary", "investor", "country", "locations", "amount"):
            assert key in story
        assert story["items"] and all(
            set(i) >= {"url", "title", "feed", "published"} for i in story["items"]
        )
        if story["amount"] is not None:
            assert set(story["amount"]) >= {"value", "currency", "qualifier", "as_stated"}
        for conflict in story["conflicts"]:
            assert conflict["field"] and len(conflict["values"]) >= 2
    ids = [s["id"] for s in data["stories"]]
    assert len(ids) == len(set(ids))


def test_build_writes_the_four_files(flow: dict[str, object]) -> None:
    folders = [p for p in (flow["work"] / "out").iterdir() if p.is_dir()]  # type: ignore[operator]
    assert len(folders) == 1
    folder = folders[0]
    assert {p.name for p in folder.iterdir()} >= {
        "index.html",
        "digest.txt",
        "message.eml",
        "stories.json",
    }
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in html and "Microsoft" in html
    message = email.message_from_bytes(
        (folder / "message.eml").read_bytes(), policy=email.policy.default
    )
    assert message.get_content_type() == "multipart/alternative"
    assert message["From"] and message["Subject"] and message["List-Id"]
    assert json.loads((folder / "stories.json").read_text(encoding="utf-8"))["stories"]


def test_grouping_and_facts_against_gold(flow: dict[str, object]) -> None:
    stories = json.loads(flow["stories"].stdout)["stories"]  # type: ignore[union-attr]
    predicted: dict[str, set[str]] = defaultdict(set)
    for story in stories:
        predicted[story["id"]].update(i["url"] for i in story["items"])
    gold: dict[str, set[str]] = defaultdict(set)
    for item in GOLD["items"]:
        for mention in item["mentions"]:
            gold[mention["story"]].add(item["url"])

    gold_pairs, predicted_pairs = _together(gold), _together(predicted)
    right = gold_pairs & predicted_pairs
    precision = len(right) / len(predicted_pairs) if predicted_pairs else 0.0
    recall = len(right) / len(gold_pairs)

    checked = correct = 0
    for gold_story in GOLD["stories"]:
        urls = gold[gold_story["key"]]
        best = max(stories, key=lambda s: len(urls & {i["url"] for i in s["items"]}))
        facts = {
            "investor": gold_story.get("investor") or gold_story.get("beneficiary"),
            "amount": (gold_story.get("amount") or {}).get("value"),
            "currency": (gold_story.get("amount") or {}).get("currency"),
            "jobs": (gold_story.get("jobs") or {}).get("value"),
            "country": gold_story.get("country"),
            "locations": set(gold_story.get("locations") or []),
        }
        said = {
            "investor": best["investor"] or best.get("beneficiary"),
            "amount": (best["amount"] or {}).get("value"),
            "currency": (best["amount"] or {}).get("currency"),
            "jobs": (best["jobs"] or {}).get("value"),
            "country": best["country"],
            "locations": set(best["locations"]),
        }
        for name, value in facts.items():
            checked += 1
            correct += said[name] == value
    facts_right = correct / checked
    print(
        f"\nsample feeds: pairwise precision {precision:.3f} recall {recall:.3f}; "
        f"facts right {facts_right:.3f} ({correct}/{checked}); "
        f"{len(gold)} gold stories, {len(predicted)} predicted"
    )
    assert precision >= MIN_PAIRWISE_PRECISION
    assert recall >= MIN_PAIRWISE_RECALL
    assert facts_right >= MIN_FACTS_RIGHT


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "c.yaml", "--db", "x.db", "stories", "--json"],
        ["stories", "--json", "--config", "c.yaml", "--db=x.db"],
        ["stories", "--config=c.yaml", "--json", "--db", "x.db"],
    ],
)
def test_config_and_db_are_accepted_before_or_after_the_command(argv: list[str]) -> None:
    from digest.cli import hoist_global_options

    hoisted = hoist_global_options(argv)
    assert hoisted[hoisted.index("stories") :] == ["stories", "--json"]
    assert " ".join(hoisted[: hoisted.index("stories")]).replace("=", " ").split() == [
        "--config",
        "c.yaml",
        "--db",
        "x.db",
    ]


def test_since_and_until_select_stories_by_publication_date(flow: dict[str, object]) -> None:
    work = flow["work"]
    assert isinstance(work, Path)
    everything = json.loads(flow["stories"].stdout)["stories"]  # type: ignore[union-attr]
    env_db = {"DIGEST_DB": str(work / "flow.db")}
    late = digest("stories", "--json", "--since", "2024-05-20", cwd=work, env=env_db)
    early = digest("stories", "--json", "--until", "2024-05-13", cwd=work, env=env_db)
    assert late.returncode == 0 and early.returncode == 0
    late_ids = {s["id"] for s in json.loads(late.stdout)["stories"]}
    early_ids = {s["id"] for s in json.loads(early.stdout)["stories"]}
    assert late_ids and early_ids and late_ids | early_ids <= {s["id"] for s in everything}
    for story in everything:
        dates = [i["published"][:10] for i in story["items"]]
        assert (story["id"] in late_ids) == any(d >= "2024-05-20" for d in dates)
        assert (story["id"] in early_ids) == any(d < "2024-05-13" for d in dates)
    bad = digest("stories", "--json", "--since", "hier", cwd=work, env=env_db)
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_bad_config_exits_2_naming_file_line_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "feeds.yaml"
    bad.write_text("feeds:\n  - name: X\n    url: htp://x\n", encoding="utf-8")
    result = digest("build", "--config", str(bad), cwd=tmp_path)
    assert result.returncode == 2
    assert "feeds.yaml:3: feeds[0].url: 'htp://x' is not a URL" in result.stderr

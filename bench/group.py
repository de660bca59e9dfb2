"""`make bench-group`: 10 000, 50 000 and 100 000 synthetic mentions through the grouping core.

The mentions are made from the labelled corpus (tests/corpus/*.yaml): each synthetic deal copies
one labelled mention and its item with another investor (from a pool of 3 000), another amount
and another date, is reworded (a third of its words dropped, then a twentieth per outlet) and is
told by 1 to 6 outlets over two days. Deals arrive at a steady rate, so the store grows with the
size while the news of any one week stays alike. Mentions arrive in polls of 500. Each size runs
in its own process, so its peak memory (max RSS) is its own. Printed: mentions/s overall, µs
per mention over the last tenth (the cost of a new mention once the store is full), peak
memory, and the last-tenth cost at 100 000 against 10 000.

`python bench/group.py --db [SIZES…]` runs the same mentions through the store instead: the poll
and read stages' own store functions put each poll in SQLite, then `group_pending` places it
(only `group_pending` is timed), as `digest poll` followed by `digest stories` would.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from digest.codec import from_dict
from digest.group.grouper import Grouper
from digest.models import Item, Mention

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
SIZES = (10_000, 50_000, 100_000)
POLL = 500
DEALS_PER_DAY = 40
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def templates() -> list[tuple[Mention, Item]]:
    """Every labelled mention of the corpus items that carry their text inline."""
    out = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for n, raw in enumerate((yaml.safe_load(path.read_text(encoding="utf-8")) or {})["items"]):
            if not raw.get("text"):
                continue
            item = Item(
                feed_id=1,
                guid=raw["id"],
                url=raw["url"],
                title=raw["title"],
                text=raw["text"],
                published=T0,
                id=n,
            )
            for m in raw.get("mentions") or []:
                fields = {k: v for k, v in m.items() if k != "story"}
                out.append((from_dict(Mention, {**fields, "item_id": n}), item))
    if not out:
        sys.exit(f"no labelled mention found in {CORPUS}/*.yaml")
    return out


def _swap(text: str, old: str | None, new: str) -> str:
    return text.replace(old, new) if old else text


def _reword(text: str, rng: random.Random, keep: float) -> str:
    """Another wording: each word kept with probability `keep` (outlets differ, deals more)."""
    return " ".join(w for w in text.split() if rng.random() < keep)


def synthetic(size: int, seed: int = 7) -> list[tuple[Mention, Item]]:
    """`size` mentions of about size/3.5 deals, in arrival order (polls of mixed outlets)."""
    rng = random.Random(seed)
    base = templates()
    out: list[tuple[Mention, Item]] = []
    deal = 0
    while len(out) < size:
        mention, item = base[deal % len(base)]
        name = f"Groupe {rng.randrange(3000):04d}"
        factor = rng.choice([0.05, 0.2, 0.5, 1, 2, 3, 7, 15])
        day = T0 + timedelta(days=deal / DEALS_PER_DAY)
        old = mention.beneficiary if mention.kind == "funding_round" else mention.investor
        text = _reword(_swap(item.text, old, name), rng, 0.7)
        for outlet in range(rng.randint(1, 6)):
            amount = mention.amount and replace(
                mention.amount, value=round(mention.amount.value * factor, -3), equivalents=[]
            )
            m = replace(
                mention,
                investor=name if mention.kind != "funding_round" else mention.investor,
                beneficiary=name if mention.kind == "funding_round" else mention.beneficiary,
                amount=amount,
            )
            guid = f"syn-{deal}-{outlet}"
            i = replace(
                item,
                guid=guid,
                url=f"https://outlet{outlet}.example/{guid}",
                title=_swap(item.title, old, name) + f" ({outlet})",
                text=_reword(text, rng, 0.95),
                published=day + timedelta(hours=rng.uniform(0, 48)),
                feed_name=f"Outlet {outlet}",
                id=None,
            )
            out.append((m, i))
        deal += 1
    return out[:size]


def _tail_start(size: int) -> int:
    """Where the last tenth begins, on a poll boundary (at least the last poll)."""
    return min(size - size // 10, size - 1) // POLL * POLL


def run_db(size: int, folder: Path) -> dict[str, float]:
    """The same mentions through the store: poll's and read's own functions put each poll's
    items and mentions in SQLite, then `group_pending` places them (only it is timed)."""
    from digest.config import parse_config
    from digest.group.grouper import GroupSettings, group_pending
    from digest.models import Feed
    from digest.poll.entries import canonical_url
    from digest.store import feeds as feed_store
    from digest.store import items as item_store
    from digest.store import mentions as mention_store
    from digest.store import open_db, transaction
    from digest.store.grouping import StoryStore

    config = parse_config("feeds:\n  - {name: Bench, url: bench.xml}\n", folder / "feeds.yaml")
    db = open_db(folder / "bench.db")
    pairs = synthetic(size)
    feed_ids = {}
    for name in sorted({i.feed_name for _, i in pairs}):
        feed_store.add(db, Feed(name=name, url=f"https://{name.replace(' ', '')}.example/rss"))
        feed_ids[name] = next(f.id for f in feed_store.listed(db) if f.name == name)
    tail_start = _tail_start(size)
    grouped = tail = 0.0
    for start in range(0, size, POLL):
        poll = pairs[start : start + POLL]
        read: dict[str, tuple[Item, list[Mention]]] = {}
        with transaction(db):
            for m, i in poll:
                if i.guid not in read:
                    stored = replace(i, feed_id=feed_ids[i.feed_name], content_hash=i.guid)
                    canonical = canonical_url(stored.url)
                    _, stored.id = item_store.upsert(db, stored, dated=True, canonical=canonical)
                    read[i.guid] = (stored, [])
                read[i.guid][1].append(replace(m))
        mention_store.save(db, list(read.values()))
        began = time.perf_counter()
        group_pending(StoryStore(db), GroupSettings.of(config))
        spent = time.perf_counter() - began
        grouped += spent
        tail += spent if start >= tail_start else 0.0
    stories = db.execute("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").fetchone()[0]
    db.close()
    return {
        "size": size,
        "seconds": grouped,
        "per_s": size / grouped,
        "tail_us": tail / (size - tail_start) * 1e6,
        "stories": stories,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run(size: int) -> dict[str, float]:
    pairs = synthetic(size)
    grouper = Grouper()
    tail_start = _tail_start(size)
    started = time.perf_counter()
    tail_started = started
    examined = 0
    for start in range(0, size, POLL):
        if start == tail_start:
            tail_started = time.perf_counter()
            examined = grouper.examined
        grouper.group(pairs[start : start + POLL])
    ended = time.perf_counter()
    live = len(grouper.stories) - len(grouper.merged)
    return {
        "size": size,
        "seconds": ended - started,
        "per_s": size / (ended - started),
        "tail_us": (ended - tail_started) / (size - tail_start) * 1e6,
        "tail_fits": (grouper.examined - examined) / (size - tail_start),
        "stories": live,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    if len(sys.argv) >= 3 and sys.argv[1] == "--size":
        size = int(sys.argv[2])
        if len(sys.argv) == 4:
            with tempfile.TemporaryDirectory(prefix="bench-group-") as tmp:
                print(json.dumps(run_db(size, Path(tmp))))
        else:
            print(json.dumps(run(size)))
        return
    db = "--db" in sys.argv
    sizes = [int(a) for a in sys.argv[1:] if a != "--db"] or list(SIZES)
    where = "group_pending over SQLite" if db else "the in-memory core"
    print(f"{where}, polls of {POLL}")
    print(f"{'mentions':>9} {'stories':>8} {'seconds':>8} {'mentions/s':>11} "
          f"{'µs/mention (last 10%)':>22} {'fits/mention':>13} {'peak MB':>8}")  # fmt: skip
    results = []
    for size in sizes:
        command = [sys.executable, __file__, "--size", str(size), *(["--db"] if db else [])]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            sys.exit(done.stderr)
        r = json.loads(done.stdout)
        results.append(r)
        fits = f"{r['tail_fits']:.1f}" if "tail_fits" in r else "-"
        print(
            f"{r['size']:>9} {r['stories']:>8} {r['seconds']:>8.1f} {r['per_s']:>11.0f} "
            f"{r['tail_us']:>22.0f} {fits:>13} {r['peak_mb']:>8.0f}"
        )
    if len(results) > 1:
        ratio = results[-1]["tail_us"] / results[0]["tail_us"]
        verdict = "within" if ratio <= 2 else "NOT within"
        print(
            f"cost of a new mention at {results[-1]['size']} vs {results[0]['size']}: "
            f"×{ratio:.2f} ({verdict} 2×; time on a shared machine varies, fits do not)"
        )


if __name__ == "__main__":
    main()

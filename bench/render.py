"""`make bench-render`: compose + render editions of 10, 30 and 100 stories.

The stories come from digest.samples.editions (our own wording, the shapes of a real week:
conflicts, updates, rounds, briefs). Each size is rendered a few times after one warm-up (the
first render loads and compiles the templates); printed: ms per edition for compose and render
(median), HTML size against Gmail's 102 KB clipping limit, text size, how many "En bref" lines
the email left to the web version (an edition too long for the limit still goes, shortened),
and the failed checks.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

from digest.config import load_config
from digest.edition.compose import compose
from digest.edition.render import render
from digest.samples.editions import WEEK_END, WEEK_START, synthetic_stories

SIZES = (1, 10, 30, 100, 300)
RUNS = 7


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feeds.yaml"
        path.write_text("feeds:\n  - {name: Bench, url: feed.xml}\n", encoding="utf-8")
        config = load_config(path)
    print(
        f"{'stories':>8} {'compose ms':>11} {'render ms':>10} {'HTML KB':>8} {'text KB':>8}"
        f" {'web only':>9}  checks"
    )
    for n in SIZES:
        stories = synthetic_stories(n)
        composed, rendered = [], []
        for run in range(RUNS + 1):
            t0 = time.perf_counter()
            edition = compose(
                stories,
                config,
                number=1,
                period_start=WEEK_START,
                period_end=WEEK_END,
                created_at=WEEK_END,
            )
            t1 = time.perf_counter()
            edition = render(edition, config)
            t2 = time.perf_counter()
            if run:  # the first run warms the template cache
                composed.append((t1 - t0) * 1000)
                rendered.append((t2 - t1) * 1000)
        html_kb = len(edition.html.encode()) / 1024
        text_kb = len(edition.text.encode()) / 1024
        failed = list(dict.fromkeys(c.name for c in edition.checks if not c.ok)) or ["all ok"]
        cut = re.search(r"… et (\d+) autres? brèves? dans la version en ligne", edition.html)
        web_only = int(cut.group(1)) if cut else 0
        print(
            f"{n:>8} {statistics.median(composed):>11.1f} {statistics.median(rendered):>10.1f}"
            f" {html_kb:>8.1f} {text_kb:>8.1f} {web_only:>9}  {', '.join(failed)}"
        )
    print("Gmail clips an HTML part above about 102 KB; the html_size check allows 100 KB.")


if __name__ == "__main__":
    main()

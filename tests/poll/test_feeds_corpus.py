"""Every file of ../shared/feeds-corpus through the parse path of the poller (the worker pool,
with its time and memory limits): items or a readable error, never an exception, and the
hostile files' expectations (feeds-corpus README §2 and §4) hold."""

from __future__ import annotations

import io
import json
import re
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import feedparser
import pytest
import yaml

from digest.config import load_config
from digest.poll.entries import keyed_entries
from digest.poll.parse import ParsedFeed
from digest.poll.poller import poll_feeds
from digest.poll.workers import ParsePool
from digest.store import items as item_store
from tests.support.paths import REPO, SHARED
from tests.support.pollserver import FeedServer, fixed

CORPUS = SHARED / "feeds-corpus"
HOSTILE = CORPUS / "hostile"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/feeds-corpus is absent")
_HEADER = re.compile(rb"^Header:\s*([\w-]+):\s*(.*?)\s*$", re.M)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
MAX_ITEMS = 500


def samples() -> list[Path]:
    skip = {"LICENSE", "README.md", "manifest.json", "make_big.py", "measure_feedparser.py"}
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in skip)


def headers_of(body: bytes) -> dict[str, str]:
    """The HTTP headers a sample asks to be served with (its `Header:` comment lines)."""
    found = {k.decode().lower(): v.decode("latin-1") for k, v in _HEADER.findall(body[:4096])}
    return found


@pytest.fixture(scope="module")
def pool():
    p = ParsePool(workers=2, timeout=30, memory_mb=1024)
    yield p
    p.close()


@pytest.fixture(scope="module")
def results(pool) -> dict[str, ParsedFeed]:
    files = samples()

    def run(path: Path) -> ParsedFeed:
        body = path.read_bytes()
        return pool.parse(body, headers_of(body), "", MAX_ITEMS)

    with ThreadPoolExecutor(pool.size) as threads:
        parsed = list(threads.map(run, files))
    return {str(p.relative_to(CORPUS)): r for p, r in zip(files, parsed, strict=True)}


def texts(result: ParsedFeed) -> list[str]:
    return [t for e in result.entries for t in (e.title, e.text, e.url, e.guid)]


def test_every_file_gives_items_or_a_readable_error(results):
    assert len(results) > 2100
    for name, r in results.items():
        assert isinstance(r, ParsedFeed), name
        if r.error:
            assert not r.entries and 10 < len(r.error) <= 500, name
        assert r.error or r.entries or r.version, name
        assert "took longer" not in (r.error or "") and "died" not in (r.error or ""), name


def test_wellformed_samples_lose_no_item(results):
    checked = 0
    for name, r in results.items():
        if not name.startswith("feedparser/wellformed/"):
            continue
        body = (CORPUS / name).read_bytes()
        expected = feedparser.parse(io.BytesIO(body), response_headers=headers_of(body))
        if expected.entries:
            assert r.error is None, (name, r.error)
            assert len(r.entries) == min(len(expected.entries), MAX_ITEMS), name
            checked += 1
    assert checked > 1000


def test_entity_bombs_are_not_expanded_and_external_entities_not_read(results):
    for name in (
        "billion_laughs.xml",
        "billion_laughs_one_line.xml",
        "billion_laughs_after_comment.xml",
        "quadratic_blowup.xml",
        "xxe_local_file.xml",
        "xxe_after_comment.xml",
        "xxe_ssrf_loopback.xml",
    ):
        r = results[f"hostile/{name}"]
        size = (HOSTILE / name).stat().st_size
        assert sum(map(len, texts(r))) < size, name  # nothing expanded: no amplification
        assert not any("root:" in t for t in texts(r)), name
    assert results["hostile/billion_laughs.xml"].entries[0].title == "&lol9;"


def test_the_larger_quadratic_blowup_is_defused(pool, tmp_path):
    made = subprocess.run(
        [sys.executable, str(HOSTILE / "make_big.py"), "quadratic", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    path = Path(made.stdout.strip().splitlines()[-1].split()[-1])
    body = path.read_bytes()
    r = pool.parse(body, {}, "", MAX_ITEMS)
    assert r.error is None and sum(map(len, texts(r))) < len(body)


def test_empty_bodies_html_pages_and_local_paths_are_errors(results):
    assert results["hostile/empty.xml"].error.startswith("empty response")
    assert results["hostile/not_a_feed.html"].error == "not a feed: the server sent an HTML page"
    path_body = results["hostile/body_is_a_local_path.xml"]
    assert path_body.error.startswith("not a feed") and "passwd" not in path_body.error


def test_markup_and_urls_are_cleaned(results):
    for name in ("hostile/xss_injection_rss.xml", "hostile/xss_injection_atom.xml"):
        r = results[name]
        assert r.entries
        for e in r.entries:
            assert e.url == "" or e.url.startswith(("https://", "http://")), e.url
            for text in (e.title, e.text):
                # `<scr<script>ipt>alert('split tag')…` is text for a browser too: inert
                calls = set(re.findall(r"alert\([^)]*\)", text)) - {"alert('split tag')"}
                assert "<" not in text and not calls, text
        assert r.title == "" or "<" not in r.title


def test_bytes_encodings_control_characters_and_dates(results):
    bad = results["hostile/invalid_utf8.xml"]
    assert [e.title for e in bad.entries][::2] == ["valid before: café", "valid after: € euro"]
    for name in (
        "encoding_declared_utf8_sent_cp1252.xml",
        "encoding_declared_latin1_sent_utf8.xml",
        "encoding_declared_utf16_sent_utf8.xml",
    ):
        assert results[f"hostile/{name}"].entries[0].title == "Café crème brûlée", name
    control = results["hostile/control_chars.xml"]
    assert len(control.entries) == 3
    assert not any(_CONTROL.search(t) for t in texts(control))
    dates = results["hostile/broken_dates.xml"]
    assert len(dates.entries) == 42
    assert all(e.published is None or e.published.year >= 1990 for e in dates.entries)


def test_duplicates_truncation_and_size(results):
    keyed = keyed_entries(results["hostile/duplicate_guids.xml"].entries)
    titles = sorted(e.title for _, e, _ in keyed)
    assert len(titles) == 8 and "A updated" in titles and "A original" not in titles
    assert "B different item, same guid" in titles and "D no guid, same link as A" in titles
    truncated = results["hostile/truncated_mid_item.xml"]
    assert [e.title for e in truncated.entries][:2] == ["complete item 1", "complete item 2"]
    many = results["hostile/many_items_10000.xml"]
    assert (len(many.entries), many.dropped) == (MAX_ITEMS, 10_000 - MAX_ITEMS)


_AUDIT = """
import json, sys
from digest.poll.parse import parse_feed
bodies = [open(p, "rb").read() for p in sys.argv[1:]]
seen = []
def hook(event, args):
    if event == "open" and args and "passwd" in str(args[0]):
        seen.append(str(args[0]))
    if event in ("socket.connect", "urllib.Request"):
        seen.append(event + " " + str(args))
sys.addaudithook(hook)
results = [parse_feed(b) for b in bodies]
print(json.dumps({"seen": seen, "titles": [[e.title for e in r.entries] for r in results]}))
"""


def test_parsing_opens_no_file_and_no_socket(tmp_path):
    canary = socket.socket()
    canary.bind(("127.0.0.1", 0))
    canary.listen()
    canary.setblocking(False)
    port = canary.getsockname()[1]
    ssrf = tmp_path / "ssrf.xml"
    ssrf.write_bytes(
        (HOSTILE / "xxe_ssrf_loopback.xml").read_bytes().replace(b"8765", str(port).encode())
    )
    files = [
        HOSTILE / n
        for n in ("xxe_local_file.xml", "xxe_after_comment.xml", "body_is_a_local_path.xml")
    ]
    run = subprocess.run(
        [sys.executable, "-c", _AUDIT, *map(str, files), str(ssrf)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    report = json.loads(run.stdout)
    assert report["seen"] == []
    assert not any("root:" in t for titles in report["titles"] for t in titles)
    with pytest.raises(BlockingIOError):
        canary.accept()  # nothing connected to the canary
    canary.close()


def test_hostile_feeds_served_over_http_go_through_the_whole_poll(tmp_path, db):
    server = FeedServer()
    files = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".xml", ".html"))
    feeds = []
    for path in files:
        body = path.read_bytes()
        kind = "text/html" if path.suffix == ".html" else "application/rss+xml"
        server.routes[f"/{path.name}"] = fixed(200, body, {"Content-Type": kind})
        feeds.append({"name": path.name, "url": server.url(f"/{path.name}")})
    polling = {"allow_private_addresses": True}  # the test server is on 127.0.0.1
    text = yaml.safe_dump({"feeds": feeds, "polling": polling})
    (tmp_path / "feeds.yaml").write_text(text, encoding="utf-8")
    try:
        report = poll_feeds(db, load_config(tmp_path / "feeds.yaml"))
    finally:
        server.close()
    outcomes = {o.name: o for o in report.outcomes}
    assert len(outcomes) == len(files)
    failed = {name for name, o in outcomes.items() if o.status == "failed"}
    assert failed == {"empty.xml", "not_a_feed.html", "body_is_a_local_path.xml"}
    assert all(outcomes[name].error for name in failed)
    assert outcomes["many_items_10000.xml"].new == MAX_ITEMS
    stored = item_store.unread(db)
    assert all(i.url == "" or i.url.startswith(("http://", "https://")) for i in stored)
    assert all(i.published.tzinfo is not None for i in stored)
    assert not any("root:" in i.text or "root:" in i.title for i in stored)

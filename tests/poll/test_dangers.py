"""The feed-parsing dangers of issue 3 point 4, on small inline documents, through the parse
workers the poller uses: so a clone without ../shared/feeds-corpus still tests them.

Already covered elsewhere and not repeated here: empty body and HTML page errors
(test_poll_http), ``0000-00-00`` and future dates, a tab-split and a half-encoded
``javascript:`` link, HTML in a title (test_poll_items).
"""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.poll.parse import ParsedFeed
from digest.poll.workers import ParsePool

PASSWD = Path("/etc/passwd")
G1 = "https://ex.org/g1"
ITEM = (
    b"<item><guid>https://ex.org/g1</guid><title>Titre</title><description>%s</description></item>"
)


def with_dtd(dtd: bytes, description: bytes, before: bytes = b"") -> bytes:
    """An RSS document with an internal DTD subset and one item whose description is given."""
    return (
        before
        + b"<!DOCTYPE rss ["
        + dtd
        + b']>\n<rss version="2.0"><channel><title>Fil</title>'
        + ITEM % description
        + b"</channel></rss>"
    )


QUADRATIC = with_dtd(b'<!ENTITY big "' + b"Q" * 2000 + b'">', b"&big;" * 2000)
LAUGHS = b'<!ENTITY lol0 "lol">' + b"".join(
    b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)
)
BILLION = with_dtd(LAUGHS, b"&lol9;")
BILLION_AFTER_COMMENT = with_dtd(LAUGHS, b"&lol9;", before=b'<!-- <rss version="2.0"> -->\n')


def texts(result: ParsedFeed) -> list[str]:
    return [result.title] + [t for e in result.entries for t in (e.guid, e.title, e.text, e.url)]


@pytest.fixture(scope="module")
def pool() -> Iterator[ParsePool]:
    pool = ParsePool(workers=1, timeout=120, memory_mb=1024)
    yield pool
    pool.close()


@pytest.mark.parametrize(
    "body", [QUADRATIC, BILLION, BILLION_AFTER_COMMENT], ids=["quadratic", "laughs", "comment"]
)
def test_internal_entities_are_never_expanded_and_the_item_is_kept(pool, body):
    result = pool.parse(body, {}, "https://ex.org/feed", 500)
    assert result.error is None  # not a memory or time limit: nothing was expanded
    assert [e.guid for e in result.entries] == [G1]
    assert sum(len(t) for t in texts(result)) < 20_000  # expanded: 4 million / 3 billion chars
    assert not any("Q" * 2000 in t or "lol" * 100 in t for t in texts(result))


def test_a_body_that_names_a_local_file_is_a_broken_document_not_that_file(pool):
    if "root:" not in PASSWD.read_text(errors="replace"):
        pytest.skip("no /etc/passwd with a root line to recognise")
    for body in (b"/etc/passwd", b"file:///etc/passwd"):
        result = pool.parse(body, {}, "", 500)
        assert result.error is not None and result.error.startswith("not a feed"), body
        assert result.entries == [] and "root:" not in result.error


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A real port on 127.0.0.1 that an entity fetch would connect to."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    sock.setblocking(False)
    yield sock
    sock.close()


# Run as a script file so that the spawned parse worker re-imports it as __mp_main__ and
# installs the same audit hook (sys.addaudithook cannot be removed: never in pytest's process).
AUDITED = textwrap.dedent(
    """
    import json, os, sys

    def hook(event, args):
        if event == "open" and "passwd" in str(args[0]) or event == "socket.connect":
            os.write(2, f"AUDIT {os.getpid()} {event} {args[0]!r}\\n".encode())

    sys.addaudithook(hook)
    os.write(2, f"HOOKED {os.getpid()}\\n".encode())

    if __name__ == "__main__":
        from digest.poll.workers import ParsePool

        pool = ParsePool(workers=1, timeout=120, memory_mb=1024)
        out = []
        for body in json.loads(sys.argv[1]):
            r = pool.parse(body.encode(), {}, "https://ex.org/feed", 500)
            texts = [r.title] + [t for e in r.entries for t in (e.title, e.text, e.url)]
            out.append({"error": r.error, "guids": [e.guid for e in r.entries], "texts": texts})
        pool.close()
        open("/etc/passwd").close()  # the hook's own check: this one must be seen
        print(json.dumps({"results": out, "main": os.getpid()}))
    """
)


def test_external_entities_open_no_file_and_no_connection(tmp_path, listener):
    if "root:" not in PASSWD.read_text(errors="replace"):
        pytest.skip("no /etc/passwd with a root line to recognise")
    port = listener.getsockname()[1]
    there = f"http://127.0.0.1:{port}"
    bodies = [
        with_dtd(b'<!ENTITY xxe SYSTEM "file:///etc/passwd">', b"&xxe;"),
        with_dtd(
            b'<!ENTITY xxe SYSTEM "file:///etc/passwd">',
            b"&xxe;",
            before=b'<!-- <rss version="2.0"> -->\n',
        ),
        with_dtd(b'<!ENTITY % remote SYSTEM "' + there.encode() + b'/dtd"> %remote;', b"&x;"),
        b'<!DOCTYPE rss SYSTEM "'
        + there.encode()
        + b'/rss.dtd">\n<rss version="2.0"><channel><title>Fil</title>'
        + ITEM % b"&x;"
        + b"</channel></rss>",
    ]
    script = tmp_path / "audited.py"
    script.write_text(AUDITED, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(script), json.dumps([b.decode() for b in bodies])],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    main = report["main"]
    hooked = set(map(int, re.findall(r"^HOOKED (\d+)$", run.stderr, re.M)))
    assert main in hooked and len(hooked) == 2  # the hook ran in the parse worker too
    seen = re.findall(r"^AUDIT (\d+) (\S+) (.*)$", run.stderr, re.M)
    assert seen == [(str(main), "open", "'/etc/passwd'")]  # only the script's own check
    for result in report["results"]:
        assert result["guids"] == [G1], result
        assert not any("root:" in t for t in result["texts"]), result
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected


JAVASCRIPT = "".join(f"&amp;#{ord(c)};" for c in "javascript:")  # text "&#106;&#97;..."
HOSTILE_LINKS = f"""<rss version="2.0"><channel>
<title>&lt;script&gt;alert(0)&lt;/script&gt;Fil</title>
<item><guid>tag:ex.org,2024:j1</guid>
<title>&lt;script&gt;alert(1)&lt;/script&gt;Levée &lt;b&gt;record&lt;/b&gt;</title>
<link>{JAVASCRIPT}alert(1)</link>
<description>&lt;a href="javascript:alert(2)"&gt;lire&lt;/a&gt;</description></item>
<item><guid>tag:ex.org,2024:j2</guid><title>deux</title>
<link>{JAVASCRIPT.replace("&amp;", "&")}alert(1)</link></item>
<item><guid>tag:ex.org,2024:j3</guid><title>trois</title><link>java&#9;script:alert(1)</link></item>
<item><guid>tag:ex.org,2024:j4</guid><title>quatre</title><link>&amp;#x6A;ava&amp;#x09;script&amp;colon;x</link></item>
<item><guid>tag:ex.org,2024:j5</guid><title>cinq</title><link>https://ex.org/ok</link></item>
</channel></rss>""".encode()
HOSTILE_ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>tag:ex.org,2024:a1</id>
<title type="text">&lt;script&gt;alert(1)&lt;/script&gt;Atome</title>
<link rel="alternate" href="&#106;avas&amp;#x63;ript:alert(1)"/>
<link rel="alternate" href="https://ex.org/a1"/></entry></feed>"""


def decoded(url: str) -> str:
    return re.sub(r"\s", "", html.unescape(html.unescape(url))).lower()


@pytest.mark.parametrize("address", ["", "https://ex.org/feed"], ids=["file", "http"])
def test_encoded_javascript_links_are_dropped_and_script_titles_come_out_clean(pool, address):
    rss = pool.parse(HOSTILE_LINKS, {}, address, 500)
    atom = pool.parse(HOSTILE_ATOM, {}, address, 500)
    assert rss.error is None and atom.error is None
    urls = {e.guid.rsplit(":", 1)[1]: e.url for e in rss.entries + atom.entries}
    assert urls.pop("j5") == "https://ex.org/ok" and urls.pop("a1") == "https://ex.org/a1"
    if not address:
        assert set(urls.values()) == {""}, urls
    for url in urls.values():  # with an http address, feedparser makes a link relative to it
        assert url == "" or re.match(r"https://ex\.org/", decoded(url)), url
    titles = {e.guid.rsplit(":", 1)[1]: e.title for e in rss.entries + atom.entries}
    assert (rss.title, titles["j1"], titles["a1"]) == ("Fil", "Levée record", "Atome")
    for text in [rss.title, atom.title] + [e.title + e.text for e in rss.entries + atom.entries]:
        assert "<" not in text and "alert" not in text, text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_defuse_itself_strips_every_entity_declaration(encoding: str) -> None:
    """Our own defence, apart from feedparser's: no declaration survives, in any encoding."""
    from digest.poll.parse import defuse

    doc = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<!-- <rss> -->\n'
        '<!DOCTYPE rss [<!ENTITY big "' + "x" * 500 + '"><!ENTITY more "&big;&big;">]>\n'
        "<rss><channel><title>&more;</title></channel></rss>"
    ).encode(encoding)
    cleaned, headers = defuse(doc, {})
    assert b"<!ENTITY" not in cleaned and b"x" * 500 not in cleaned
    assert headers["content-type"].endswith("utf-8")

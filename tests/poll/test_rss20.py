"""rss20 reads a plain RSS 2.0 document into the very items feedparser gives, and leaves every
other document to feedparser: each document of ../shared/feeds-corpus and a few of our own are
parsed both ways and compared field by field."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from digest.poll import rss20
from digest.poll.parse import ParsedFeed, parse_feed
from tests.poll.test_dangers import BILLION
from tests.poll.test_feeds_corpus import CORPUS, headers_of, samples

URL = "https://example.org/news/feed.xml"
HEAD = '<?xml version="1.0" encoding="utf-8"?>'
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"


def both_ways(body: bytes, headers: dict[str, str], url: str = URL) -> tuple[ParsedFeed, ...]:
    slow = parse_feed(body, headers, url, 500, fast=False)
    fast = parse_feed(body, headers, url, 500)
    assert slow.reader != "rss20"
    return slow, fast


def same(slow: ParsedFeed, fast: ParsedFeed) -> bool:
    a, b = asdict(slow), asdict(fast)
    del a["reader"], b["reader"]
    return a == b


def rss(items: str, channel: str = "<title>Fil</title>", root: str = "") -> bytes:
    return (
        f'{HEAD}<rss version="2.0" xmlns:content="{CONTENT}" xmlns:dc="{DC}"{root}>'
        f"<channel>{channel}{items}</channel></rss>"
    ).encode()


READ_HERE = {
    "plain": rss(
        "<item><title>Quillon lève 4 M€</title><link>https://ex.org/a?utm_source=rss</link>"
        "<guid isPermaLink='false'>q-1</guid><pubDate>Mon, 03 Mar 2025 08:00:00 GMT</pubDate>"
        "<description><![CDATA[<p>La jeune pousse <b>nantaise</b>.</p>]]></description>"
        "<category>Levées</category><dc:creator>Léa</dc:creator></item>"
    ),
    "content after description": rss(
        "<item><title>A</title><description>teaser</description>"
        "<content:encoded><![CDATA[<p>The whole text, longer than the teaser.</p>]]>"
        "</content:encoded></item>"
    ),
    "content before description": rss(
        "<item><title>A</title><content:encoded>&lt;p&gt;Full&lt;/p&gt;</content:encoded>"
        "<description>A teaser longer than the text</description></item>"
    ),
    "permalink guid, relative link": rss(
        "<item><title>A</title><guid>/articles/1</guid></item>"
        "<item><title>B</title><link>../b?x=1&amp;y=2</link><guid>https://ex.org/b</guid></item>"
    ),
    "guid and an empty link": rss(
        "<item><title>A</title><guid>https://ex.org/a</guid><link/></item>"
        "<item><title>B</title><link> </link><guid>https://ex.org/b</guid></item>"
    ),
    "dates": rss(
        "<item><title>A</title><dc:date>2025-03-03T08:00:00+01:00</dc:date></item>"
        "<item><title>B</title><pubDate>lundi 15 janvier 2024 10h30</pubDate></item>"
        "<item><title>C</title><pubDate>0000-00-00</pubDate></item>"
    ),
    "languages": rss(
        '<item xml:lang="en"><title>A</title></item><item><title xml:lang="">B</title></item>',
        "<title>Fil</title><language>fr-FR</language><ttl>60</ttl>",
        ' xml:lang="de_AT"',
    ),
    "mis-decoded text": rss("<item><title>lÃ¨ve \u0080 \u0093 \u0099</title></item>"),
    "ignored extensions": rss(
        '<item><title>A</title><enclosure url="https://ex.org/a.mp3" type="audio/mpeg"/>'
        '<comments>/c</comments><wfw:commentRss xmlns:wfw="http://wellformedweb.org/CommentAPI/">'
        "/r</wfw:commentRss><x:y xmlns:x='urn:x'>z</x:y></item>",
        "<title>Fil</title><image><title>Logo</title><url>/l.png</url><link>/</link></image>"
        '<atom:link xmlns:atom="http://www.w3.org/2005/Atom" href="/f" rel="self"/>',
    ),
}
LEFT_TO_FEEDPARSER = {
    "atom": f'{HEAD}<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry>'
    "<title>A</title><id>urn:a</id></entry></feed>".encode(),
    "rss 0.91": b'<rss version="0.91"><channel><title>F</title><item><title>A</title></item>'
    b"</channel></rss>",
    "rdf": b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns="http://purl.org/rss/1.0/"><channel><title>F</title></channel>'
    b"<item><title>A</title><link>https://ex.org/a</link></item></rdf:RDF>",
    "latin-1": rss("<item><title>lève</title></item>").replace(b"utf-8", b"iso-8859-1"),
    "not well-formed": rss("<item><title>A &nbsp; B</title></item>"),
    "doctype": b"<!DOCTYPE rss>" + rss("<item><title>A</title></item>"),
    "repeated title": rss("<item><title>A</title><title>B</title></item>"),
    "markup in a title": rss("<item><title>A <b>B</b></title></item>"),
    "xml:base": rss('<item xml:base="https://other.org/"><title>A</title><link>a</link></item>'),
    "media title": rss(
        '<item><title>A</title><media:title xmlns:media="http://search.yahoo.com/mrss/">B'
        "</media:title></item>"
    ),
    "typed description": rss(
        '<item><title>A</title><description type="text/x">QQ==</description></item>'
    ),
    "atom link in an item": rss(
        '<item><title>A</title><link xmlns="http://www.w3.org/2005/Atom" href="https://ex.org/x"/>'
        "</item>"
    ),
    "no items": rss(""),
}


@pytest.mark.parametrize("body", READ_HERE.values(), ids=READ_HERE.keys())
def test_a_plain_rss2_document_is_read_here_into_the_same_items(body: bytes) -> None:
    slow, fast = both_ways(body, {"content-type": "application/rss+xml; charset=utf-8"})
    assert fast.reader == "rss20"
    assert fast.entries and same(slow, fast)


@pytest.mark.parametrize("body", LEFT_TO_FEEDPARSER.values(), ids=LEFT_TO_FEEDPARSER.keys())
def test_any_other_document_is_left_to_feedparser(body: bytes) -> None:
    slow, fast = both_ways(body, {})
    assert fast.reader == "feedparser"
    assert same(slow, fast)


def test_a_header_charset_feedparser_would_apply_sends_the_document_to_it() -> None:
    body = rss("<item><title>lève</title></item>")
    _, fast = both_ways(body, {"content-type": "text/xml; charset=iso-8859-1"})
    assert fast.reader == "feedparser"


def test_entities_never_reach_expat() -> None:
    assert rss20.read(BILLION, {}) is None


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/feeds-corpus is absent")
@pytest.mark.parametrize("url", ["", URL])
def test_every_corpus_document_read_here_gives_feedparsers_items(url: str) -> None:
    """Without an address and without headers, as the samples are; then as served from an
    address (relative links resolved against it) with an XML content type."""
    read_here = 0
    for path in samples():
        body = path.read_bytes()
        headers = headers_of(body)
        if url:
            headers.setdefault("content-type", "application/xml")
        slow, fast = both_ways(body, headers, url)
        assert same(slow, fast), path
        read_here += fast.reader == "rss20"
    assert read_here > 100  # the corpus is mostly feedparser's own odd cases

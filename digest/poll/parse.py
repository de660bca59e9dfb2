"""Bytes of a feed → clean entries: feedparser parses, our code closes its known dangers.

Pure: no network, no disk, no database. What is closed here (feeds-corpus README §4):
entity declarations never reach the parser (no billion laughs, no quadratic blow-up, no XXE),
feedparser only ever gets a file-like object (a body naming a local path is never opened),
text is extracted from HTML through nh3 (no script or style, entities decoded, control
characters removed), URLs are kept only when http(s) after decoding, dates are guarded
(``0000-00-00`` and other implausible dates become None), and an empty body or an HTML page
is an error, never "a feed with no items".
"""

from __future__ import annotations

import calendar
import functools
import html
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser
import feedparser.mixin
import nh3

# feedparser's own encoding detection: we look for entity declarations in the very text its
# parsers will see, whatever the encoding (UTF-16, UTF-7, EBCDIC...). Present in 6.0.x.
from feedparser.encodings import convert_to_utf8

from digest.poll import dates, rss20

dates.register()  # French dates ("lundi 15 janvier 2024 10h30") read as Europe/Paris
# At every start tag feedparser joins its base address with the tag's xml:base, or with itself:
# the same two strings each time, a sixth of its parse time once the feed has an address. The
# join is a pure function of its two strings, so a remembered join is the same join.
feedparser.mixin.make_safe_absolute_uri = functools.lru_cache(maxsize=64)(
    feedparser.mixin.make_safe_absolute_uri
)

MAX_TEXT_CHARS = 100_000
MAX_TTL_MINUTES = 366 * 24 * 60  # a feed's <ttl> is believed up to a year
_ENTITY_DECL = re.compile(rb"<!ENTITY(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
_ENTITY_WORD = re.compile(rb"<!ENTITY", re.I)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\ufdd0-\ufdef]")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f-\x9f]")  # browsers drop tabs/newlines inside URLs
_SPACES = re.compile(r"[ \t]+")
_BLOCK = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
    | {"table", "tr", "td", "th", "section", "article", "header", "footer", "figure", "hr"}
    | {"figcaption", "dd", "dt"}
)
_BLOCK_TAG = re.compile(r"<[^>]*>")  # in nh3's output: a tag of _BLOCK, without attributes
_DROP_CONTENT = {"script", "style", "template", "noscript", "textarea", "title", "head"}
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*[\"']([\w.:-]+)", re.I)
_VALID_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_PARSE_HEADERS = {"content-type", "content-location", "content-language"}
_PLAUSIBLE_FROM = datetime(1990, 1, 1, tzinfo=UTC)
# a negative year ("-0001-11-30T00:00:00+00:00", PHP's zero date): feedparser reads it as 2000
_NEGATIVE_YEAR = re.compile(r"\s*-\d")


class FeedError(Exception):
    """The body is not a usable feed; the message says why, for a person."""


@dataclass
class Entry:
    """One feed entry, cleaned: plain text, http(s) URL or "", date in UTC or None."""

    guid: str
    url: str
    title: str
    text: str
    published: datetime | None  # None: missing, unparseable or implausible
    lang: str | None = None  # as the entry declares it (dc:language, xml:lang), unchecked


@dataclass
class ParsedFeed:
    entries: list[Entry] = field(default_factory=list)
    title: str = ""
    version: str = ""
    ttl_minutes: int | None = None
    lang: str | None = None  # as the feed declares it (<language>, xml:lang), unchecked
    error: str | None = None  # set: the body was rejected, entries is empty
    warning: str | None = None  # a bozo document that still gave entries
    dropped: int = 0  # entries over the per-feed cap
    reader: str = ""  # what read the document: rss20 or feedparser


def defuse(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """Remove every entity declaration before parsing; raise FeedError if one cannot be removed.

    The check runs on the UTF-8 text feedparser would parse, so no encoding hides a declaration.
    A document with none is returned untouched, so feedparser sees exactly what was served.
    """
    if not _ENTITY_WORD.search(body) and not _ENTITY_WORD.search(body.replace(b"\x00", b"")):
        probe = convert_to_utf8(headers, body, {})
        if not _ENTITY_WORD.search(probe):
            return body, headers
    text = convert_to_utf8(headers, body, {})
    text = _ENTITY_DECL.sub(b"", text)
    if _ENTITY_WORD.search(text):
        raise FeedError("refused: entity declarations that cannot be removed safely")
    # the text is UTF-8 now, and its XML declaration says so; tell feedparser the same
    return text, {**headers, "content-type": "application/xml; charset=utf-8"}


def repair_utf8(body: bytes, headers: dict[str, str]) -> bytes:
    """A UTF-8 document with a few broken bytes: replace those, keep the valid text correct.

    feedparser would re-decode the whole document as windows-1252 and garble every valid
    character. Only done when UTF-8 is declared (or implied) and valid multi-byte UTF-8 text
    exists, so a document that is really windows-1252 is still left to feedparser.
    """
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    charset = _CHARSET.search(headers.get("content-type", ""))
    declared = _XML_ENCODING.search(body[:512])
    names = [charset.group(1)] if charset else []
    if declared:
        names.append(declared.group(1).decode("ascii", "replace"))
    if body[:4].count(b"\x00") or any(
        n.lower().replace("_", "-") not in ("utf-8", "utf8") for n in names
    ):
        return body
    text = body.decode("utf-8", "replace")
    if not _VALID_NON_ASCII.search(text):
        return body
    return text.encode("utf-8")


def parse_feed(
    body: bytes,
    headers: dict[str, str] | None = None,
    url: str = "",
    max_items: int = 500,
    fast: bool = True,
) -> ParsedFeed:
    """Parse one body; never raises for bad input: a rejected body comes back with .error.

    fast=False: feedparser reads every document (rss20 is compared with it that way)."""
    # only what parsing needs: the body was already decompressed, never hand that on again
    headers = {k.lower(): v for k, v in (headers or {}).items() if k.lower() in _PARSE_HEADERS}
    if not body.strip():
        return ParsedFeed(error="empty response (no bytes to parse)")
    if url.startswith(("http://", "https://")):
        headers.setdefault("content-location", url)
    # A plain RSS 2.0 document is read by rss20, as feedparser would read it, in a fraction of
    # the time; anything else (or anything rss20 is not sure of) by feedparser itself. rss20
    # takes only valid UTF-8 without any DOCTYPE or entity declaration, which repair_utf8 and
    # defuse would leave as it is.
    result = rss20.read(body, headers) if fast else None
    reader = "rss20" if result else "feedparser"
    if result is None:
        body = repair_utf8(body, headers)
        try:
            body, headers = defuse(body, headers)
        except FeedError as e:
            return ParsedFeed(error=str(e), reader=reader)
        # a file-like object, never bytes or str: feedparser would try those as a path or URL.
        # Its HTML sanitiser and link rewriting are off: we keep plain text only, through nh3,
        # and check every URL ourselves (a third of the parse time saved, nothing trusted).
        result = feedparser.parse(
            io.BytesIO(body),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    entries = result.get("entries") or []
    version = result.get("version") or ""
    bozo = result.get("bozo_exception") if result.get("bozo") else None
    if not entries and (not version or bozo):
        return ParsedFeed(version=version, error=_not_a_feed(body, headers, bozo), reader=reader)
    feed = result.get("feed") or {}
    parsed = ParsedFeed(
        title=plain_text(feed.get("title", ""))[:500],
        version=version,
        ttl_minutes=_minutes(feed.get("ttl")),
        lang=_str(feed.get("language")),
        warning=f"{type(bozo).__name__}: {bozo}" if bozo else None,
        dropped=max(0, len(entries) - max_items),
        reader=reader,
    )
    parsed.entries = [clean_entry(e) for e in entries[:max_items]]
    return parsed


def _not_a_feed(body: bytes, headers: dict[str, str], bozo: object) -> str:
    head = body[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or "html" in headers.get("content-type", ""):
        return "not a feed: the server sent an HTML page"
    reason = f" ({type(bozo).__name__}: {bozo})" if bozo else ""
    return f"not a feed: no RSS, Atom or RDF document and no items{reason}"[:500]


def clean_entry(entry: dict[str, Any]) -> Entry:
    content = entry.get("content") or []
    body = next((c.get("value", "") for c in content if c.get("value")), "")
    link = safe_url(entry.get("link", ""))
    if not link:
        alternates = [
            lk.get("href", "") for lk in entry.get("links", []) if lk.get("rel") == "alternate"
        ]
        link = next((u for u in map(safe_url, alternates) if u), "")
    summary = entry.get("summary", "")
    texts = [plain_text(v) for v in {body, summary} if v]  # the longer: full text over teaser
    guid = clean_text(str(entry.get("id") or entry.get("guid") or ""))[:2000]
    if not link and entry.get("guidislink"):
        link = safe_url(guid)
    return Entry(
        guid=guid,
        url=link,
        title=plain_text(entry.get("title", ""))[:1000],
        text=max(texts, key=len, default="")[:MAX_TEXT_CHARS],
        published=entry_date(entry),
        lang=declared_language(entry),
    )


def declared_language(entry: dict[str, Any]) -> str | None:
    """The entry's own dc:language, else the xml:lang of its content, summary or title."""
    details = [
        *(entry.get("content") or []),
        entry.get("summary_detail"),
        entry.get("title_detail"),
    ]
    langs = [entry.get("language"), *(d.get("language") for d in details if d)]
    return next((_str(v) for v in langs if _str(v)), None)


def entry_date(entry: dict[str, Any]) -> datetime | None:
    """published, else updated; None when missing, unparseable, of a negative year or before
    1990 (year 0 parses as year 0, which the 1990 guard catches)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if isinstance(raw, str) and _NEGATIVE_YEAR.match(raw):
            continue  # never trust feedparser's reading of it
        moment = struct_to_utc(entry.get(f"{key}_parsed"))
        if moment is not None:
            return moment
    return None


def struct_to_utc(t: Any) -> datetime | None:
    """feedparser's UTC struct_time → aware datetime; guards year -1, overflow and nonsense."""
    if t is None:
        return None
    try:
        moment = datetime.fromtimestamp(calendar.timegm(t), UTC)
    except (ValueError, OverflowError, OSError, TypeError):
        return None
    return moment if moment >= _PLAUSIBLE_FROM else None


def safe_url(raw: Any) -> str:
    """The URL if, once character references are decoded and blanks removed, it is http(s)."""
    if not isinstance(raw, str) or not raw:
        return ""
    kept = _URL_JUNK.sub("", raw)
    decoded = _URL_JUNK.sub("", html.unescape(html.unescape(raw))) if "&" in raw else kept
    for candidate in {kept, decoded}:
        try:
            parts = urlsplit(candidate)
            if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                return ""
        except ValueError:
            return ""
    return kept[:2000]


def clean_text(text: str) -> str:
    """Control characters removed, runs of blanks made one space, lines trimmed."""
    return _tidy(_CONTROL.sub("", text))


def _tidy(text: str) -> str:
    """Runs of blanks made one space, lines trimmed, empty lines dropped."""
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def plain_text(markup: Any) -> str:
    """Plain text of an HTML (or plain) field: no script/style content, entities decoded.

    Text without "<" holds no markup: only its character references are decoded (what nh3 and
    an HTML parser would do to it, at a tenth of the cost). Otherwise nh3 keeps the block tags,
    without attributes, and drops the rest with script and style content; in its output the
    only "<" left open those block tags, so each becomes a line break before references are
    decoded.
    """
    if not isinstance(markup, str) or not markup:
        return ""
    text = _CONTROL.sub("", markup)
    if "<" in text:
        safe = nh3.clean(text, tags=set(_BLOCK), attributes={}, clean_content_tags=_DROP_CONTENT)
        text = _BLOCK_TAG.sub("\n", safe)
    if "&" in text:  # a reference may stand for a control character ("&#12;")
        return clean_text(html.unescape(text))
    return _tidy(text)


def _str(value: Any) -> str | None:
    """A non-empty string field, trimmed (a language tag is at most 35 characters)."""
    if not isinstance(value, str):
        return None
    return value.strip()[:35] or None


def _minutes(value: Any) -> int | None:
    """An RSS <ttl> in whole minutes (ASCII digits only), at most a year; else None."""
    text = str(value).strip() if value is not None else ""
    if not text or not text.isascii() or not text.isdigit():
        return None  # "1e20", "²", "-5": not minutes
    return MAX_TTL_MINUTES if len(text) > 7 else min(int(text), MAX_TTL_MINUTES)

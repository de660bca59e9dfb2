"""A well-formed RSS 2.0 document read with expat, into the fields feedparser would have set.

feedparser is most of a poll's parse time, and most feeds are plain RSS 2.0. This reader takes
only the shape it can read exactly as feedparser's strict parser would (same values, same
precedence, same URL resolution, same date handlers, same repair of mis-decoded text), for the
fields `digest.poll.parse` reads; for anything else it answers None and feedparser parses the
document: Atom, RSS 0.9x/1.0/RDF, a DOCTYPE, an encoding other than UTF-8, XML errors, xml:base,
attributes that change how feedparser reads an element, markup inside a text element, a
repeated field, or any element feedparser has a handler for that is not listed here.
tests/poll/test_rss20.py parses every document of ../shared/feeds-corpus both ways.

Safety: a document with a DOCTYPE or an entity declaration, in its bytes or once converted to
UTF-8, is left to feedparser behind `parse.defuse`: expat gets nothing to expand or fetch here.
"""

from __future__ import annotations

import contextlib
import io
import re
import xml.etree.ElementTree as ET
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urljoin

from feedparser.api import StrictFeedParser
from feedparser.datetimes import _parse_date
from feedparser.encodings import convert_to_utf8
from feedparser.exceptions import NonXMLContentType
from feedparser.html import _cp1252
from feedparser.urls import _urifixer, make_safe_absolute_uri

_XML = "{http://www.w3.org/XML/1998/namespace}"
_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
_C1 = re.compile("[\x80-\x9f]")  # the characters feedparser maps as cp1252 bytes
_BROKEN_REF = re.compile("&([A-Za-z0-9_]+);")  # feedparser's fix of "?a=1&amp;b=2" links
# elements of an item read here, by feedparser's name for them, with the attributes allowed
_ITEM_TEXT = {
    "title": {"lang"},
    "description": {"lang"},
    "content_encoded": {"lang"},
    "guid": {"lang", "ispermalink"},
    "link": {"lang"},
    "pubdate": None,  # None: any attributes (feedparser ignores them)
    "dc_date": None,
}
# elements with a feedparser handler that sets none of the fields read, given no child element
_ITEM_HARMLESS = {"category", "author", "dc_creator", "enclosure", "dc_subject"}
_CHANNEL_HARMLESS = {
    "link", "description", "generator", "lastbuilddate", "pubdate", "copyright", "category",
    "managingeditor", "webmaster", "cloud", "dc_creator", "dc_date", "dc_rights", "dc_subject",
    "dc_publisher",
}  # fmt: skip
_IMAGE_CHILDREN = {"title", "url", "link", "width", "height", "description"}
# keys parse.py reads (and the names feedparser files under them): an element without a
# handler is stored under its own name, so one of these names is never ignored
_READ = {
    "title", "title_detail", "link", "links", "id", "guid", "guidislink", "summary",
    "summary_detail", "content", "language", "published", "published_parsed", "updated",
    "updated_parsed", "created", "created_parsed", "ttl", "description", "description_detail",
    "date", "date_parsed", "modified", "modified_parsed", "issued", "issued_parsed", "channel",
    "items", "feed", "entries",
}  # fmt: skip


class _Unsure(Exception):
    """The document is not of the shape read here: feedparser reads it."""


@cache
def _prefixes() -> dict[str, str]:
    """feedparser's namespace URI (lowercase) → its prefix for the elements of that namespace."""
    return {uri.lower(): prefix for uri, prefix in StrictFeedParser.namespaces.items()}


@lru_cache(maxsize=4096)  # names come from the documents: bounded
def _has_handler(name: str) -> bool:
    return hasattr(StrictFeedParser, f"_start_{name}") or hasattr(StrictFeedParser, f"_end_{name}")


@cache
def _handled_suffixes() -> frozenset[str]:
    """Every local name some feedparser handler is named after, with or without a prefix."""
    names = [
        m.split("_", 2)[2] for m in dir(StrictFeedParser) if m.startswith(("_start_", "_end_"))
    ]
    return frozenset(names + [n.split("_", 1)[1] for n in names if "_" in n])


@lru_cache(maxsize=4096)
def _name(tag: str) -> str:
    """The name feedparser gives an element: prefix_local, lowercase; "" when it is unsure."""
    if tag[0] != "{":
        return tag.lower()
    uri, local = tag[1:].split("}", 1)
    low = uri.lower()
    if "backend.userland.com/rss" in low:
        low = "http://backend.userland.com/rss"
    prefix = _prefixes().get(low)
    local = local.lower()
    if prefix is None:  # feedparser names it by the document's prefix, which may be anything
        return "" if local in _handled_suffixes() or local in _READ else f"?{local}"
    return f"{prefix}_{local}" if prefix else local


def _finish(text: str) -> str:
    """What feedparser does last to every text it keeps (UTF-8 read as Latin-1, cp1252 bytes)."""
    if text.isascii():
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_cp1252) if _C1.search(text) else text  # the same, without the cost


def _join(base: str, uri: str) -> str:
    """feedparser.urls._urljoin, without re.sub's expansion of a template at every call."""
    fixed = _urifixer.match(uri)  # "http:///x" → "http://x"
    if fixed:
        uri = fixed.group(1) + uri[fixed.end(2) :]
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


def _attributes(el: ET.Element, allowed: set[str] | None) -> None:
    """Refuse xml:base anywhere, and any attribute not allowed (None: any but xml:base)."""
    for key in el.attrib:
        if key == f"{_XML}lang":
            key = "lang"
        low = key.lower()
        if low in ("base", "xml:base") or key == f"{_XML}base":
            raise _Unsure
        if allowed is not None and (low not in allowed or (low == "lang" and key != low)):
            raise _Unsure


def _lang(el: ET.Element, inherited: str | None) -> str | None:
    """xml:lang (or lang) of an element, else its parent's; an empty one means none."""
    value = el.get(f"{_XML}lang", el.get("lang"))
    if value is None:
        return inherited
    return value or None


def _text(el: ET.Element) -> str:
    if len(el):
        raise _Unsure  # markup inside: feedparser rebuilds it
    return (el.text or "").strip()


def _ignorable(el: ET.Element, harmless: set[str]) -> bool:
    """An element feedparser stores under a name never read, or handles harmlessly."""
    name = _name(el.tag)
    if name in harmless:
        _attributes(el, None)
        return not len(el)
    if not name or name in _READ:
        return False
    _attributes(el, None)
    if not name.startswith("?") and _has_handler(name):
        return False
    return all(_ignorable(child, set()) for child in el)


def _content(lang: str | None, value: str) -> dict[str, Any]:
    return {"language": lang.replace("_", "-") if lang else lang, "value": value}


def _item(el: ET.Element, base: str, inherited: str | None) -> dict[str, Any]:
    """One <item>, built in document order the way feedparser's handlers build it."""
    _attributes(el, {"lang"})
    lang = _lang(el, inherited)
    entry: dict[str, Any] = {}
    seen: set[str] = set()
    for child in el:
        name = _name(child.tag)
        if name not in _ITEM_TEXT:
            if _ignorable(child, _ITEM_HARMLESS):
                continue
            raise _Unsure
        if name in seen:
            raise _Unsure  # feedparser's precedence between repeats is not followed here
        seen.add(name)
        _attributes(child, _ITEM_TEXT[name])
        child_lang = _lang(child, lang)
        value = _text(child)
        if name == "title":
            entry["title"] = _finish(value)
            entry["title_detail"] = _content(child_lang, entry["title"])
        elif name == "description":
            entry["summary"] = _finish(value)
            entry["summary_detail"] = _content(child_lang, entry["summary"])
        elif name == "content_encoded":
            entry.setdefault("content", []).append(_content(child_lang, _finish(value)))
        elif name == "guid":
            flags = [v for k, v in child.attrib.items() if k.lower() == "ispermalink"]
            if len(flags) > 1:
                raise _Unsure
            is_link = (flags[0] if flags else "true") == "true"
            if value and is_link:
                value = _join(base, value)
            entry["id"] = value = _finish(value)
            entry.setdefault("guidislink", is_link and "link" not in entry)
            if is_link:
                entry.setdefault("link", value)
        elif name == "link":
            entry.setdefault("links", []).append({"rel": "alternate", "type": "text/html"})
            if value:
                value = _join(base, value)
            value = _finish(value)
            if "&" in value:
                value = _BROKEN_REF.sub(r"&\g<1>", value.replace("&amp;", "&"))
            entry["link"] = value
            if value:
                entry["links"][-1]["href"] = value
        else:
            key = "published" if name == "pubdate" else "updated"
            entry[key] = _finish(value)
            entry[f"{key}_parsed"] = _parse_date(entry[key])
    return entry


def _channel(channel: ET.Element, base: str, lang: str | None, feed: dict[str, Any]) -> list:
    _attributes(channel, {"lang"})
    lang = _lang(channel, lang)
    entries = []
    seen: set[str] = set()
    for child in channel:
        name = _name(child.tag)
        if name == "item":
            entries.append(_item(child, base, lang))
        elif name in ("title", "language", "ttl"):
            if name in seen:
                raise _Unsure
            seen.add(name)
            _attributes(child, {"lang"} if name != "ttl" else set())
            feed[name] = _finish(_text(child))
        elif name == "image":
            _attributes(child, {"lang"})
            for part in child:
                if _name(part.tag) not in _IMAGE_CHILDREN or len(part):
                    raise _Unsure
                _attributes(part, {"lang"})
        elif not _ignorable(child, _CHANNEL_HARMLESS):
            raise _Unsure
    return entries


def read(body: bytes, headers: dict[str, str]) -> dict[str, Any] | None:
    """feedparser.parse's result (version, feed, entries) for a plain RSS 2.0 body, else None.

    headers: the lowercase response headers feedparser would be given (content-type,
    content-location, content-language).
    """
    if _DECLARATIONS.search(body):
        return None
    result: dict[str, Any] = {}
    data = convert_to_utf8(headers, body, result)
    bozo = result.get("bozo_exception")
    if result.get("encoding") != "utf-8" or _DECLARATIONS.search(data):
        return None
    if bozo is not None and not isinstance(bozo, NonXMLContentType):
        return None  # only "not an XML content type" is kept, as feedparser keeps it
    location = headers.get("content-location", "")
    base = make_safe_absolute_uri("", location) or make_safe_absolute_uri(location) or ""
    if base and (make_safe_absolute_uri(base, base) or base) != base:
        return None  # feedparser would normalise it at the first element
    try:
        events = ET.iterparse(io.BytesIO(data), events=("start-ns",))
        for _, (prefix, uri) in events:
            known = _prefixes().get(uri.lower())
            if prefix and known is not None and prefix != known and prefix in _prefixes().values():
                return None  # a prefix feedparser would map to another namespace
        root = events.root  # type: ignore[attr-defined]
    except ET.ParseError:
        return None
    try:
        if _name(root.tag) != "rss" or not root.get("version", "").startswith("2."):
            return None
        _attributes(root, {"lang", "version"})
        channels = list(root)
        if len(channels) != 1 or _name(channels[0].tag) != "channel":
            return None
        lang = _lang(root, headers.get("content-language") or None)
        feed: dict[str, Any] = {}
        if lang:
            feed["language"] = lang.replace("_", "-")
        entries = _channel(channels[0], base, lang, feed)
    except (_Unsure, RecursionError):  # RecursionError: nested deeper than is read here
        return None
    if not entries:
        return None  # feedparser says what is wrong with a feed without items
    found = {"version": "rss20", "feed": feed, "entries": entries, "bozo": bozo is not None}
    return found | ({"bozo_exception": bozo} if bozo else {})

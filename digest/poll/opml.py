"""OPML in and out: the feed lists other readers import and export.

An OPML file is untrusted XML: a DOCTYPE or entity declaration is refused before parsing (no
entity expansion, no external entity), the size is capped, and only http(s) feed URLs are kept.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from digest.models import Feed
from digest.poll.parse import clean_text, safe_url

MAX_BYTES = 5 * 1024 * 1024


class OpmlError(Exception):
    """The file cannot be imported; the message says why."""


@dataclass
class Outline:
    name: str
    url: str


def read_opml(data: bytes) -> tuple[list[Outline], list[str]]:
    """The feeds of an OPML document (every nested outline with an xmlUrl) and what was skipped."""
    if len(data) > MAX_BYTES:
        raise OpmlError(f"the file is larger than {MAX_BYTES // 1048576} MiB")
    folded = data.replace(b"\x00", b"").upper()
    if b"<!DOCTYPE" in folded or b"<!ENTITY" in folded:
        raise OpmlError("a DOCTYPE or entity declaration is not accepted in OPML")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise OpmlError(f"not well-formed XML ({e})") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"the root element is <{root.tag}>, not <opml>")
    found: list[Outline] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for node in root.iter("outline"):
        raw = node.get("xmlUrl") or node.get("xmlurl")
        if raw is None:
            continue
        url = safe_url(raw.strip())
        name = clean_text(node.get("title") or node.get("text") or "")[:200] or url
        if not url:
            skipped.append(f"{name or raw!r}: {raw!r} is not an http(s) URL")
        elif url not in seen:
            seen.add(url)
            found.append(Outline(name, url))
    return found, skipped


def write_opml(feeds: list[Feed], title: str, moment: datetime | None = None) -> bytes:
    """An OPML 2.0 document listing the feeds (the address polled, after any 301/308)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(moment or datetime.now(UTC))
    body = ET.SubElement(root, "body")
    for feed in feeds:
        ET.SubElement(
            body,
            "outline",
            type="rss",
            text=feed.name,
            title=feed.name,
            xmlUrl=feed.moved_to or feed.url,
        )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"

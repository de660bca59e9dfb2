"""What makes two entries the same item: keys, canonical links and content hashes (pure).

An item is identified within its feed by its guid; without one, by its canonical link (tracking
parameters removed); without either, by a hash of its title and text. Within one document, a
guid shared by entries with different links is disambiguated by the link (never merged), and
versions of one entry (same guid, same link) keep the newest.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from digest.poll.parse import Entry

MAX_KEY = 500
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|mc_cid|mc_eid|_ga|_gl|"
    r"igshid|xtor|xtref|xts|at_\w+|ocid|cmpid|ncid|sr_share|spm|ref|ref_src|ref_url|"
    r"_hsenc|_hsmi|hsctatracking|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wt_\w+|"
    r"pk_\w+|piwik_\w+|mtm_\w+|matomo_\w+|s_cid|soc_src|soc_trk)$"
)


def canonical_url(url: str) -> str:
    """The link as a key: https, host without www., no fragment, no tracking, sorted query."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(k.lower())
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, urlencode(query), ""))


def content_hash(title: str, text: str) -> str:
    """Hash of the words of title and text, case-folded: unchanged text, unchanged hash."""
    words = " ".join(f"{title}\n{text}".casefold().split())  # str.split: the blanks of \s
    return hashlib.sha256(words.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _short(key: str) -> str:
    if len(key) <= MAX_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def keyed_entries(entries: Iterable[Entry]) -> list[tuple[str, Entry, str]]:
    """(key, entry, canonical link) for each distinct item of one document, in document order."""
    listed = [e for e in entries if e.title or e.text or e.url]
    links = {id(e): canonical_url(e.url) for e in listed}
    guid_links: dict[str, set[str]] = {}
    for e in listed:
        if e.guid:
            guid_links.setdefault(e.guid, set()).add(links[id(e)])
    chosen: dict[str, tuple[int, Entry, str]] = {}
    for position, e in enumerate(listed):
        link = links[id(e)]
        if e.guid and len(guid_links[e.guid]) > 1:
            key = f"{e.guid} {link or 'hash:' + content_hash(e.title, e.text)}"
        elif e.guid:
            key = e.guid
        elif link:
            key = f"link:{link}"
        else:
            key = f"hash:{content_hash(e.title, e.text)}"
        key = _short(key)
        earlier = chosen.get(key)
        if earlier is None:
            chosen[key] = (position, e, link)
        elif _newer(e, earlier[1]):
            chosen[key] = (earlier[0], e, link)  # the newest version, at the first one's place
    ordered = sorted(chosen.items(), key=lambda kv: kv[1][0])
    return [(key, e, link) for key, (_, e, link) in ordered]


def _newer(a: Entry, b: Entry) -> bool:
    """Is a a later version than b? By date; without dates, the later one in the document."""
    if a.published is None or b.published is None:
        return b.published is None
    return a.published >= b.published

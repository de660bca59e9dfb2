"""An article page an editor points at (no feed carried it): fetched with the poll stage's
fetch (same limits; private addresses refused unless `polling.allow_private_addresses`), then a
simple readability: its <title> (or first <h1>) and the text of its <p> paragraphs, cleaned as
feed text is. Scripts, styles, navigation, headers, footers and asides are left out."""

from __future__ import annotations

import asyncio
import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from digest.config import Polling
from digest.poll.fetch import fetch, make_client
from digest.poll.parse import clean_text

_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
MIN_TEXT = 80  # characters: less is a page without an article (a paywall, a login)
_SKIP = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                   "form", "svg", "button", "figure"})  # fmt: skip


class PageError(Exception):
    """The page cannot be added; the message (French) says why."""


@dataclass
class Page:
    url: str
    title: str
    text: str


class _Readable(HTMLParser):
    """The <title>, the first <h1> and every <p> outside the page's chrome."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.where: list[str] = []
        self.title: list[str] = []
        self.h1: list[str] = []
        self.paragraphs: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in ("title", "h1", "p"):
            self.where.append(tag)
            if tag == "p":
                self.paragraphs.append([])
        elif tag == "br" and self.where[-1:] == ["p"]:
            self.paragraphs[-1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.where:
            while self.where and self.where.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.where:
            return
        where = self.where[-1]
        if where == "title":
            self.title.append(data)
        elif self.skipping:
            return
        elif where == "h1" and not self.paragraphs:
            self.h1.append(data)
        elif where == "p" and self.paragraphs:
            self.paragraphs[-1].append(data)


def readable(html: str) -> tuple[str, str]:
    """(title, text) of an article page: one line per paragraph."""
    parser = _Readable()
    parser.feed(html)
    parser.close()
    title = clean_text(" ".join(parser.title)) or clean_text(" ".join(parser.h1))
    lines = [clean_text(" ".join("".join(p).split())) for p in parser.paragraphs]
    return " ".join(title.split()), "\n".join(line for line in lines if line)


def _encoding(content_type: str, body: bytes) -> str:
    """The charset the header (else the page's <meta>) declares, when Python knows it."""
    found = _CHARSET.search(content_type) or _CHARSET.search(body[:2048].decode("ascii", "replace"))
    if found:
        try:
            return codecs.lookup(found.group(1)).name
        except LookupError:
            pass
    return "utf-8"


async def _get(url: str, polling: Polling) -> Page:
    async with make_client(polling) as client:
        got = await fetch(client, url, polling)
    if got.error:
        raise PageError(f"Page non récupérée : {got.error}.")
    if got.status != 200:
        raise PageError(f"Page non récupérée : le serveur a répondu {got.status}.")
    kind = got.headers.get("content-type", "text/html").split(";")[0].strip().lower()
    if kind not in ("text/html", "application/xhtml+xml", "text/plain"):
        raise PageError(f"Ce lien n'est pas une page web ({kind}).")
    body = got.body.decode(_encoding(got.headers.get("content-type", ""), got.body), "replace")
    if kind == "text/plain":
        title, text = "", clean_text(body)
    else:
        title, text = readable(body)
    if len(text) < MIN_TEXT:
        raise PageError("Aucun texte d'article trouvé sur cette page : collez-en le texte.")
    return Page(got.url or url, title, text)


def fetch_page(url: str, polling: Polling) -> Page:
    """The page's title and article text; PageError (French) when it cannot be had."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PageError("Lien non valide : il doit commencer par http:// ou https://.")
    return asyncio.run(_get(url, polling))

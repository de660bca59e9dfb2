"""Pre-flight checks run on every build and listed for the editor before anything is sent.

Each check is a `Check(name, ok, detail)`; a failed check does not stop the build, it is shown
by `digest build`, in the preview and in the stored edition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from digest.config import Config
from digest.edition.layout import layout
from digest.edition.unsubscribe import ANY_PLACEHOLDER, placeholder_of
from digest.edition.view import facts
from digest.edition.wording import PREHEADER_MAX, PREHEADER_MIN, SUBJECT_MAX
from digest.models import Check, Edition

MAX_HTML_BYTES = 100 * 1024  # Gmail clips above about 102 KB
# what each check is called in the editors' pages and emails
LABELS = {
    "html_size": "Taille du HTML",
    "subject_length": "Longueur de l'objet",
    "preheader_length": "Longueur du pré-en-tête",
    "lang": "Langue du document",
    "title": "Titre du document",
    "links": "Liens",
    "https": "Liens sécurisés",
    "alt_text": "Textes alternatifs",
    "no_active_content": "Aucun contenu actif",
    "template_markers": "Marqueurs oubliés",
    "text_twin": "Version texte",
    "french_only": "Tout en français",
    "plausible_amounts": "Montants plausibles",
    "held_story": "Articles retenus",
}
# what a template or a writer may leave behind; the unsubscribe placeholder is the one allowed token
MARKERS = re.compile(
    r"\{\{|\}\}|\{%|%\}|\{#|#\}|\[\[|\]\]|%%[A-Z_]+%%|__[A-Z][A-Z_]+__|\bTK\b|\bTODO\b|\bXXX\b"
    r"|\bNone\b|\bundefined\b|\bnull\b|\bNaN\b|\bnan\b"
)
# a subscriber's signed link (tokens.py): no link of an edition may carry one
TOKEN_LINK = re.compile(r"/(?:unsubscribe|confirm)/[0-9]+\.[A-Za-z0-9_-]{8,}")
# English our own copy must not say (source titles, cited as they are, are not looked at)
ENGLISH = re.compile(
    r"\b(?:this|next) year\b|\bover the (?:next|coming)\b|\bby the end of\b"
    r"|\bwithin (?:the next )?\w+ (?:years|months)\b|\bin the (?:next|coming)\b"
    r"|\b(?:will|to) (?:invest|build|create|hire)\b|\b(?:has|have) (?:raised|invested)\b"
    r"|\b(?:billion|million)s? (?:euros|dollars|pounds)\b",
    re.I,
)
# Python or Jinja debris that can only hide in attributes
DEBRIS = re.compile(r"object at 0x|built-in method|bound method|jinja2\.|Undefined")


@dataclass
class _Page(HTMLParser):
    """The facts of an HTML document the checks need, gathered in one parse."""

    lang: str | None = None
    title: str = ""
    links: list[str] = field(default_factory=list)
    images: list[tuple[str, str | None]] = field(default_factory=list)  # (src, alt)
    scripts: int = 0
    handlers: list[str] = field(default_factory=list)
    stylesheets: int = 0
    _in_title: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "script":
            self.scripts += 1
        elif tag == "link" and (a.get("rel") or "").lower() == "stylesheet":
            self.stylesheets += 1
        elif tag == "img":
            self.images.append((a.get("src") or "", a.get("alt")))
        if tag in ("a", "area") and a.get("href") is not None:
            self.links.append(a["href"] or "")
        self.handlers += [name for name, _ in attrs if name.lower().startswith("on")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _link_problem(url: str, placeholder: str) -> str | None:
    """Why a link cannot work in an email ('relatif', 'mal formé', …) or must not be there (it
    holds a subscriber's token, or the unsubscribe placeholder inside another URL), or None."""
    if url == placeholder:
        return None
    if ANY_PLACEHOLDER.search(url) or TOKEN_LINK.search(url):
        return "porte le jeton d'un abonné"
    if url.startswith("mailto:"):
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme:
        return "relatif"
    if parts.scheme.lower() not in ("http", "https"):
        return f"schéma {parts.scheme}:"
    if not parts.netloc or " " in url:
        return "mal formé"
    return None


def _visible_text(html: str) -> str:
    """The HTML without comments, head styles and tags: what a reader could see."""
    html = re.sub(r"<!--.*?-->|<style.*?</style>|<head.*?</head>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _fmt_list(items: list[str], limit: int = 5) -> str:
    more = f" (+{len(items) - limit})" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def run(edition: Edition, config: Config) -> list[Check]:
    """Every check of an edition whose html and text are filled."""
    page = parse(edition.html)
    size = len(edition.html.encode("utf-8"))
    checks = [
        Check(
            "html_size",
            size <= MAX_HTML_BYTES,
            f"Taille du HTML : {size / 1024:.0f} Ko (limite {MAX_HTML_BYTES // 1024} Ko :"
            " Gmail coupe au-delà de 102 Ko)",
        ),
        Check(
            "subject_length",
            0 < len(edition.subject) <= SUBJECT_MAX,
            f"{len(edition.subject)} caractères (au plus {SUBJECT_MAX})",
        ),
        Check(
            "preheader_length",
            PREHEADER_MIN <= len(edition.preheader) <= PREHEADER_MAX,
            f"{len(edition.preheader)} caractères (de {PREHEADER_MIN} à {PREHEADER_MAX})",
        ),
        Check("lang", page.lang == "fr", f'<html lang="{page.lang}">'),
        Check("title", bool(page.title.strip()), page.title.strip() or "aucun <title>"),
    ]
    ours = placeholder_of(edition)
    bad_links = [f"{u or '(vide)'} ({p})" for u in page.links if (p := _link_problem(u, ours))]
    checks.append(
        Check(
            "links",
            not bad_links,
            f"{len(page.links)} liens, tous absolus"
            if not bad_links
            else f"{len(bad_links)} cassés ou relatifs : {_fmt_list(bad_links)}",
        )
    )
    plain = [u for u in page.links if u.startswith("http://")]
    checks.append(
        Check(
            "https",
            not plain,
            "tous les liens en https"
            if not plain
            else f"{len(plain)} liens en http : {_fmt_list(plain)}",
        )
    )
    no_alt = [src for src, alt in page.images if alt is None or (not alt.strip() and src)]
    checks.append(
        Check(
            "alt_text",
            not no_alt,
            f"{len(page.images)} images, toutes avec un texte alternatif"
            if not no_alt
            else f"texte alternatif manquant : {_fmt_list(no_alt)}",
        )
    )
    active = page.scripts + len(page.handlers) + page.stylesheets
    checks.append(
        Check(
            "no_active_content",
            active == 0,
            "ni script, ni gestionnaire d'événement, ni feuille de style externe"
            if not active
            else f"{page.scripts} scripts, {page.stylesheets} liens CSS,"
            f" gestionnaires {page.handlers}",
        )
    )
    leftovers = sorted(
        {
            m.group(0)
            for doc in (_visible_text(edition.html), edition.text)
            for m in MARKERS.finditer(doc)
        }
        - {ours}
    ) + sorted({m.group(0) for m in DEBRIS.finditer(edition.html)})
    checks.append(
        Check(
            "template_markers",
            not leftovers,
            "aucun marqueur oublié" if not leftovers else f"trouvés : {_fmt_list(leftovers)}",
        )
    )
    visible = [s for s in edition.stories if not s.held_reason]
    flat = " ".join(edition.text.split())
    missing = [s.id for s in visible if " ".join(s.headline.split()) not in flat]
    checks.append(
        Check(
            "text_twin",
            not missing,
            f"{len(visible)} articles dans la version texte"
            if not missing
            else f"absents : {missing}",
        )
    )
    english = [
        f"{s.id} ({m.group(0)})"
        for s in visible
        for text in (s.headline, s.summary, *(v for _, v in facts(s)))
        if (m := ENGLISH.search(text))
    ]
    english += [
        f"{name} ({m.group(0)})"
        for name, text in (("subject", edition.subject), ("preheader", edition.preheader))
        if (m := ENGLISH.search(text))
    ]
    checks.append(
        Check(
            "french_only",
            not english,
            "aucun anglais dans nos textes" if not english else f"anglais : {_fmt_list(english)}",
        )
    )
    doubtful = layout(edition).doubtful
    checks += [
        Check("plausible_amounts", False, f"{s.id} : {s.headline} (hors des totaux : {why})")
        for s, why in doubtful
    ]
    if not doubtful:
        checks.append(Check("plausible_amounts", True, "chaque montant concorde avec ses sources"))
    held = [s for s in edition.stories if s.held_reason]
    checks += [Check("held_story", False, f"{s.id} : {s.headline} ({s.held_reason})") for s in held]
    if not held:
        checks.append(
            Check("held_story", True, "aucun article retenu par le contrôle de traçabilité")
        )
    return checks

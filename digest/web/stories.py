"""The editors' corrections of an edition: a story's headline, summary and facts (each with
the machine's value and its source sentences beside it, undone field by field), an article
added from a link or a pasted text, the order of the cards and the lead ("À la une"), and the
edition's subject, preheader and opening line. Each change is kept across polls and rebuilds,
names the editor, and rebuilds the edition; only a draft or held edition changes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from digest import flow
from digest.codec import loads
from digest.edition import lifecycle, wording
from digest.edition.layout import layout
from digest.language import french
from digest.models import Amount, Edition, Story
from digest.poll.pages import PageError, fetch_page
from digest.store import Database, history, now
from digest.store import stories as story_store
from digest.store import story_overrides as store
from digest.web import review
from digest.web.security import CSP, checked_form
from digest.web.site import Site, back, flash
from digest.write import overrides

log = logging.getLogger(__name__)
Handler = Callable[[Request], Awaitable[Response]]
MAX_PASTED = 50_000  # characters of a pasted article
WORDING_FIELDS = ("subject", "preheader", "opening")
MAX_OPENING = 300
# the wording page's live counters need our one static script; nothing inline runs
WORDING_CSP = CSP + "; script-src 'self'"


def _editable(db: Database, edition_id: str) -> Edition:
    found = review.edition(db, edition_id)
    if found.state not in lifecycle.EDITABLE:
        raise review.ReviewError(
            f"L'édition n° {found.number} est {lifecycle.NAMES[found.state]} : mettez-la"
            " d'abord en attente pour la modifier."
        )
    return found


def _story(edition: Edition, story_id: str) -> Story:
    found = next((s for s in edition.stories if s.id == story_id), None)
    if found is None:
        raise review.ReviewError(f"L'article « {story_id} » n'est pas dans cette édition.")
    return found


def _shown(value: Any, name: str) -> str:
    """A stored value as the form shows it."""
    if value is None:
        return ""
    if name == "amount":
        return french.amount(
            Amount(value["value"], value["currency"], value.get("qualifier", "exact"))
        )
    if name == "round":
        return overrides.rounds().get(value, value)
    if isinstance(value, list):
        return "\n".join(value)
    return str(value)


@dataclass
class FieldView:
    spec: overrides.FieldSpec
    current: str  # in the form
    machine: str  # the machine's value, as shown
    currency: str
    raw: Any
    edited: store.Override | None
    sentences: list[tuple[str, str]]  # (outlet, sentence)


def _sentences(db: Database, story_id: str) -> dict[str, list[tuple[str, str]]]:
    """Each fact's source sentences (the reading's evidence), by evidence key."""
    found: dict[str, dict[str, str]] = {}
    for row in story_store.mentions_of(db, story_id):
        for key, sentence in row.mention.evidence.items():
            found.setdefault(key, {}).setdefault(sentence, row.item.feed_name)
        if row.item.title:
            found.setdefault("title", {}).setdefault(row.item.title, row.item.feed_name)
    return {k: [(feed, s) for s, feed in v.items()][:4] for k, v in found.items()}


def machine_story(db: Database, story_id: str) -> Story | None:
    row = story_store.story_row(db, story_id)
    return loads(Story, row["written"]) if row is not None and row["written"] else None


def edit_page(db: Database, edition_id: str, story_id: str) -> dict[str, Any]:
    edition = review.edition(db, edition_id)
    story = _story(edition, story_id)
    machine = machine_story(db, story_id) or story
    edits = store.of_story(db, story_id)
    sentences = _sentences(db, story_id)
    fields = []
    for spec in overrides.FIELDS:
        raw = overrides.value_of(story, spec.name)
        said = sentences.get(spec.evidence) or sentences.get("amount") or []
        if spec.name == "headline":
            said = sentences.get("title", []) + said
        fields.append(
            FieldView(
                spec,
                _shown(raw, spec.name),
                _shown(overrides.value_of(machine, spec.name), spec.name) or "—",
                (raw or {}).get("currency") or "EUR" if spec.name == "amount" else "",
                raw,
                edits.get(spec.name),
                said[:4],
            )
        )
    return {
        "edition": edition,
        "story": story,
        "machine": machine,
        "fields": fields,
        "currencies": overrides.currencies(),
        "rounds": overrides.rounds(),
        "editable": edition.state in lifecycle.EDITABLE,
    }


def _untouched(name: str, sent: str, current: Any, currency: str) -> bool:
    """The field as the form showed it (its text, and the amount's currency): not parsed again,
    so a value the form can only show rounded is never changed by saving another field."""
    if name == "amount" and current and current["currency"] != currency:
        return False
    return sent.split() == _shown(current, name).split()


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "amount" and old and new:
        return (old["value"], old["currency"]) == (new["value"], new["currency"])
    return bool(old == new)


def save_story(
    db: Database, site: Site, edition_id: str, story_id: str, form: FormData, editor: str
) -> str:
    """The fields the editor changed are kept (as theirs), then the edition is rebuilt."""
    edition = _editable(db, edition_id)
    story = _story(edition, story_id)
    changed: dict[str, Any] = {}
    currency = str(form.get("currency") or "")
    for spec in overrides.FIELDS:
        if spec.name not in form:
            continue
        current = overrides.value_of(story, spec.name)
        sent = str(form.get(spec.name) or "")
        if _untouched(spec.name, sent, current, currency):
            continue
        try:
            value = overrides.parse(spec.name, sent, currency)
        except overrides.OverrideError as e:
            raise review.ReviewError(str(e)) from None
        if not _same(spec.name, current, value):
            changed[spec.name] = value
    if not changed:
        return "Aucun changement : l'article est tel quel."
    store.set_story(db, story_id, changed, editor)
    fresh = review.rebuild(db, site.config, edition.id, site.out_dir, editor)
    log.info("story edited edition=%s story=%s fields=%s", edition.id, story_id, sorted(changed))
    return f"« {_headline(fresh, story_id)} » modifié ({_labels(changed)})."


def _labels(names: Any) -> str:
    return ", ".join(overrides.SPECS[n].label.lower() for n in names)


def _headline(edition: Edition, story_id: str) -> str:
    found = next((s for s in edition.stories if s.id == story_id), None)
    return (found.headline if found else story_id)[:80]


def undo_story(
    db: Database, site: Site, edition_id: str, story_id: str, field: str, editor: str
) -> str:
    edition = _editable(db, edition_id)
    if field not in overrides.SPECS or not store.undo_story(db, story_id, field):
        raise review.ReviewError("Rien à annuler pour ce champ.")
    fresh = review.rebuild(db, site.config, edition.id, site.out_dir, editor)
    label = overrides.SPECS[field].label.lower()
    return f"« {_headline(fresh, story_id)} » : {label} rendu à la valeur de la machine."


def _sequence(edition: Edition) -> list[list[str]]:
    """The edition's visible stories by band: [lead], cards, rounds, brief."""
    plan = layout(edition)
    return [
        [plan.lead.id] if plan.lead else [],
        [s.id for s in plan.investments],
        [s.id for s in plan.rounds],
        [s.id for s in plan.brief],
    ]


def move(db: Database, site: Site, edition_id: str, story_id: str, step: int, editor: str) -> str:
    """One place up (step -1) or down (+1) within its band; the order is kept for the edition."""
    edition = _editable(db, edition_id)
    bands = _sequence(edition)
    band = next((b for b in bands if story_id in b), None)
    if band is None:
        raise review.ReviewError("Cet article n'est pas affiché dans l'édition (retenu ?).")
    i = band.index(story_id)
    j = i + step
    if band is bands[0] or not 0 <= j < len(band):
        where = "en tête" if step < 0 else "en dernier"
        raise review.ReviewError(f"L'article est déjà {where} de sa rubrique.")
    band[i], band[j] = band[j], band[i]
    cards = [s for b in bands[1:] for s in b]  # the lead is the pin's (or importance's)
    store.set_edition(db, edition.id, {"order": cards}, editor)
    fresh = review.rebuild(db, site.config, edition.id, site.out_dir, editor)
    way = "monté" if step < 0 else "descendu"
    return f"« {_headline(fresh, story_id)} » {way} d'une place."


def pin(db: Database, site: Site, edition_id: str, story_id: str, editor: str) -> str:
    """The story becomes the lead ("À la une"), kept across rebuilds; again: unpinned."""
    edition = _editable(db, edition_id)
    story = _story(edition, story_id)
    if story.held_reason:
        raise review.ReviewError("Un article retenu ne peut pas être à la une.")
    kept = store.of_edition(db, edition.id).get("lead")
    if kept and kept.value == story_id:
        store.undo_edition(db, edition.id, "lead")
        said = "n'est plus épinglé à la une"
    else:
        store.set_edition(db, edition.id, {"lead": story_id}, editor)
        said = "à la une"
    fresh = review.rebuild(db, site.config, edition.id, site.out_dir, editor)
    return f"« {_headline(fresh, story_id)} » {said}."


def add(db: Database, site: Site, edition_id: str, form: FormData, editor: str) -> str:
    """An article from a link (fetched) or a pasted text, read like an item, then rebuilt."""
    edition = _editable(db, edition_id)
    url = str(form.get("url") or "").strip()
    text = str(form.get("text") or "").strip()
    title = " ".join(str(form.get("title") or "").split())[:300]
    if text:
        if len(text) > MAX_PASTED:
            raise review.ReviewError(f"Texte trop long : au plus {MAX_PASTED} caractères.")
        if not title:
            raise review.ReviewError("Donnez un titre au texte collé.")
        if url and not url.startswith(("http://", "https://")):
            raise review.ReviewError("Lien non valide : il doit commencer par http:// ou https://.")
    elif url:
        try:
            page = fetch_page(url, site.config.polling)
        except PageError as e:
            raise review.ReviewError(str(e)) from None
        url, title, text = page.url, title or page.title or url, page.text
    else:
        raise review.ReviewError("Indiquez un lien ou collez le texte de l'article.")
    # dated inside the edition's period, so that the rebuild takes it
    published = min(now(), edition.period_end - timedelta(seconds=1))
    found = flow.add_item(db, site.config, url=url, title=title, text=text, published=published)
    if not found:
        raise review.ReviewError(
            "Article enregistré, mais aucun investissement n'y a été reconnu : aucun sujet créé."
        )
    fresh = review.rebuild(db, site.config, edition.id, site.out_dir, editor)
    log.info("article added edition=%s editor=%s stories=%s", edition.id, editor, found)
    shown = [s for s in fresh.stories if s.id in found]
    if not shown:
        return "Article ajouté, mais son sujet n'entre pas dans cette édition."
    held = " (retenu : vérifiez-le)" if any(s.held_reason for s in shown) else ""
    return f"Article ajouté : « {shown[0].headline[:80]} »{held}."


def wording_page(db: Database, edition_id: str) -> dict[str, Any]:
    edition = review.edition(db, edition_id)
    return {
        "edition": edition,
        "kept": store.of_edition(db, edition.id),
        "opening": edition.opening,
        "limits": {
            "subject": (1, wording.SUBJECT_MAX),
            "preheader": (wording.PREHEADER_MIN, wording.PREHEADER_MAX),
            "opening": (1, MAX_OPENING),
        },
        "editable": edition.state in lifecycle.EDITABLE,
    }


def save_wording(db: Database, site: Site, edition_id: str, form: FormData, editor: str) -> str:
    edition = _editable(db, edition_id)
    current = {
        "subject": edition.subject,
        "preheader": edition.preheader,
        "opening": edition.opening,
    }
    limits = {
        "subject": wording.SUBJECT_MAX,
        "preheader": wording.PREHEADER_MAX,
        "opening": MAX_OPENING,
    }
    names = {
        "subject": "L'objet",
        "preheader": "Le pré-en-tête",
        "opening": "La phrase d'ouverture",
    }
    changed = {}
    for name in WORDING_FIELDS:
        if name not in form:
            continue
        text = " ".join(str(form.get(name) or "").split())
        if not text:
            raise review.ReviewError(f"{names[name]} ne peut pas être vide.")
        if len(text) > limits[name]:
            raise review.ReviewError(
                f"{names[name]} fait {len(text)} caractères : au plus {limits[name]}."
            )
        if text != current[name]:
            changed[name] = text
    if not changed:
        return "Aucun changement."
    store.set_edition(db, edition.id, changed, editor)
    review.rebuild(db, site.config, edition.id, site.out_dir, editor)
    said = french.join([names[n].lower() for n in changed])
    short = len(changed.get("preheader", "x" * wording.PREHEADER_MIN)) < wording.PREHEADER_MIN
    hint = f" (pré-en-tête court : {wording.PREHEADER_MIN} caractères conseillés)" if short else ""
    return (
        f"Édition n° {edition.number} : {said} enregistré{'s' if len(changed) > 1 else ''}{hint}."
    )


def undo_wording(db: Database, site: Site, edition_id: str, field: str, editor: str) -> str:
    edition = _editable(db, edition_id)
    if field not in WORDING_FIELDS or not store.undo_edition(db, edition.id, field):
        raise review.ReviewError("Rien à annuler pour ce champ.")
    review.rebuild(db, site.config, edition.id, site.out_dir, editor)
    return "Texte rendu à celui de la machine."


def extras(db: Database, edition: Edition) -> dict[str, Any]:
    """What the edition page shows of the editors' corrections: who edited each story, the
    pinned lead, and each story's band and place (for the move buttons)."""
    edits = store.of_stories(db, [s.id for s in edition.stories])
    kept = store.of_edition(db, edition.id)
    places: dict[str, tuple[bool, bool]] = {}
    for i, band in enumerate(_sequence(edition)):
        for j, story_id in enumerate(band):
            places[story_id] = (i > 0 and j > 0, i > 0 and j < len(band) - 1)
    return {
        "edited_by": {
            sid: sorted({o.editor for o in fields.values()}) for sid, fields in edits.items()
        },
        "pinned": kept["lead"].value if "lead" in kept else None,
        "movable": places,
        "wording_edited": sorted(k for k in kept if k in WORDING_FIELDS),
    }


def _add_form(db: Database, edition_id: str) -> dict[str, Any]:
    edition = review.edition(db, edition_id)
    return {"edition": edition, "editable": edition.state in lifecycle.EDITABLE}


def routes(site: Site, editor_only: Callable[[Handler], Handler]) -> list[Route]:
    """The pages and actions above, behind the editors' login (editor_only)."""

    def action(work: Callable[..., str], anchor: str = "") -> Handler:
        """A POST: CSRF checked, work(db, site, path params, form, editor) done in a thread;
        back to the story acted on, or to the form that failed."""

        async def handler(request: Request) -> Response:
            p = request.path_params
            form = await checked_form(request)
            editor = str(request.session.get("editor") or "éditeur")
            try:
                message = await site.call(work, site, p, form, editor)
            except review.ReviewError as e:
                flash(request, str(e), "error")
                failed = request.query_params.get("back")
                if failed in ("edit", "add", "wording"):
                    return back(_edition_url(p["edition_id"], failed, p.get("story_id")))
            else:
                flash(request, message)
                # kept in the edition's history under the editor's name, as every action is
                await site.call(history.record, p["edition_id"], editor, work.__name__, message)
            where = anchor.format(story=quote(p.get("story_id", "")))
            return back(_edition_url(p["edition_id"]) + where)

        return editor_only(handler)

    def page(template: str, load: Callable[..., dict[str, Any]], csp: str = "") -> Handler:
        async def handler(request: Request) -> Response:
            try:
                data = await site.call(load, *request.path_params.values())
            except review.ReviewError as e:
                return site.page(request, "message.html", 404, title="Introuvable", text=str(e))
            response = site.page(request, template, **data)
            if csp:
                response.headers["Content-Security-Policy"] = csp
            return response

        return editor_only(handler)

    def edit(db: Database, s: Site, p: dict, form: FormData, who: str) -> str:
        return save_story(db, s, p["edition_id"], p["story_id"], form, who)

    def undo(db: Database, s: Site, p: dict, form: FormData, who: str) -> str:
        return undo_story(db, s, p["edition_id"], p["story_id"], p["field"], who)

    def up(db: Database, s: Site, p: dict, form: FormData, who: str) -> str:
        return move(db, s, p["edition_id"], p["story_id"], -1, who)

    def down(db: Database, s: Site, p: dict, form: FormData, who: str) -> str:
        return move(db, s, p["edition_id"], p["story_id"], 1, who)

    def lead(db: Database, s: Site, p: dict, form: FormData, who: str) -> str:
        return pin(db, s, p["edition_id"], p["story_id"], who)

    def added(db: Database, s: Site, p: dict, form: FormData, who: str) -> str:
        return add(db, s, p["edition_id"], form, who)

    def words(db: Database, s: Site, p: dict, form: FormData, who: str) -> str:
        return save_wording(db, s, p["edition_id"], form, who)

    def unword(db: Database, s: Site, p: dict, form: FormData, who: str) -> str:
        return undo_wording(db, s, p["edition_id"], p["field"], who)

    edition = "/editor/editions/{edition_id:str}"
    story = edition + "/stories/{story_id:str}"
    at_story = "#story-{story}"
    return [
        Route(story + "/edit", page("story_edit.html", edit_page), methods=["GET"]),
        Route(story + "/edit", action(edit, at_story), methods=["POST"]),
        Route(story + "/undo/{field:str}", action(undo, at_story), methods=["POST"]),
        Route(story + "/up", action(up, at_story), methods=["POST"]),
        Route(story + "/down", action(down, at_story), methods=["POST"]),
        Route(story + "/pin", action(lead, at_story), methods=["POST"]),
        Route(edition + "/add", page("story_add.html", _add_form), methods=["GET"]),
        Route(edition + "/add", action(added, "#stories"), methods=["POST"]),
        Route(edition + "/wording", page("edition_wording.html", wording_page, WORDING_CSP)),
        Route(edition + "/wording", action(words), methods=["POST"]),
        Route(edition + "/wording/undo/{field:str}", action(unword), methods=["POST"]),
    ]


def _edition_url(edition_id: str, page: str | None = None, story_id: str | None = None) -> str:
    base = f"/editor/editions/{quote(edition_id)}"
    if page == "edit" and story_id:
        return f"{base}/stories/{quote(story_id)}/edit"
    if page in ("add", "wording"):
        return f"{base}/{page}"
    return base

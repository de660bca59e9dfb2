"""The editors' pages, behind the login (one account per editor, see accounts.py): the editions
and their state, an edition's preview at desktop and phone width with its text twin, checks,
stories (merged facts, conflicts, sources) and history, and the actions: approve, hold, send
now, test send, rebuild, drop, merge (confirmed, undoable) and split. Every action is recorded
in the edition's history with the editor's name; the page comes back to the story acted on."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from digest.edition import dates, lifecycle, render
from digest.edition.lifecycle import BLOCKING
from digest.edition.preflight import LABELS
from digest.edition.unsubscribe import generic
from digest.edition.view import StoryView, story_view
from digest.models import Story
from digest.send.mailing import send_latest, send_test
from digest.send.sender import SendFailed
from digest.send.slots import next_send
from digest.send.subscribers import InvalidAddress
from digest.store import Database, deliveries, history, now, open_db
from digest.store import editions as edition_store
from digest.store import review as review_store
from digest.store import stories as story_store
from digest.web import accounts, review, sessions, stories
from digest.web.address_fr import french
from digest.web.logins import DEVICE_COOKIE, DEVICE_DAYS
from digest.web.security import checked_form, client_of
from digest.web.site import Site, back, flash

log = logging.getLogger(__name__)
Handler = Callable[[Request], Awaitable[Response]]
MAX_TEST_ADDRESSES = 10
_SPLIT_ADDRESSES = re.compile(r"[\s,;]+")


@dataclass
class StoryPanel:
    """A story as the editor reviews it: its card, its mentions, what grouping did to it."""

    story: Story
    view: StoryView
    mentions: list[story_store.Row]
    merged_into: str | None
    undo_merge: bool


def _panels(db: Database, stories: list[Story]) -> list[StoryPanel]:
    panels = []
    for story in stories:
        row = story_store.story_row(db, story.id)
        merged = row["merged_into"] if row is not None else None
        mentions = [] if merged else story_store.mentions_of(db, story.id)
        undo = not merged and review.last_merge(db, story.id) is not None
        panels.append(StoryPanel(story, story_view(story), mentions, merged, undo))
    return panels


# who changed an edition, when it was not an editor; what the history's actions mean
MACHINE = {
    "build": "construction",
    "build (automatic approval)": "construction (approbation automatique)",
    "send": "envoi",
    "send (automatic approval)": "envoi (approbation automatique)",
    "send (every copy delivered)": "envoi (toutes les copies remises)",
}
ACTIONS = {
    "built": "édition construite",
    "rebuild": "reconstruction",
    "drop": "retrait",
    "restore": "remise",
    "merge": "fusion",
    "unmerge": "fusion annulée",
    "split": "séparation",
    "test_send": "copie de test",
    "send_now": "envoi immédiat",
    "send_report": "résultat de l'envoi",
    "send_failed": "échec de l'envoi",
    "edit": "article modifié",
    "undo": "modification annulée",
    "up": "article monté",
    "down": "article descendu",
    "lead": "à la une",
    "added": "article ajouté",
    "words": "objet ou introduction modifiés",
    "unword": "objet ou introduction rétablis",
} | {state: f"état : {name}" for state, name in lifecycle.NAMES.items()}


def _locked_why(state: str) -> str:
    """Why the story buttons are not shown on an edition in this state."""
    if state == "approved":
        return "Édition approuvée : retenez-la pour retirer, fusionner ou séparer ses articles."
    return f"Édition {lifecycle.NAMES[state]} : ses articles ne peuvent plus changer."  # type: ignore[index]


def edition_page(db: Database, site: Site, edition_id: str) -> dict[str, Any] | None:
    """Everything the edition page shows, read in one go."""
    found = edition_store.get(db, edition_id)
    if found is None:
        return None
    cfg = site.config
    base = cfg.newsletter.base_url
    latest = edition_store.latest(db)
    send_at = next_send(cfg, now()) if found.state == "approved" else None
    blocking = lifecycle.blocking_failures(found)
    return {
        "edition": found,
        "state_name": lifecycle.NAMES[found.state],
        "editable": found.state in lifecycle.EDITABLE,
        "locked_why": _locked_why(found.state),
        "can_approve": lifecycle.allowed(found.state, "approved"),
        "can_hold": lifecycle.allowed(found.state, "held"),
        "can_send": found.state == "approved" and latest is not None and latest.id == found.id,
        "send_at": dates.when(send_at, cfg.newsletter.timezone) if send_at else "",
        "blocking": [LABELS.get(n, n) for n in blocking],
        "labels": LABELS,
        "blocking_names": BLOCKING,
        "html": render.public_html(found, cfg),
        "text": generic(found.text, base),
        "panels": _panels(db, found.stories),
        "dropped": _panels(db, review_store.dropped(db, found.id)),
        "deliveries": deliveries.counts(db, found.id),
        "times": edition_store.times(db, found.id),
        **stories.extras(db, found),
        "history": [
            replace(h, by=MACHINE.get(h.by, h.by), action=ACTIONS.get(h.action, h.action))
            for h in history.of(db, found.id)
        ],
        "require_approval": cfg.schedule.require_approval,
    }


def _addresses(form: FormData) -> list[str]:
    raw = str(form.get("addresses") or "")
    return [a for a in _SPLIT_ADDRESSES.split(raw) if a]


def _headline(db: Database, edition_id: str, story_id: str) -> str:
    """The story's headline as the edition shows it (its id if it is not there)."""
    found = edition_store.get(db, edition_id)
    stories = (found.stories if found else []) + review_store.dropped(db, edition_id)
    story = next((s for s in stories if s.id == story_id), None)
    return story_view(story).headline if story else story_id


@dataclass
class Done:
    """What an action says, and where the page goes back to (an anchor on the story)."""

    message: str
    anchor: str = ""


def _send_in_background(site: Site, edition_id: str, by: str, lock: threading.Lock) -> None:
    """The path of `digest send`, on its own connection; the lifecycle's compare-and-set keeps
    a hold or another send from racing it. Its outcome goes to the history."""
    db = open_db(site.db_path)
    try:
        report = send_latest(db, site.config)
        history.record(db, edition_id, by, "send_report", report.summary())
    except SendFailed as e:
        log.warning("send now edition=%s failed: %s", edition_id, e)
        history.record(db, edition_id, by, "send_failed", str(e))
    finally:
        db.close()
        lock.release()


def routes(site: Site) -> list[Route]:
    bootstrap, key = site.editors, site.session_key
    sending = threading.Lock()

    def _session_check(db: Database, name: str) -> tuple[int, str | None]:
        return sessions.version(db, name), accounts.secret_of(db, bootstrap, name)

    def editor_only(handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            name = request.session.get("editor")
            current, secret = (
                await site.call(_session_check, name) if isinstance(name, str) else (0, None)
            )
            if not sessions.valid(request.session, secret, key, current):
                request.session.clear()  # ended by a logout or a new password, or never opened
                if request.method != "GET":
                    return site.page(request, "login.html", 401, error=None, next="/editor")
                return RedirectResponse(
                    f"/editor/login?next={quote(request.url.path)}", status_code=303
                )
            return await handler(request)

        return guarded

    async def login_form(request: Request) -> Response:
        nxt = request.query_params.get("next", "/editor")
        return site.page(request, "login.html", error=None, next=_local(nxt))

    async def login(request: Request) -> Response:
        """Limits are checked before the password (see logins.py); only failures count."""
        form = await checked_form(request)
        nxt = _local(str(form.get("next") or "/editor"))
        user = str(form.get("user") or "")[:200]
        client = client_of(request)
        known = request.cookies.get(DEVICE_COOKIE)
        device = site.logins.device_of(known, user)
        if not site.logins.may_try(user, client, device):
            log.warning("login refused reason=too_many_failures client=%s", client)
            return site.page(
                request, "login.html", 429, error="Trop d'essais : patientez.", next=nxt
            )
        password = str(form.get("password") or "")
        name = await site.call(accounts.check, bootstrap, user, password)
        if name is None:
            site.logins.failed(user, client, device)
            log.warning("login refused client=%s", client)
            return site.page(request, "login.html", 401, error="Identifiants incorrects.", next=nxt)
        site.logins.succeeded(user, client)
        current, secret = await site.call(_session_check, name)
        assert secret is not None
        request.session.clear()  # a fresh session (and CSRF token) for the editor
        request.session.update(sessions.opened(name, secret, key, current))
        log.info("login editor=%s client=%s", name, client)
        response = back(nxt)
        response.set_cookie(
            DEVICE_COOKIE,
            known if device and known else site.logins.device_cookie(name),
            max_age=DEVICE_DAYS * 86400,
            path="/editor/login",
            httponly=True,
            samesite="strict",
            secure=site.config.web.secure_cookies,
        )
        return response

    async def logout(request: Request) -> Response:
        """Ends every session of the editor on the server: a copied cookie is refused too."""
        await checked_form(request)
        name = request.session.get("editor")
        if isinstance(name, str):
            await site.call(sessions.end_all, name)
        request.session.clear()
        return back("/editor/login")

    async def index(request: Request) -> Response:
        listed = await site.call(lambda db: edition_store.listing(db, limit=200))
        return site.page(request, "editions.html", editions=listed, names=lifecycle.NAMES)

    async def show(request: Request) -> Response:
        data = await site.call(edition_page, site, request.path_params["edition_id"])
        if data is None:
            return site.page(request, "message.html", 404, title="Édition introuvable", text=(
                "Aucune édition ne porte ce nom."
            ))  # fmt: skip
        return site.page(request, "edition.html", **data)

    def action(work: Callable[..., Done], name: str) -> Handler:
        """A POST on an edition: CSRF checked, work done in a thread, the result flashed and
        recorded in the edition's history under the editor's name."""

        async def handler(request: Request) -> Response:
            edition_id = request.path_params["edition_id"]
            form = await checked_form(request)
            who = str(request.session.get("editor"))
            story_id = request.path_params.get("story_id")
            anchor = f"story-{story_id}" if story_id else ""  # an error: back to the story
            try:
                done = await site.call(work, edition_id, form, request.path_params, who)
            except (review.ReviewError, SendFailed) as e:
                flash(request, str(e), "error")
            except InvalidAddress as e:
                flash(request, f"Adresse non valide : {french(str(e))}.", "error")
            else:
                if name not in ("approve", "hold"):  # state changes are recorded by lifecycle
                    await site.call(history.record, edition_id, who, name, done.message)
                flash(request, done.message)
                anchor = done.anchor
            target = f"/editor/editions/{quote(edition_id)}"
            return back(f"{target}#{anchor}" if anchor else target)

        return editor_only(handler)

    cfg, out = site.config, site.out_dir

    def approve(db: Database, edition_id: str, form: FormData, _: dict, by: str) -> Done:
        found = review.approve(db, edition_id, by)
        slot = next_send(cfg, now())
        when = f" le {dates.when(slot, cfg.newsletter.timezone)}" if slot else " à l'heure d'envoi"
        return Done(f"Édition n° {found.number} approuvée : elle partira{when}.", "edition")

    def hold(db: Database, edition_id: str, form: FormData, _: dict, by: str) -> Done:
        found = review.hold(db, edition_id, by)
        return Done(
            f"Édition n° {found.number} retenue : elle ne partira pas sans approbation.", "edition"
        )

    def send_now(db: Database, edition_id: str, form: FormData, _: dict, by: str) -> Done:
        found = review.edition(db, edition_id)
        latest = edition_store.latest(db)
        if found.state != "approved" or latest is None or latest.id != found.id:
            raise review.ReviewError(
                f"L'édition n° {found.number} est {lifecycle.NAMES[found.state]} : seule la"
                " dernière édition approuvée peut partir maintenant."
            )
        if not sending.acquire(blocking=False):
            raise review.ReviewError("Un envoi est déjà en cours.")
        threading.Thread(
            target=_send_in_background, args=(site, found.id, by, sending), daemon=True
        ).start()
        return Done(f"Envoi de l'édition n° {found.number} lancé.", "edition")

    def rebuild(db: Database, edition_id: str, form: FormData, _: dict, by: str) -> Done:
        found = review.rebuild(db, cfg, edition_id, out, by)
        return Done(f"Édition reconstruite : {len(found.stories)} articles.")

    def test_send(db: Database, edition_id: str, form: FormData, _: dict, by: str) -> Done:
        targets = _addresses(form)
        if not targets:
            raise review.ReviewError("Indiquez au moins une adresse pour la copie de test.")
        if len(targets) > MAX_TEST_ADDRESSES:
            raise review.ReviewError(f"Au plus {MAX_TEST_ADDRESSES} adresses par envoi de test.")
        results = send_test(db, cfg, review.edition(db, edition_id), targets)
        sent = [to for to, r in results if r.kind == "sent"]
        failed = [f"{to} ({r.detail})" for to, r in results if r.kind != "sent"]
        if failed:
            raise review.ReviewError(f"Copie de test non envoyée à : {', '.join(failed)}")
        return Done(f"Copie de test envoyée à {', '.join(sent)}.")

    def drop(db: Database, edition_id: str, form: FormData, params: dict, by: str) -> Done:
        story_id = params["story_id"]
        title = _headline(db, edition_id, story_id)
        review.drop_story(db, cfg, edition_id, story_id, out, by)
        return Done(f"« {title} » retirée de l'édition.", f"dropped-{story_id}")

    def restore(db: Database, edition_id: str, form: FormData, params: dict, by: str) -> Done:
        story_id = params["story_id"]
        title = _headline(db, edition_id, story_id)
        review.drop_story(db, cfg, edition_id, story_id, out, by, drop=False)
        return Done(f"« {title} » remise dans l'édition.", f"story-{story_id}")

    def merge(db: Database, edition_id: str, form: FormData, params: dict, by: str) -> Done:
        keep, other = params["story_id"], str(form.get("other") or "")
        kept, gone = _headline(db, edition_id, keep), _headline(db, edition_id, other)
        review.merge(db, cfg, edition_id, keep, other, out, by)
        return Done(f"« {gone} » fusionnée dans « {kept} ».", f"story-{keep}")

    def unmerge(db: Database, edition_id: str, form: FormData, params: dict, by: str) -> Done:
        story_id = params["story_id"]
        title = _headline(db, edition_id, story_id)
        review.unmerge(db, cfg, edition_id, story_id, out, by)
        return Done(f"Fusion annulée : « {title} » est de nouveau séparée.", f"story-{story_id}")

    def split(db: Database, edition_id: str, form: FormData, params: dict, by: str) -> Done:
        story_id = params["story_id"]
        try:
            mentions = [int(v) for v in form.getlist("mention") if isinstance(v, str)]
        except ValueError:
            raise review.ReviewError("Mentions non valides.") from None
        title = _headline(db, edition_id, story_id)
        review.split(db, cfg, edition_id, story_id, mentions, out, by)
        return Done(f"« {title} » séparée en deux articles.", f"story-{story_id}")

    async def confirm_merge(request: Request) -> Response:
        """A merge is asked for here first: the page names both stories and posts the merge."""
        form = await checked_form(request)
        edition_id, keep = request.path_params["edition_id"], request.path_params["story_id"]
        other = str(form.get("other") or "")
        kept, gone = await site.call(
            lambda db: (_headline(db, edition_id, keep), _headline(db, edition_id, other))
        )
        return site.page(
            request,
            "merge.html",
            edition_id=edition_id,
            keep=keep,
            other=other,
            kept=kept,
            gone=gone,
        )

    edition = "/editor/editions/{edition_id:str}"
    story = edition + "/stories/{story_id:str}"
    return [
        Route("/editor/login", login_form, methods=["GET"]),
        Route("/editor/login", login, methods=["POST"]),
        Route("/editor/logout", logout, methods=["POST"]),
        Route("/editor", editor_only(index), methods=["GET"]),
        Route(edition, editor_only(show), methods=["GET"]),
        Route(edition + "/approve", action(approve, "approve"), methods=["POST"]),
        Route(edition + "/hold", action(hold, "hold"), methods=["POST"]),
        Route(edition + "/send", action(send_now, "send_now"), methods=["POST"]),
        Route(edition + "/rebuild", action(rebuild, "rebuild"), methods=["POST"]),
        Route(edition + "/test", action(test_send, "test_send"), methods=["POST"]),
        Route(story + "/drop", action(drop, "drop"), methods=["POST"]),
        Route(story + "/restore", action(restore, "restore"), methods=["POST"]),
        Route(story + "/merge/confirm", editor_only(confirm_merge), methods=["POST"]),
        Route(story + "/merge", action(merge, "merge"), methods=["POST"]),
        Route(story + "/unmerge", action(unmerge, "unmerge"), methods=["POST"]),
        Route(story + "/split", action(split, "split"), methods=["POST"]),
        *stories.routes(site, editor_only),
    ]


def _local(path: str) -> str:
    """Only our own editors' pages are followed after login (no open redirect)."""
    if path.startswith("/editor") and not path.startswith("//") and "\\" not in path:
        return path
    return "/editor"

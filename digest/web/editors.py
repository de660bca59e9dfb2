"""The editors' pages, behind the login: the editions and their state, an edition's preview at
desktop and phone width with its text twin, checks and stories (merged facts, conflicts,
sources), and the actions: approve, hold, test send, rebuild, drop, merge and split."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from digest.edition import lifecycle, render
from digest.edition.unsubscribe import generic
from digest.edition.view import StoryView, story_view
from digest.models import Story
from digest.send.mailing import send_test
from digest.send.sender import SendFailed
from digest.send.subscribers import InvalidAddress
from digest.store import Database, deliveries
from digest.store import editions as edition_store
from digest.store import review as review_store
from digest.store import stories as story_store
from digest.web import review, sessions, stories
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


def _panels(db: Database, stories: list[Story]) -> list[StoryPanel]:
    panels = []
    for story in stories:
        row = story_store.story_row(db, story.id)
        merged = row["merged_into"] if row is not None else None
        mentions = [] if merged else story_store.mentions_of(db, story.id)
        panels.append(StoryPanel(story, story_view(story), mentions, merged))
    return panels


def edition_page(db: Database, site: Site, edition_id: str) -> dict[str, Any] | None:
    """Everything the edition page shows, read in one go."""
    found = edition_store.get(db, edition_id)
    if found is None:
        return None
    base = site.config.newsletter.base_url
    return {
        "edition": found,
        "state_name": lifecycle.NAMES[found.state],
        "editable": found.state in lifecycle.EDITABLE,
        "can_approve": lifecycle.allowed(found.state, "approved"),
        "can_hold": lifecycle.allowed(found.state, "held"),
        "html": render.public_html(found, site.config),
        "text": generic(found.text, base),
        "panels": _panels(db, found.stories),
        "dropped": _panels(db, review_store.dropped(db, found.id)),
        "deliveries": deliveries.counts(db, found.id),
        "times": edition_store.times(db, found.id),
        **stories.extras(db, found),
    }


def _addresses(form: FormData) -> list[str]:
    raw = str(form.get("addresses") or "")
    return [a for a in _SPLIT_ADDRESSES.split(raw) if a]


def routes(site: Site) -> list[Route]:
    editors, key = site.editors, site.session_key

    def editor_only(handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            current = await site.call(sessions.version, editors.user)
            if not sessions.valid(request.session, editors, key, current):
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
        if not editors.check(user, str(form.get("password") or "")):
            site.logins.failed(user, client, device)
            log.warning("login refused client=%s", client)
            return site.page(request, "login.html", 401, error="Identifiants incorrects.", next=nxt)
        site.logins.succeeded(user, client)
        current = await site.call(sessions.version, editors.user)
        request.session.clear()  # a fresh session (and CSRF token) for the editor
        request.session.update(sessions.opened(editors, key, current))
        log.info("login editor=%s client=%s", editors.user, client)
        response = back(nxt)
        response.set_cookie(
            DEVICE_COOKIE,
            known if device and known else site.logins.device_cookie(editors.user),
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
        if request.session.get("editor") == editors.user:
            await site.call(sessions.end_all, editors.user)
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

    def action(work: Callable[..., str]) -> Handler:
        """A POST on an edition: CSRF checked, work done in a thread, the result flashed."""

        async def handler(request: Request) -> Response:
            edition_id = request.path_params["edition_id"]
            form = await checked_form(request)
            try:
                message = await site.call(work, edition_id, form, request.path_params)
            except (review.ReviewError, SendFailed, InvalidAddress) as e:
                flash(request, str(e), "error")
            else:
                flash(request, message)
            return back(f"/editor/editions/{quote(edition_id)}")

        return editor_only(handler)

    cfg, out = site.config, site.out_dir

    def approve(db: Database, edition_id: str, form: FormData, _: dict) -> str:
        found = review.approve(db, edition_id)
        return f"Édition n° {found.number} approuvée : elle partira à l'heure d'envoi."

    def hold(db: Database, edition_id: str, form: FormData, _: dict) -> str:
        found = review.hold(db, edition_id)
        return f"Édition n° {found.number} retenue : elle ne partira pas sans approbation."

    def rebuild(db: Database, edition_id: str, form: FormData, _: dict) -> str:
        found = review.rebuild(db, cfg, edition_id, out)
        return f"Édition reconstruite : {len(found.stories)} histoires."

    def test_send(db: Database, edition_id: str, form: FormData, _: dict) -> str:
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
        return f"Copie de test envoyée à {', '.join(sent)}."

    def drop(db: Database, edition_id: str, form: FormData, params: dict) -> str:
        review.drop_story(db, cfg, edition_id, params["story_id"], out)
        return "Histoire retirée de l'édition."

    def restore(db: Database, edition_id: str, form: FormData, params: dict) -> str:
        review.drop_story(db, cfg, edition_id, params["story_id"], out, drop=False)
        return "Histoire remise dans l'édition."

    def merge(db: Database, edition_id: str, form: FormData, params: dict) -> str:
        other = str(form.get("other") or "")
        review.merge(db, cfg, edition_id, params["story_id"], other, out)
        return "Histoires fusionnées."

    def split(db: Database, edition_id: str, form: FormData, params: dict) -> str:
        try:
            mentions = [int(v) for v in form.getlist("mention") if isinstance(v, str)]
        except ValueError:
            raise review.ReviewError("Mentions non valides.") from None
        review.split(db, cfg, edition_id, params["story_id"], mentions, out)
        return "Histoire séparée en deux."

    edition = "/editor/editions/{edition_id:str}"
    story = edition + "/stories/{story_id:str}"
    return [
        Route("/editor/login", login_form, methods=["GET"]),
        Route("/editor/login", login, methods=["POST"]),
        Route("/editor/logout", logout, methods=["POST"]),
        Route("/editor", editor_only(index), methods=["GET"]),
        Route(edition, editor_only(show), methods=["GET"]),
        Route(edition + "/approve", action(approve), methods=["POST"]),
        Route(edition + "/hold", action(hold), methods=["POST"]),
        Route(edition + "/rebuild", action(rebuild), methods=["POST"]),
        Route(edition + "/test", action(test_send), methods=["POST"]),
        Route(story + "/drop", action(drop), methods=["POST"]),
        Route(story + "/restore", action(restore), methods=["POST"]),
        Route(story + "/merge", action(merge), methods=["POST"]),
        Route(story + "/split", action(split), methods=["POST"]),
        *stories.routes(site, editor_only),
    ]


def _local(path: str) -> str:
    """Only our own editors' pages are followed after login (no open redirect)."""
    if path.startswith("/editor") and not path.startswith("//") and "\\" not in path:
        return path
    return "/editor"

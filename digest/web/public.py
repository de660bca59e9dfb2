"""Pages anyone can open: the archive of sent editions and their web version, the sign-up form
with double opt-in, and the unsubscribe endpoint of RFC 8058 (POST unsubscribes at once; GET only
shows a page with a button, so a link scanner's GET never unsubscribes anyone)."""

from __future__ import annotations

import logging

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from digest.edition import render
from digest.send.subscribers import (
    InvalidAddress,
    by_token,
    confirm_by_token,
    normalise,
    unsubscribe_by_token,
)
from digest.store import editions as edition_store
from digest.web.address_fr import french
from digest.web.security import checked_form, client_of
from digest.web.site import Site

log = logging.getLogger(__name__)
ID = "{edition_id:str}"


def routes(site: Site) -> list[Route]:
    async def home(request: Request) -> Response:
        return RedirectResponse("/editions", status_code=307)

    async def health(request: Request) -> Response:
        await site.call(lambda db: db.execute("SELECT 1").fetchone())
        return PlainTextResponse("ok")

    async def archive(request: Request) -> Response:
        sent = await site.call(lambda db: edition_store.listing(db, limit=500))
        shown = [e for e in sent if e.state == "sent"]
        return site.page(request, "archive.html", editions=shown)

    async def web_version(request: Request) -> Response:
        edition_id = request.path_params["edition_id"]
        found = await site.call(edition_store.get, edition_id)
        if found is None or found.state != "sent":
            return site.page(request, "message.html", 404, title="Édition introuvable", text=(
                "Cette édition n'existe pas ou n'a pas encore été envoyée."
            ))  # fmt: skip
        return HTMLResponse(render.public_html(found, site.config))

    async def subscribe_form(request: Request) -> Response:
        return site.page(request, "subscribe.html", error=None, address="")

    async def subscribe(request: Request) -> Response:
        """The same work and the same answer whatever the address's state: syntax checked here,
        the rest (database, mail) done by the sign-up thread."""
        if not site.subscribe_limit.allow(client_of(request)):
            return _too_many(request)
        form = await checked_form(request)
        address = str(form.get("email") or "")[:320]
        try:
            email = normalise(address)
        except InvalidAddress as e:
            return site.page(
                request,
                "subscribe.html",
                400,
                error=f"Adresse non valide : {french(str(e))}.",
                address=address,
            )
        if site.confirmations.full():
            return site.page(request, "message.html", 503, title="Envoi impossible", text=(
                "Trop d'inscriptions en attente : réessayez dans quelques minutes."
            ))  # fmt: skip
        answer = site.page(request, "message.html", title="Vérifiez votre boîte", text=(
            "Si cette adresse peut recevoir la lettre, un message va lui être envoyé :"
            " ouvrez le lien qu'il contient pour confirmer votre inscription."
        ))  # fmt: skip
        if site.mails_to.allow(email.lower()):
            # queued once the answer is sent: its work never overlaps the answer's own time
            answer.background = BackgroundTask(site.confirmations.submit, email)
        else:  # the same answer: a victim's mailbox is not flooded, and nothing is revealed
            log.warning("signup not mailed reason=too_many_for_address")
        return answer

    def _too_many(request: Request) -> Response:
        return site.page(request, "message.html", 429, title="Trop de demandes", text=(
            "Trop de demandes depuis votre adresse : réessayez dans quelques minutes."
        ))  # fmt: skip

    async def button_page(request: Request, purpose: str) -> Response:
        """GET on a signed link: a page with the button that POSTs it (confirm.html,
        unsubscribe.html), nothing changed yet."""
        token = request.path_params["token"]
        sub = await site.call(by_token, site.config, token, purpose)
        if sub is None:
            return _bad_link(request)
        return site.page(request, f"{purpose}.html", sub=sub, token=token)

    async def confirm_page(request: Request) -> Response:
        return await button_page(request, "confirm")

    async def confirm(request: Request) -> Response:
        if not site.link_limit.allow(client_of(request)):
            return _too_many(request)
        await checked_form(request)
        sub = await site.call(confirm_by_token, site.config, request.path_params["token"])
        if sub is None:
            return _bad_link(request)
        return site.page(request, "message.html", title="Inscription confirmée", text=(
            f"C'est fait : {sub.email} recevra {site.config.newsletter.name}."
        ))  # fmt: skip

    async def unsubscribe_help(request: Request) -> Response:
        return site.page(request, "message.html", title="Se désinscrire", text=(
            "Pour vous désinscrire, suivez le lien « Se désinscrire » en bas de la lettre reçue :"
            " il est propre à votre adresse."
        ))  # fmt: skip

    async def unsubscribe_page(request: Request) -> Response:
        return await button_page(request, "unsubscribe")

    async def unsubscribe(request: Request) -> Response:
        """RFC 8058 one-click: the signed token is the authority, no session, no form needed."""
        if not site.link_limit.allow(client_of(request)):
            return _too_many(request)
        sub = await site.call(unsubscribe_by_token, site.config, request.path_params["token"])
        if sub is None:
            return _bad_link(request)
        log.info("unsubscribe subscriber=%s state=%s", sub.id, sub.state)
        return site.page(request, "unsubscribed.html", sub=sub)

    def _bad_link(request: Request) -> Response:
        return site.page(request, "message.html", 400, title="Lien non valide", text=(
            "Ce lien n'est pas valide : copiez-le en entier depuis le message reçu."
        ))  # fmt: skip

    return [
        Route("/", home),
        Route("/healthz", health),
        Route("/editions", archive),
        Route(f"/editions/{ID}", web_version),
        Route("/subscribe", subscribe_form, methods=["GET"]),
        Route("/subscribe", subscribe, methods=["POST"]),
        Route("/confirm/{token:str}", confirm_page, methods=["GET"]),
        Route("/confirm/{token:str}", confirm, methods=["POST"]),
        Route("/unsubscribe", unsubscribe_help, methods=["GET"]),
        Route("/unsubscribe/{token:str}", unsubscribe_page, methods=["GET"]),
        Route("/unsubscribe/{token:str}", unsubscribe, methods=["POST"]),
    ]

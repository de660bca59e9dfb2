"""16.13: a garbage token or id (non-ASCII digits such as "²", bytes that are not UTF-8, huge
numbers, empty parts) is a 400 or a 404 on every route taking one, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from tests.security.server import Served, client_from, digest_serve
from tests.support.webserver import csrf_of, login

SHAPES = [
    "²",
    "².abc",
    "1².abc",
    "²³.x",
    "١٢.abc",  # Arabic-Indic digits: isdigit() too
    "%FF%FE.abc",
    "%00.abc",
    "9" * 19 + ".abc",
    "9" * 400,
    "-1.abc",
    "+1.abc",
    " 1.abc",
    "1.",
    ".abc",
    "1..",
    "1.é",
    "0x1f.abc",
    "1_0.abc",
    "1e3.abc",
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with digest_serve(tmp_path_factory.mktemp("tokens")) as running:
        yield running


def _path(shape: str) -> str:
    return shape if "%" in shape else quote(shape, safe=".")


@pytest.mark.parametrize("shape", SHAPES)
def test_a_bad_token_is_refused_on_every_public_route(served: Served, shape: str) -> None:
    token = _path(shape)
    # each shape from its own address: the per-client limit on these POSTs stays out of the way
    with client_from(served, SHAPES.index(shape)) as client:
        codes = _public_codes(client, token)
    assert all(code in (400, 404) for code in codes.values()), codes


def _public_codes(client: httpx.Client, token: str) -> dict[str, int]:
    csrf = csrf_of(client.get("/subscribe"))
    answers = {
        "GET confirm": client.get(f"/confirm/{token}"),
        "POST confirm": client.post(f"/confirm/{token}", data={"csrf": csrf}),
        "GET unsubscribe": client.get(f"/unsubscribe/{token}"),
        "POST unsubscribe": client.post(f"/unsubscribe/{token}"),
        "POST one-click": client.post(
            f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
        ),
        "GET edition": client.get(f"/editions/{token}"),
    }
    return {name: answer.status_code for name, answer in answers.items()}


def test_a_bad_id_is_refused_on_the_editors_routes(served: Served) -> None:
    with client_from(served, 200) as client:
        _editor_codes(client)


def _editor_codes(client: httpx.Client) -> None:
    login(client)
    csrf = csrf_of(client.get("/editor"))
    for shape in SHAPES:
        edition = f"/editor/editions/{_path(shape)}"
        story = f"{edition}/stories/{_path(shape)}"
        assert client.get(edition).status_code == 404, shape
        for action in ("approve", "hold", "rebuild", "test"):
            answer = client.post(f"{edition}/{action}", data={"csrf": csrf, "addresses": "a@b.fr"})
            assert answer.status_code == 303, (shape, action, answer.status_code)
        for action in ("drop", "restore", "merge", "split"):
            answer = client.post(
                f"{story}/{action}", data={"csrf": csrf, "other": shape, "mention": shape}
            )
            assert answer.status_code == 303, (shape, action, answer.status_code)

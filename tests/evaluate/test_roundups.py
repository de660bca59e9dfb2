"""The round-up evaluation (digest/evaluate/roundups.py): a page's listed deals against the
mentions read, a precision and recall over pages. Companies invented."""

from __future__ import annotations

from typing import Any

from digest.evaluate import roundups
from digest.models import Amount, Mention

LISTED: list[dict[str, Any]] = [
    {"company": "Corvelle", "amount": {"value": 555e6, "as_stated": ["473 millions d'euros"]}},
    {"company": "Tramalys", "amount": {"value": 20e6, "as_stated": []}},
    {"company": "Pivone", "amount": None},
]


def said(company: str, millions: float | None, investor: str | None = None) -> Mention:
    amount = Amount(millions * 1e6, "EUR") if millions is not None else None
    return Mention(
        item_id=1, kind="funding_round", beneficiary=company, investor=investor, amount=amount
    )


def test_a_listed_deal_needs_its_company_and_an_amount_a_page_states() -> None:
    got = roundups.score_page(
        "p1",
        LISTED,
        [
            said("Corvelle", 473),  # the euro figure of a dollar round: as a page states it
            said("Tramalys", 25),  # the right company, another figure
            said("Pivone", 9),  # gold states no amount: the company is enough
            said("Le Journal", 20),  # the outlet with Tramalys's figure
        ],
    )
    assert got.found == ["Corvelle", "Pivone"]
    assert got.right == 2 and len(got.wrong) == 2


def test_precision_and_recall_over_pages() -> None:
    pages = [
        roundups.score_page("p1", LISTED, [said("Corvelle", 555), said("Tramalys", 20)]),
        roundups.score_page("p2", LISTED[:1], [said("Corvelle", 555), said("Corvelle", 4000)]),
    ]
    t = roundups.totals(pages)
    assert (t.right, t.read, t.found, t.listed) == (3, 4, 3, 4)
    assert t.precision == 0.75 and t.recall == 0.75


def test_without_a_corpus_it_says_so(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DIGEST_NEWS_CORPUS", str(tmp_path / "absent"))
    assert roundups.main([]) == 0
    assert "skipped" in capsys.readouterr().out

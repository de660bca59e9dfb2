"""The scoring functions of `make eval-real`, on small inputs made here (no corpus needed)."""

from __future__ import annotations

import pytest

from digest.evaluate.deals import best_story, right, right_deal, same_company, score, shares
from digest.evaluate.errors import thousandfold
from digest.evaluate.folds import families, folds
from digest.evaluate.overlap import bcubed, memberships, pairs, pairwise
from digest.models import Amount, Conflict, ConflictValue, Quantity, Story


def test_pairwise_counts_a_page_in_two_stories_once_per_pair():
    gold = {"deal1": ["a", "b", "r"], "deal2": ["c", "r"]}  # r: a round-up telling both deals
    predicted = {"s1": ["a", "b"], "s2": ["c", "r"], "s3": ["r", "d"]}
    # predicted pairs: ab, cr, dr; gold pairs: ab, ar, br, cr
    s = pairwise(gold, predicted)
    assert s.precision == pytest.approx(2 / 3) and s.recall == pytest.approx(2 / 4)


def test_pairs_are_unordered_and_distinct():
    assert pairs({"x": ["a", "b"], "y": ["b", "a", "a"]}) == {frozenset("ab")}


def test_an_element_in_no_cluster_is_alone():
    assert memberships({"x": ["a"]}, ["a", "b"]) == {"a": {"x"}, "b": {"alone:b"}}


def test_bcubed_is_perfect_on_the_same_overlapping_clustering():
    gold = {"deal1": ["a", "b", "r"], "deal2": ["c", "r"]}
    predicted = {"s1": ["r", "a", "b"], "s2": ["c", "r"]}
    s = bcubed(gold, predicted, ["a", "b", "c", "r", "alone"])
    assert s.precision == pytest.approx(1.0) and s.recall == pytest.approx(1.0)


def test_extended_bcubed_on_a_page_in_two_stories():
    """Amigó et al.'s multiplicity precision and recall, computed by hand."""
    gold = {"g": ["a", "r"], "h": ["r"]}  # r reports two announcements, a one of them
    predicted = {"s": ["a", "r"]}  # one story holds both pages
    # precision: a → (a,a)=1, (a,r)=1 → 1; r → (r,a)=1, (r,r)=min(1,2)/1=1 → 1
    # recall: a → (a,a)=1, (a,r)=1 → 1; r → (r,a)=1, (r,r)=min(1,2)/2=0.5 → 0.75
    s = bcubed(gold, predicted, ["a", "r"])
    assert s.precision == pytest.approx(1.0) and s.recall == pytest.approx((1 + 0.75) / 2)


def test_bcubed_penalises_a_merge():
    gold = {"g": ["a", "b"], "h": ["c"]}
    s = bcubed(gold, {"s": ["a", "b", "c"]}, "abc")
    assert s.precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3) and s.recall == 1.0


def deal(**extra) -> dict:
    base = {
        "id": "k",
        "kind": "funding-round",
        "company": "Brindille",
        "amount": {"value": 12_000_000.0, "currency": "EUR"},
        "round": None,
        "investors": [],
        "jobs": None,
        "articles": ["p1"],
        "passing_mentions": [],
    }
    return base | extra


def story(sid: str = "s", **extra) -> Story:
    return Story(id=sid, **extra)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ACC", True),  # the parenthesised acronym
        ("Automotive Cells Company", True),
        ("automotive-cells company", True),  # folded, hyphen as space
        ("PSA", False),  # in the gloss after the dash, not the company
        ("Opel", False),
        ("Cells", True),  # a run of the name's words, long enough
    ],
)
def test_company_with_acronym_and_gloss(name, expected):
    gold = "Automotive Cells Company (ACC) — PSA/Opel and Total/Saft"
    assert same_company(name, gold) is expected


def test_company_spelling_variants_and_parenthesised_group():
    assert same_company("Dontnod", "Don't Nod")
    assert same_company("Blue Solutions", "Blue Solutions (groupe Bolloré)")
    assert not same_company("Bolloré", "Blue Solutions (groupe Bolloré)")  # not an acronym
    assert not same_company("SA", "SA Holdings")  # a lone short word is not a name
    assert not same_company(None, "Brindille")


def test_company_is_right_as_investor_or_beneficiary():
    assert right("company", story(beneficiary="Brindille"), deal())
    assert right("company", story(investor="Brindille"), deal())
    assert not right("company", story(investor="Bpifrance"), deal())


def test_amount_within_two_percent():
    for value, ok in ((12_200_000.0, True), (11_800_000.0, True), (12_300_000.0, False)):
        assert right("amount", story(amount=Amount(value, "EUR")), deal()) is ok, value
    assert not right("amount", story(), deal())


def test_amount_counts_an_equivalent_in_the_gold_currency_or_a_shown_disagreement():
    dollars = Amount(13_000_000.0, "USD", equivalents=[Amount(12_000_000.0, "EUR")])
    assert right("amount", story(amount=dollars), deal())
    wrong_equivalent = Amount(13_000_000.0, "USD", equivalents=[Amount(12_000_000.0, "GBP")])
    assert not right("amount", story(amount=wrong_equivalent), deal())
    disputed = story(
        amount=Amount(15_000_000.0, "EUR"),
        conflicts=[
            Conflict(
                "amount.value",
                [
                    ConflictValue("15 millions d'euros", ["A"]),
                    ConflictValue("12 millions d'euros", ["B"]),
                ],
            )
        ],
    )
    assert right("amount", disputed, deal())


def test_currency_round_lead_and_jobs():
    gold = deal(round="debt", investors=["Fonds Ardoise", "Banque Tilleul"], jobs=100)
    s = story(
        amount=Amount(12e6, "USD"),
        round="dette",
        investors=["Fonds Ardoise"],
        jobs=Quantity(104),
    )
    assert not right("currency", s, gold)
    assert right("round", s, gold)  # our 'dette' is the gold's 'debt'
    assert right("lead investor", s, gold)
    assert right("jobs", s, gold)  # within 5 %
    assert not right("jobs", story(jobs=Quantity(106)), gold)
    assert right("lead investor", story(investor="Fonds Ardoise"), gold)  # no list: investor


def test_a_right_deal_needs_company_and_amount():
    assert right_deal(story(beneficiary="Brindille", amount=Amount(12e6, "EUR")), deal())
    assert not right_deal(story(beneficiary="Brindille", amount=Amount(12e9, "EUR")), deal())
    assert right_deal(story(beneficiary="Brindille"), deal(amount=None))


def test_best_story_prefers_overlap_then_the_one_naming_the_company():
    gold = deal(articles=["p1", "p2", "roundup"])
    stories = [
        story("other", beneficiary="Ardoise", amount=Amount(5e6, "EUR")),
        story("ours", beneficiary="Brindille", amount=Amount(12e6, "EUR")),
        story("far", beneficiary="Brindille"),
    ]
    members = {"other": {"roundup"}, "ours": {"roundup"}, "far": {"p9"}}
    assert best_story(gold, stories, members).id == "ours"  # a round-up's two stories tie
    members["other"] = {"p1", "p2"}
    assert best_story(gold, stories, members).id == "other"  # more of its pages
    assert best_story(gold, stories, {"far": {"p9"}}) is None


def test_shares_count_only_fields_the_gold_states():
    scored = score(
        [deal(), deal(id="k2", amount=None, jobs=10)],
        [story(beneficiary="Brindille", amount=Amount(12e6, "EUR"))],
        {"s": {"p1"}},
    )
    got = shares(scored)
    assert (got["company"].right, got["company"].n) == (2, 2)
    assert (got["amount"].right, got["amount"].n) == (1, 1)
    assert (got["jobs"].right, got["jobs"].n) == (0, 1)
    assert got["round"].n == 0 and got["round"].value == 0.0
    assert shares(scored, only={"k2"})["company"].n == 1


def testthousandfold_amounts():
    assert thousandfold(4e12, 4e9) and thousandfold(4e6, 4e9)
    assert not thousandfold(4e10, 4e9) and not thousandfold(4e9, 4e9)


def clusters(n: int) -> dict[str, dict]:
    found = {f"c{i:02d}": {"articles": [f"p{i}"], "hard_negative_for": []} for i in range(n)}
    found["c00"]["hard_negative_for"] = ["c01"]  # one company's two rounds
    found["c01"]["hard_negative_for"] = ["c00", "c02"]
    return found


def test_folds_partition_the_announcements_deterministically():
    data = clusters(23)
    got = folds(data)
    assert len(got) == 5
    held = [c for f in got for c in f.test]
    assert sorted(held) == sorted(data)  # each announcement held out exactly once
    assert all(f.train == frozenset(data) - f.test for f in got)
    assert max(len(f.test) for f in got) - min(len(f.test) for f in got) <= 3
    assert folds(data) == got  # seeded
    assert folds(data, seed=1) != got


def test_one_companys_announcements_share_a_fold():
    data = clusters(23)
    assert ["c00", "c01", "c02"] in families(data)
    fold = next(f for f in folds(data) if "c00" in f.test)
    assert {"c01", "c02"} <= fold.test
    assert {"p0", "p1", "p2"} <= fold.articles(data, held=True)
    assert not {"p0", "p1", "p2"} & fold.articles(data, held=False)

"""A story only recalled on pages about another deal of its actor is held back, not shown."""

from __future__ import annotations

from digest.models import Amount, Mention
from digest.write.grounding import misread_amount
from digest.write.recalled import lead, recalled_only
from tests.write.test_writer import item


def told(n: int, story: str, amount: float, stated: str, **facts) -> Mention:
    return Mention(1, id=n, story_id=story, amount=Amount(amount, "EUR", "exact", stated), **facts)


SERIES_B = told(1, "st-b", 40e6, "40 millions d'euros", beneficiary="Loupio")
SEED = told(2, "st-seed", 3e6, "3 millions d'euros", beneficiary="Loupio")
PAGE = item(1, "Le Fil", "Loupio lève 40 millions d'euros. En 2021, elle avait levé 3 millions.")


def test_a_past_round_told_after_this_weeks_round_is_only_recalled() -> None:
    neighbours = {1: [SERIES_B, SEED]}
    assert recalled_only("st-seed", [(SEED, PAGE)], neighbours) == "Loupio"
    assert recalled_only("st-b", [(SERIES_B, PAGE)], neighbours) is None


def test_a_story_that_leads_one_of_its_pages_is_news() -> None:
    own = item(2, "Tech Matin", "Loupio avait levé 3 millions d'euros en amorçage.")
    alone = told(3, "st-seed", 3e6, "3 millions d'euros", beneficiary="Loupio")
    pairs = [(SEED, PAGE), (alone, own)]
    assert recalled_only("st-seed", pairs, {1: [SERIES_B, SEED], 2: [alone]}) is None


def test_the_page_leads_with_the_amount_its_title_states() -> None:
    page = item(3, "Le Fil", "Loupio : 40 millions pour sa série B")
    seed_first = [SEED, SERIES_B]  # the text recalls the seed round before the news
    assert lead(seed_first, "loupio", page.title) is SERIES_B
    assert lead(seed_first, "loupio", "Loupio change d'échelle") is SEED


def test_a_right_amount_is_not_held_for_a_word_misread_as_another_actor() -> None:
    ours = "Loupio lève 40 millions d'euros."
    theirs = "Tandis que Loupio lève 40 millions d'euros, Brumo en lève 10."
    own = told(1, "st-b", 40e6, "40 millions d'euros", beneficiary="Loupio")
    own.evidence = {"amount": ours}
    misread = told(2, "st-b", 40e6, "40 millions d'euros", beneficiary="Loupio")
    misread.evidence = {"amount": theirs}
    pairs = [(own, PAGE), (misread, item(2, "Tech Matin", theirs))]
    amount = Amount(40e6, "EUR")
    assert misread_amount(pairs, {theirs: ["Tandis"]}, amount) is None
    assert misread_amount(pairs[1:], {theirs: ["Tandis"]}, amount) == (
        "Montant lu dans une phrase sur un autre acteur\u202f: Tandis"
    )

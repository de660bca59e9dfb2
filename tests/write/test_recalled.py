"""A story only recalled on pages about another deal of its actor is held back, not shown."""

from __future__ import annotations

from digest.models import Amount, Mention
from digest.write.grounding import misread_amount
from digest.write.recalled import lead, read_twice, recalled_only, told_past
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


def _said(n: int, story: str, amount: float, stated: str, sentence: str, **facts) -> Mention:
    m = told(n, story, amount, stated, **facts)
    m.evidence = {"deal": sentence, "amount": sentence}
    return m


PAST_FIRST = (
    "Après un amorçage de 2 millions d'euros en 2019 et une série A de 9 millions d'euros en "
    "2021, Loupio annonce une série B de 40 millions d'euros."
)


def test_a_past_round_told_before_the_news_in_one_sentence_is_only_recalled() -> None:
    """The page's sentence lists the start-up's earlier rounds, each dated before the page,
    then this week's: the earlier figures are background, whatever their reading order."""
    page = item(4, "Le Fil", PAST_FIRST)
    seed = _said(1, "st-seed", 2e6, "2 millions d'euros", PAST_FIRST, beneficiary="Loupio")
    series_a = _said(2, "st-a", 9e6, "9 millions d'euros", PAST_FIRST, beneficiary="Loupio")
    series_b = _said(3, "st-b", 40e6, "40 millions d'euros", PAST_FIRST, beneficiary="Loupio")
    neighbours = {4: [seed, series_a, series_b]}
    assert lead(neighbours[4], "loupio", "", page.published) is series_b
    assert recalled_only("st-a", [(series_a, page)], neighbours) == "Loupio"
    assert recalled_only("st-seed", [(seed, page)], neighbours) == "Loupio"
    assert recalled_only("st-b", [(series_b, page)], neighbours) is None


def test_a_figure_is_past_only_by_its_own_clause_not_by_the_company_s_founding_year() -> None:
    """A founding year, or a past round in the clause before, does not make this week's
    figure past; a recall word by the figure does."""
    page = item(5, "Le Fil", "x")
    year = page.published
    founded = "Loupio, fondée en 2016, lève 40 millions d'euros."
    after = "Après avoir levé 3 millions d'euros en 2021, Loupio lève 40 millions d'euros."
    assert not told_past(_said(1, "s", 40e6, "40 millions d'euros", founded), year)
    assert not told_past(_said(2, "s", 40e6, "40 millions d'euros", after), year)
    assert told_past(_said(3, "s", 3e6, "3 millions d'euros", after), year)


def test_the_page_s_lead_is_found_when_the_reader_gave_its_actor_another_role() -> None:
    """The round is read with its start-up as an investor (a misread role); the start-up's
    hiring plan, told further down the same page with no sum, is not the page's news."""
    page = item(6, "Le Fil", "Kestrel et Brumo ont participé à la levée de 40 M€ de Loupio.")
    round_ = told(1, "st-b", 40e6, "40 M€", beneficiary="Kestrel", investors=["Loupio", "Brumo"])
    hiring = Mention(6, id=2, story_id="st-jobs", investor="Loupio")
    neighbours = {6: [round_, hiring]}
    assert recalled_only("st-jobs", [(hiring, page)], neighbours) == "Loupio"


def test_the_title_s_deal_read_again_with_a_person_for_its_actor_is_not_a_second_story() -> None:
    """The title says who raises and how much; the body restates the sum beside the founder's
    former venue, which the reader took for the actor. That story is the titled deal again;
    a second page of its own would make it news."""
    page = item(7, "Le Fil", "Loupio lève 40 millions d'euros. L'équipe de Chez Gino a levé 40 M€.")
    titled = told(1, "st-b", 40e6, "40 millions d'euros", beneficiary="Loupio")
    again = told(2, "st-gino", 40e6, "40 M€", beneficiary="Chez Gino")
    neighbours = {7: [titled, again]}
    assert read_twice([(again, page)], neighbours) == "Loupio"
    assert read_twice([(titled, page)], neighbours) is None
    own = item(8, "Tech Matin", "Chez Gino ouvre une salle. Le restaurant a levé 40 M€.")
    alone = told(3, "st-gino", 40e6, "40 M€", beneficiary="Chez Gino")
    assert read_twice([(again, page), (alone, own)], {**neighbours, 8: [alone]}) is None

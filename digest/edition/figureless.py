"""A story told without its figure beside the figured story of the same company.

A page may tell a deal by a wording and no amount (a site chosen, a stake entered) while other
pages of the same days give its figure; when grouping has not joined them, the edition would
show the deal twice, once without its amount. Such a story is held for the edition, naming the
figured one, so the editor can merge them (Fusionner) or show it (Modifier: give it an amount).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace

from digest.language.fold import name_key
from digest.models import Story


def _company(story: Story) -> str:
    return name_key(story.beneficiary or story.investor or "")


def figured_twin(story: Story, others: Iterable[Story], days: int) -> Story | None:
    """The story with an amount, of the same company, first told within `days` of this one's
    first page, when this one has no amount."""
    company = _company(story)
    if story.amount is not None or not company or story.first_published is None:
        return None
    for other in others:
        if other is story or other.amount is None or other.first_published is None:
            continue
        near = abs(other.first_published - story.first_published).days <= days
        if near and _company(other) == company:
            return other
    return None


def hold_figureless(stories: list[Story], days: int, placed: Collection[str] = ()) -> list[Story]:
    """The stories, each shown one without an amount that has a figured twin among the shown
    ones held (not those the editors placed in the edition themselves)."""
    shown = [s for s in stories if not s.held_reason]
    out = []
    for story in stories:
        twin = None
        if not story.held_reason and story.id not in placed:
            twin = figured_twin(story, shown, days)
        if twin is not None:
            story = replace(
                story,
                held_reason="Sans montant, sans doute la même annonce que "
                f"«\u202f{twin.headline}\u202f»\u202f: à fusionner",
            )
        out.append(story)
    return out

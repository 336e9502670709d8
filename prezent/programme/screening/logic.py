"""The rules of a screening on plain values (no database): who is proposed, and what changed between two.

A child at or above the screening's threshold level is proposed for the target group. A screening never
demotes anyone: a child already included stays included (the result says "already in the group"), a child
proposed earlier stays proposed, and a child who left the programme is proposed again without touching the
membership (confirming re-includes them, dismissing leaves them out).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

LEVEL_ORDER: tuple[str, ...] = ("none", "low", "medium", "high")

# Decisions (prezent.programme.models.ScreeningDecision values).
PROPOSED = "proposed"
CONFIRMED = "confirmed"
DISMISSED = "dismissed"
IN_GROUP = "in_group"
NOT_PROPOSED = "not_proposed"
FLAGGED_DECISIONS = frozenset({PROPOSED, CONFIRMED, DISMISSED, IN_GROUP})

# Membership statuses (prezent.programme.models.MembershipStatus values); "" = not in the target group.
NO_MEMBERSHIP = ""
SCREENED = "screened"
INCLUDED = "included"
EXITED = "exited"
MOVABLE_TO_PROPOSED = frozenset({NO_MEMBERSHIP, SCREENED})


def level_rank(level: str) -> int:
    """0 for "none" up to 3 for "high"; an unknown level counts as "none"."""
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else 0


def level_at_least(level: str, threshold: str) -> bool:
    return level_rank(level) >= level_rank(threshold)


@dataclass(frozen=True)
class Outcome:
    """What a screening does with one child: the decision it records and whether the membership moves to
    "proposed"."""

    decision: str
    move_to_proposed: bool


def outcome_for(*, level: str, threshold: str, membership_status: str) -> Outcome:
    if not level_at_least(level, threshold) or level == "none":
        return Outcome(NOT_PROPOSED, move_to_proposed=False)
    if membership_status == INCLUDED:
        return Outcome(IN_GROUP, move_to_proposed=False)
    return Outcome(PROPOSED, move_to_proposed=membership_status in MOVABLE_TO_PROPOSED)


@dataclass(frozen=True)
class Mark:
    """A child in one screening: the level reached and whether it was at or above the threshold."""

    level: str
    flagged: bool


@dataclass
class Diff:
    """Children (ids, sorted) by what changed from an earlier screening to a later one."""

    newly_proposed: list[int] = field(default_factory=list)
    no_longer_proposed: list[int] = field(default_factory=list)
    level_up: list[int] = field(default_factory=list)
    level_down: list[int] = field(default_factory=list)
    only_earlier: list[int] = field(default_factory=list)
    only_later: list[int] = field(default_factory=list)

    @property
    def level_changed(self) -> list[int]:
        return sorted(self.level_up + self.level_down)

    def counts(self) -> dict[str, int]:
        return {
            "newly_proposed": len(self.newly_proposed),
            "no_longer_proposed": len(self.no_longer_proposed),
            "level_changed": len(self.level_up) + len(self.level_down),
            "level_up": len(self.level_up),
            "level_down": len(self.level_down),
            "only_earlier": len(self.only_earlier),
            "only_later": len(self.only_later),
        }


def screening_diff(*, earlier: Mapping[int, Mark], later: Mapping[int, Mark]) -> Diff:
    """Newly proposed: flagged later but not earlier (including children not in the earlier screening).
    No longer proposed: flagged earlier, screened again later and not flagged. Children who are in only one of
    the two screenings (moved, new pupils) are listed apart as well."""
    diff = Diff()
    for child_id in sorted(set(earlier) | set(later)):
        before, after = earlier.get(child_id), later.get(child_id)
        if before is None:
            diff.only_later.append(child_id)
        elif after is None:
            diff.only_earlier.append(child_id)
        if after is not None and after.flagged and (before is None or not before.flagged):
            diff.newly_proposed.append(child_id)
        if before is not None and after is not None:
            if before.flagged and not after.flagged:
                diff.no_longer_proposed.append(child_id)
            if level_rank(after.level) > level_rank(before.level):
                diff.level_up.append(child_id)
            elif level_rank(after.level) < level_rank(before.level):
                diff.level_down.append(child_id)
    return diff

"""Writes of the backtest: save fitted weights as a proposed rule-set version, and adopt a proposal.

Both go through the engine's `rule_set_new_version` (audited, `rule_set.new_version`) and add their own audit
event. A proposal is never in force; adopting it saves its criteria and bands again as the county's next version,
so the versions in force stay a line and the proposal itself never changes. The reasons' words come from the
indicators and thresholds, which a proposal keeps: only the points and the bands change.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.core.services import audit_record
from prezent.risk.models import RuleSet
from prezent.risk.scoring import Bands, Criterion
from prezent.risk.selectors import rule_set_bands, rule_set_criteria
from prezent.risk.services import rule_set_new_version


@transaction.atomic
def rule_set_propose(
    *, base: RuleSet, criteria: Sequence[Criterion], bands: Bands, note: str, actor: User | None
) -> RuleSet:
    """Save fitted points and bands as a new, proposed (not in force) version of `base`'s county rules."""
    proposal = rule_set_new_version(
        base=base,
        county_code=base.county_code,
        name=base.name,
        criteria=list(criteria),
        bands=bands,
        note=note,
        actor=actor,
        proposed=True,
    )
    audit_record(
        actor=actor,
        action="rule_set.propose",
        target=proposal,
        details={"county": base.county_code, "version": proposal.version, "base": base.pk},
    )
    return proposal


@transaction.atomic
def rule_set_adopt(*, proposal: RuleSet, actor: User | None) -> RuleSet:
    """Put a proposed version in force: its criteria and bands saved as the county's next version."""
    if not proposal.proposed:
        raise ValidationError(_("Această versiune nu este o propunere."))
    adopted = rule_set_new_version(
        base=proposal,
        county_code=proposal.county_code,
        name=proposal.name,
        criteria=rule_set_criteria(rule_set=proposal),
        bands=rule_set_bands(rule_set=proposal),
        note=_("Adoptată din propunerea v%(v)s (puncte potrivite pe date).") % {"v": proposal.version},
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="rule_set.adopt",
        target=adopted,
        details={"county": proposal.county_code, "version": adopted.version, "proposal": proposal.pk},
    )
    return adopted

import pytest
from django.urls import reverse

from prezent.core.testing import ROLES, _row
from prezent.risk.backtest.services import rule_set_propose
from prezent.risk.selectors import rule_set_bands, rule_set_criteria
from prezent.risk.services import risk_defaults_load

MATRIX = {
    ("risk:backtest", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:backtest", "POST", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:rules_adopt", "POST", "proposal"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_backtest_authorization(client, world, name, method, target, role):
    kwargs = {}
    if target == "proposal":
        base = risk_defaults_load(county_code="IS")
        proposal = rule_set_propose(
            base=base,
            criteria=rule_set_criteria(rule_set=base),
            bands=rule_set_bands(rule_set=base),
            note="test",
            actor=None,
        )
        kwargs = {"pk": proposal.pk}
    if role != "anon":
        client.force_login(getattr(world.users, role))
    url = reverse(name, kwargs=kwargs)
    response = client.get(url) if method == "GET" else client.post(url)
    assert response.status_code == MATRIX[(name, method, target)][role]

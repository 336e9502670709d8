import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prezent.accounts.models import Role
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.children.tests.factories import enrol
from prezent.reports.charts import line_chart
from prezent.risk.models import RiskScore
from prezent.risk.services import risk_defaults_load
from prezent.schools.tests.factories import ClassGroupFactory


def test_line_chart_scales_points_inside_the_box():
    chart = line_chart([("1 oct", 0), ("1 nov", 5), ("28 nov", 10)], maximum=10, width=100, height=50, pad=5)
    assert chart.points == "5.0,45.0 50.0,25.0 95.0,5.0"
    assert [label for _x, _y, label in chart.dots] == ["1 oct: 0", "1 nov: 5", "28 nov: 10"]


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=30))
def test_every_point_stays_inside_the_chart(values):
    chart = line_chart([(str(i), v) for i, v in enumerate(values)], maximum=12, bands=[(4, "medium"), (8, "high")])
    for x, y, _label in chart.dots:
        assert 0 <= x <= chart.width
        assert 0 <= y <= chart.height
    for y, h, _css in chart.bands:
        assert y >= 0 and h >= 0 and y + h <= chart.height


_NUMBER = r"-?\d+(?:\.\d+)?"
_POINTS = re.compile(rf"^{_NUMBER},{_NUMBER}(?: {_NUMBER},{_NUMBER})*$")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ro", "en"])
def test_the_risk_chart_writes_its_coordinates_with_a_decimal_point_in_every_language(client, language):
    """Romanian formats 28.8 as "28,8": an SVG coordinate written that way draws nothing."""
    group = ClassGroupFactory(grade=6)
    (child,) = enrol(group, 1)
    rule_set = risk_defaults_load(county_code=group.school.county_code)
    days = [datetime.date(2026, 10, 5), datetime.date(2026, 11, 2), datetime.date(2026, 11, 27)]
    for day, points in zip(days, [1, 3, 7], strict=True):
        is_current = day == days[-1]
        level = "medium" if points >= 4 else "low"
        RiskScore.objects.create(child=child, school=group.school, computed_on=day, rule_set=rule_set,
                                 points=points, level=level, is_current=is_current)  # fmt: skip
    user = UserFactory(language=language)
    assign(user, Role.COUNTY_COORDINATOR, county=group.school.county_code)
    client.force_login(user)

    html = client.get(child.get_absolute_url()).content.decode()

    svg = re.search(r"<svg[^>]*class=\"chart\".*?</svg>", html, re.S)
    assert svg is not None, "the child's page draws the risk chart"
    coordinates = re.findall(r'\b(?:x|y|cx|cy|width|height)="([^"]*)"', svg.group(0))
    assert coordinates and all(re.fullmatch(_NUMBER + "(?:%)?", value) for value in coordinates), coordinates
    (points,) = re.findall(r'points="([^"]*)"', svg.group(0))
    assert _POINTS.match(points), points
    assert any("." in value for value in coordinates), "fractional coordinates are part of the check"

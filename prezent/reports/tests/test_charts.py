from hypothesis import given
from hypothesis import strategies as st

from prezent.reports.charts import line_chart


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

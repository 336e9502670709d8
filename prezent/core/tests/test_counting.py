"""Counted hours in Romanian: the three count forms."""

import pytest
from django.template import Context, Template
from django.utils import translation

from prezent.core.counting import count_form, hours_text


@pytest.mark.parametrize(
    ("n", "form"), [(1, 0), (0, 1), (2, 1), (19, 1), (20, 2), (100, 2), (101, 1), (119, 1), (120, 2), (2.5, 1)]
)
def test_count_form(n, form):
    assert count_form(n) == form


def test_hours_in_words_and_in_templates():
    with translation.override("ro"):
        assert [hours_text(n) for n in (1, 2, 8, 20, 23)] == ["1 oră", "2 ore", "8 ore", "20 de ore", "23 de ore"]
        rendered = Template("{% load prezent_tags %}{{ 1|hours }} · {{ 4|hours }}").render(Context())
        assert rendered == "1 oră · 4 ore"

import pytest

from prezent.accounts.models import User
from prezent.accounts.tests.factories import UserFactory
from prezent.core.pagination import CappedPaginator

pytestmark = pytest.mark.django_db


def test_capped_paginator_counts_up_to_the_cap_and_still_pages():
    UserFactory.create_batch(7)
    paginator = CappedPaginator(User.objects.order_by("pk"), 2)
    paginator.cap = 5
    assert paginator.count == 6
    assert paginator.capped
    assert len(paginator.get_page(3).object_list) == 2
    small = CappedPaginator(User.objects.order_by("pk"), 2)
    assert small.count == 7 and not small.capped

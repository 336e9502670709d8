"""An id past the database's integer range finds nothing, in any lookup (prezent/core/lookups.py)."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

pytestmark = pytest.mark.django_db

HUGE = [2**63, 2**64, 10**30, -(2**63) - 1]


def test_an_in_lookup_leaves_out_the_ids_no_row_can_have():
    permission = Permission.objects.first()
    assert list(Permission.objects.filter(pk__in=[*HUGE, permission.pk])) == [permission]
    assert not Permission.objects.filter(pk__in=HUGE).exists()
    assert not Permission.objects.filter(pk__in=[str(2**64)]).exists()


def test_a_foreign_key_lookup_with_an_id_no_row_can_have_finds_nothing():
    content_type = ContentType.objects.first()
    for huge in HUGE:
        assert not Permission.objects.filter(content_type=huge).exists()
        assert not Permission.objects.filter(content_type_id=huge).exists()
        assert Permission.objects.exclude(content_type=huge).count() == Permission.objects.count()
    assert Permission.objects.filter(content_type__in=[*HUGE, content_type.pk]).count() == (
        Permission.objects.filter(content_type=content_type).count()
    )

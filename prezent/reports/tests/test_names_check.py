"""`names_check`: the records whose names were stored with a control character before names refused them, by id."""

import io

import pytest
from django.core.management import call_command

from prezent.accounts.tests.factories import UserFactory
from prezent.children.models import Child, Guardian
from prezent.children.tests.factories import ChildFactory, GuardianFactory
from prezent.reports.privacy.selectors import names_with_control_characters

pytestmark = pytest.mark.django_db


def test_names_stored_with_control_characters_are_found_by_id_and_never_printed():
    clean = ChildFactory(first_name="Ștefănuț", last_name="Țurcanu-Ionescu")
    bell = ChildFactory()
    Child.objects.filter(pk=bell.pk).update(first_name="Ana\x07", last_name="Bălan")  # stored before the rule
    turned = GuardianFactory()
    Guardian.objects.filter(pk=turned.pk).update(last_name="\u202eucsenoI")
    staff = UserFactory()
    type(staff).objects.filter(pk=staff.pk).update(first_name="Maria\x0b")

    found = names_with_control_characters()

    assert found["children.Child"] == [bell.pk]
    assert found["children.Guardian"] == [turned.pk]
    assert found["accounts.User"] == [staff.pk]
    assert clean.pk not in found["children.Child"]
    out = io.StringIO()
    call_command("names_check", stdout=out)
    text = out.getvalue()
    assert f"children.Child: 1 (id {bell.pk})" in text
    assert f"children.Guardian: 1 (id {turned.pk})" in text
    assert "Ana" not in text and "Bălan" not in text and "Maria" not in text


def test_a_clean_database_says_so():
    ChildFactory(first_name="Ioana", last_name="D'Aragona Pop")
    out = io.StringIO()
    call_command("names_check", stdout=out)
    assert out.getvalue().strip() == "Niciun nume cu caractere invizibile sau de control."

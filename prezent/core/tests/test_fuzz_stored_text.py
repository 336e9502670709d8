"""Text with control characters that reached the database (typed before a rule, or pasted from a word processor,
which writes a line break as \\x0b) never breaks a page, a PDF or a spreadsheet that shows it."""

import pytest
from django.urls import reverse

from prezent.core.tests.fuzz import CONTROL

pytestmark = pytest.mark.django_db

ODD = "A\x0bna\x1b[31m\u202e" + CONTROL.replace("\x00", "")


def test_a_name_with_control_characters_shows_on_every_page_that_names_the_child(client, world):
    child = world.child_a1
    child.first_name, child.last_name = ODD, ODD
    child.save(update_fields=["first_name", "last_name"])
    client.force_login(world.users.county)
    addresses = [
        reverse("reports:child_detail", kwargs={"pk": child.pk}),
        reverse("reports:subject_export_pdf", kwargs={"pk": child.pk}),
        reverse("reports:subject_export_json", kwargs={"pk": child.pk}),
        reverse("children:list") + "?q=" + "Ana",
        reverse("attendance:class", kwargs={"pk": world.class_a1.pk}),
        reverse("programme:detail"),
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, f"{address} → {response.status_code}"
    client.force_login(world.users.teacher)  # the class's teacher fills the marks' spreadsheet
    template = reverse("attendance:results_template", kwargs={"pk": world.class_a1.pk, "module": 2})
    response = client.get(template)
    assert response.status_code == 200
    assert response.content[:2] == b"PK"

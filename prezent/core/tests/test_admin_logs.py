"""Nobody writes the audit trail or the access log by hand, not even a superuser in the Django admin."""

import pytest
from django.contrib.auth import get_user_model

from prezent.core.models import AccessLog, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [AuditEvent, AccessLog])
def test_a_superuser_cannot_add_change_or_delete_log_rows(client, model):
    admin = get_user_model().objects.create_superuser("root", "root@example.ro", "o-parola-lunga-2026!")
    client.force_login(admin)
    base = f"/admin/core/{model._meta.model_name}/"
    assert client.get(base).status_code == 200
    assert client.get(base + "add/").status_code == 403
    assert client.post(base + "add/", {"action": "fake"}).status_code == 403
    assert model.objects.count() == 0


def test_an_existing_log_row_is_read_but_never_changed_or_deleted_in_the_admin(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.ro", "o-parola-lunga-2026!")
    client.force_login(admin)
    event = AuditEvent.objects.create(actor=admin, action="role.give", target_type="x", target_id="1")
    read = AccessLog.objects.create(user=admin, child_id=7, view="child")
    for model, row in ((AuditEvent, event), (AccessLog, read)):
        base = f"/admin/core/{model._meta.model_name}/{row.pk}/"
        page = client.get(base + "change/")
        assert page.status_code == 200  # shown, read-only
        assert 'name="_save"' not in page.content.decode()
        assert client.post(base + "change/", {"action": "altceva", "view": "altceva"}).status_code == 403
        assert client.post(base + "delete/", {"post": "yes"}).status_code == 403
        listing = f"/admin/core/{model._meta.model_name}/"
        client.post(listing, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
        assert model.objects.filter(pk=row.pk).exists()
    event.refresh_from_db()
    assert event.action == "role.give"

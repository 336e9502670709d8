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

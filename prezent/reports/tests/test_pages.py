import subprocess
import sys

import pytest
from django.urls import reverse

from prezent.accounts.models import Role
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.attendance.services import register_save
from prezent.children.tests.factories import enrol
from prezent.core.tests.test_redirects import HOSTILE
from prezent.schools.tests.factories import ClassGroupFactory

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_login_page_is_in_romanian_by_default(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="ro"' in page
    assert "Autentificare" in page and "Parolă" in page


def test_pages_send_a_content_security_policy_and_no_external_assets(client, world):
    client.force_login(world.users.teacher)
    response = client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "http://" not in response.content.decode().replace("http://testserver", "")
    assert "https://" not in response.content.decode()


def test_repeated_failed_logins_lock_the_account(client, world):
    for _ in range(3):
        client.post(reverse("login"), {"username": "teacher", "password": "greșită"})
    response = client.post(reverse("login"), {"username": "teacher", "password": "parola-test-123"})
    assert "blocat" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_login_lands_on_the_home_page(client, world):
    response = client.post(reverse("login"), {"username": "teacher", "password": "parola-test-123"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Clasele mele" in response.content.decode()


def test_each_user_chooses_the_interface_language(client, world):
    client.force_login(world.users.teacher)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    world.users.teacher.refresh_from_db()
    assert world.users.teacher.language == "en"
    assert 'lang="en"' in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "ro", "next": "https://evil.example/"})
    assert 'lang="ro"' in client.get(reverse("home")).content.decode()


def test_session_expires_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_production_refuses_to_start_without_secret_and_hosts():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "config.settings.production", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def _class_with_pupils(n: int):
    teacher = UserFactory()
    group = ClassGroupFactory(teacher=teacher, hours_per_day=5)
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    children = enrol(group, n)
    return teacher, group, children


def test_class_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    import datetime

    teacher, group, children = _class_with_pupils(5)
    register_save(class_group=group, day=datetime.date(2026, 11, 23), absences={children[0].pk: 2}, actor=teacher)
    client.force_login(teacher)
    url = reverse("attendance:class", kwargs={"pk": group.pk})
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    enrol(group, 25)
    with django_assert_max_num_queries(20) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_child_list_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.users.county)
    url = reverse("children:list")
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    enrol(world.class_b1, 30)
    with django_assert_max_num_queries(15) as large:
        response = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.context["page"].paginator.count == 34


def test_register_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    teacher, group, _children = _class_with_pupils(3)
    client.force_login(teacher)
    url = reverse("risk:register", kwargs={"pk": group.pk, "day": "2026-11-23"})
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    enrol(group, 25)
    with django_assert_max_num_queries(20) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_register_form_saves_the_whole_class_at_once(client):
    teacher, group, children = _class_with_pupils(4)
    client.force_login(teacher)
    url = reverse("risk:register", kwargs={"pk": group.pk, "day": "2026-11-23"})
    data = {"day_hours": 5, f"absent_{children[0].pk}": "on", f"hours_{children[0].pk}": 2}
    data[f"absent_{children[1].pk}"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    assert dict(group.register_entries.get().absences.values_list("child_id", "hours")) == {
        children[0].pk: 2,
        children[1].pk: 5,
    }


def test_register_form_with_bad_hours_keeps_the_input_and_saves_nothing(client):
    teacher, group, children = _class_with_pupils(2)
    client.force_login(teacher)
    url = reverse("risk:register", kwargs={"pk": group.pk, "day": "2026-11-23"})
    response = client.post(url, {"day_hours": 4, f"absent_{children[0].pk}": "on", f"hours_{children[0].pk}": 7})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="7"' in content and "checked" in content
    assert not group.register_entries.exists()


def test_pages_and_files_of_a_signed_in_person_are_never_stored_by_a_cache(client):
    teacher, group, (child, *_rest) = _class_with_pupils(2)
    client.force_login(teacher)
    for url in (child.get_absolute_url(), reverse("attendance:class", args=[group.pk]), "/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


HOSTILE_NEXT = [target for target in HOSTILE if target and "\x00" not in target]  # NUL: 400 (test_bad_requests)


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_language_switch_never_leaves_the_site_nor_fails(client, target):
    client.force_login(UserFactory())
    response = client.post("/limba/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_behind_a_proxy_one_persons_failed_logins_do_not_lock_out_another(client, world, settings):
    """The name tried is locked from every address for the cool-off (accounts/tests/test_lockout.py); the proxy's
    address is not: another person behind it signs in."""
    settings.PREZENT_TRUSTED_PROXIES = ["127.0.0.1"]
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    colleague = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.10"}
    for _ in range(3):
        client.post(reverse("login"), {"username": "teacher", "password": "greșită"}, **attacker)
    locked = client.post(reverse("login"), {"username": "teacher", "password": "parola-test-123"}, **attacker)
    assert "blocat" in locked.content.decode()
    response = client.post(reverse("login"), {"username": "mediator", "password": "parola-test-123"}, **colleague)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session

"""A county's first coordinator is set up on the server; the Django admin shows roles but gives none."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from prezent.accounts.models import Role, RoleAssignment
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_first_coordinator_of_a_county_that_ships_nothing_is_invited(mailoutbox, capsys):
    call_command(
        "add_county_coordinator", "--county", "vs", "--email", " Ana.Lupu@ISJVS.ro ", "--first-name", "Ana",
        "--last-name", "Lupu",
    )  # fmt: skip
    person = get_user_model().objects.get(email="ana.lupu@isjvs.ro")
    role = RoleAssignment.objects.get(user=person)
    assert (role.role, role.scope_kind, role.county_code) == (Role.COUNTY_COORDINATOR, "county", "VS")
    assert not person.has_usable_password()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ana.lupu@isjvs.ro"]
    give = AuditEvent.objects.get(action="role.give")
    assert give.actor is None and give.details["via"] == "command" and give.details["county"] == "VS"
    assert give.details["bootstrap"] is True
    out = capsys.readouterr().out
    assert "Lupu" not in out and "Ana" not in out and "VS" in out
    assert "nu avea niciun coordonator activ" in out and "fără confirmare" in out

    call_command(
        "add_county_coordinator", "--county", "VS", "--email", "ana.lupu@isjvs.ro", "--first-name", "Ana",
        "--last-name", "Lupu",
    )  # fmt: skip
    assert RoleAssignment.objects.filter(user=person).count() == 1  # a second run gives nothing twice
    assert "era deja coordonator" in capsys.readouterr().out


def _add(county: str, email: str, first: str = "Maria", last: str = "Ciobanu") -> None:
    call_command(
        "add_county_coordinator", "--county", county, "--email", email, "--first-name", first, "--last-name", last
    )


def test_a_county_that_has_a_coordinator_gets_a_second_only_once_confirmed(client, mailoutbox, capsys):
    _add("VS", "ana.lupu@isjvs.ro", "Ana", "Lupu")
    first = get_user_model().objects.get(email="ana.lupu@isjvs.ro")
    capsys.readouterr()
    _add("VS", "maria.ciobanu@isjvs.ro")
    second = get_user_model().objects.get(email="maria.ciobanu@isjvs.ro")
    role = RoleAssignment.objects.get(user=second)
    assert role.pending and role.requested_by is None
    assert not RoleAssignment.objects.active().filter(user=second).exists()  # no effect until confirmed
    request = AuditEvent.objects.get(action="role.request")
    assert request.actor is None and request.details["via"] == "command" and request.target_id == str(role.pk)
    assert AuditEvent.objects.filter(action="role.give").count() == 1  # the bootstrap one only
    out = capsys.readouterr().out
    assert "așteaptă confirmarea" in out and "/scoli/personal/confirmari/" in out
    assert "Ciobanu" not in out and "Maria" not in out
    # a second run does not ask twice
    _add("VS", "maria.ciobanu@isjvs.ro")
    assert RoleAssignment.objects.filter(user=second).count() == 1
    assert "așteaptă deja confirmarea" in capsys.readouterr().out
    # the county's coordinator sees it and confirms it
    client.force_login(first)
    page = client.get("/scoli/personal/confirmari/").content.decode()
    assert "maria.ciobanu@isjvs.ro" in page
    client.post(f"/scoli/personal/confirmari/{role.pk}/", {"decision": "confirm"})
    role.refresh_from_db()
    assert not role.pending
    assert AuditEvent.objects.get(action="role.confirm").actor_id == first.pk


def test_a_coordinator_of_another_county_does_not_count_for_the_bootstrap(capsys):
    _add("IS", "ana.lupu@isjis.ro", "Ana", "Lupu")
    _add("VS", "maria.ciobanu@isjvs.ro")
    assert not RoleAssignment.objects.filter(pending=True).exists()
    assert AuditEvent.objects.filter(action="role.give", details__bootstrap=True).count() == 2


def test_an_ended_coordinator_leaves_the_county_to_bootstrap_again(capsys):
    old = UserFactory(email="fost@isjvs.ro")
    ended = assign(old, Role.COUNTY_COORDINATOR, county="VS")
    ended.valid_until = ended.valid_from
    ended.save()
    _add("VS", "maria.ciobanu@isjvs.ro")
    role = RoleAssignment.objects.get(user__email="maria.ciobanu@isjvs.ro")
    assert not role.pending


@pytest.mark.parametrize(
    ("county", "email", "message"),
    [("XX", "a@b.ro", "nu este codul unui județ"), ("VS", "nu-e-adresa", "e-mail")],
)
def test_a_bad_county_or_address_is_refused_and_writes_nothing(county, email, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "add_county_coordinator", "--county", county, "--email", email, "--first-name", "A", "--last-name", "B"
        )
    assert not get_user_model().objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_admin_shows_roles_but_an_administrator_cannot_give_one(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.ro", "o-parola-lunga-2026!")
    assign(admin, Role.ADMINISTRATOR)
    other = UserFactory()
    assign(other, Role.CLASS_TEACHER, county="")
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{admin.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Administrator" in html or Role.ADMINISTRATOR.label in html  # the role is shown
    assert "role_assignments-__prefix__" not in html  # no empty row to add one
    assert 'name="role_assignments-0-role"' not in html  # nor a field to change one

"""The declared ethnicity, the consents for declaring it and the CNP are decided by the roles a person holds at the
child's school, not by any role held anywhere (architecture decision 40): a case worker in school A who teaches a
class in school B sees, reveals and records them for A's children only."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.children.cnp import cnp_make
from prezent.children.models import Child, Consent, EthnicityDeclaration
from prezent.children.permissions import can_edit_child_ethnicity, can_reveal_child_cnp, can_view_child_ethnicity
from prezent.children.selectors import consents_of, ethnicity_for_child
from prezent.children.services import consent_record, ethnicity_declare
from prezent.core.models import AccessLog, AuditEvent

ROMA = EthnicityDeclaration.Ethnicity.ROMA
ETHNICITY_CONSENT = str(Consent.Purpose.ETHNICITY.label)
PROGRAMME_CONSENT = str(Consent.Purpose.PROGRAMME.label)


def _declare(world, child: Child, serial: int) -> None:
    Child.objects.filter(pk=child.pk).update(
        cnp=cnp_make(sex=child.sex, birth_date=child.birth_date, county=22, serial=serial)
    )
    child.refresh_from_db()
    ethnicity_declare(
        child=child, ethnicity=ROMA, declared_on=world.monday, legal_basis="consent", actor=world.users.county
    )
    for purpose in (Consent.Purpose.ETHNICITY, Consent.Purpose.PROGRAMME):
        Consent.objects.create(
            child=child,
            purpose=purpose,
            legal_basis=Consent.LegalBasis.CONSENT,
            given_on=world.monday,
            recorded_by=world.users.county,
        )


@pytest.fixture
def both(world):
    """Case worker in school A (child_a1 is proposed for the target group), teacher of class B1 in school B."""
    user = UserFactory()
    assign(user, Role.CASE_WORKER, schools=[world.school_a])
    assign(user, Role.CLASS_TEACHER, schools=[world.school_b])
    world.class_b1.teacher = user
    world.class_b1.save()
    _declare(world, world.child_a1, serial=11)
    _declare(world, world.child_b1, serial=12)
    return user


def _consents_shown(page: str) -> str:
    start = page.index('data-testid="consents"')
    return page[start : page.index("</ul>", start)]


@pytest.mark.django_db
def test_the_predicates_ask_the_roles_held_at_the_childs_school(world, both):
    a1, b1 = world.child_a1, world.child_b1
    assert can_view_child_ethnicity(user=both, child=a1)
    assert can_edit_child_ethnicity(user=both, child=a1)
    assert can_reveal_child_cnp(user=both, child=a1)
    assert not can_view_child_ethnicity(user=both, child=b1)
    assert not can_edit_child_ethnicity(user=both, child=b1)
    assert not can_reveal_child_cnp(user=both, child=b1)
    assert ethnicity_for_child(user=both, child=a1) is not None
    assert ethnicity_for_child(user=both, child=b1) is None
    assert Consent.Purpose.ETHNICITY in {c.purpose for c in consents_of(user=both, child=a1)}
    assert {c.purpose for c in consents_of(user=both, child=b1)} == {Consent.Purpose.PROGRAMME}
    # a county-wide role reaches every school of its county
    assert can_view_child_ethnicity(user=world.users.county, child=b1)
    assert can_reveal_child_cnp(user=world.users.county, child=b1)


@pytest.mark.django_db
def test_the_record_of_the_school_where_they_are_case_worker_shows_ethnicity_and_cnp(client, world, both):
    client.force_login(both)
    child = world.child_a1
    page = client.get(child.get_absolute_url()).content.decode()
    assert "romă" in page
    assert reverse("children:cnp", kwargs={"pk": child.pk}) in page
    assert reverse("children:ethnicity", kwargs={"pk": child.pk}) in page
    shown = _consents_shown(page)
    assert ETHNICITY_CONSENT in shown and PROGRAMME_CONSENT in shown
    revealed = client.post(reverse("children:cnp", kwargs={"pk": child.pk}))
    assert revealed.status_code == 200
    assert child.cnp in revealed.content.decode()
    assert AuditEvent.objects.filter(action="child.reveal_cnp", target_id=str(child.pk)).exists()


@pytest.mark.django_db
def test_the_record_of_the_school_where_they_only_teach_shows_neither(client, world, both):
    client.force_login(both)
    child = world.child_b1
    response = client.get(child.get_absolute_url())
    assert response.status_code == 200  # the teacher sees the pupil of the class
    page = response.content.decode()
    assert "romă" not in page and "Etnie" not in page
    assert reverse("children:cnp", kwargs={"pk": child.pk}) not in page
    assert reverse("children:ethnicity", kwargs={"pk": child.pk}) not in page
    assert child.cnp not in page
    shown = _consents_shown(page)
    assert PROGRAMME_CONSENT in shown
    assert ETHNICITY_CONSENT not in shown  # who declared an ethnicity is not told through the consents


@pytest.mark.django_db
def test_the_cnp_of_a_pupil_they_only_teach_is_not_revealed(client, world, both):
    client.force_login(both)
    child = world.child_b1
    response = client.post(reverse("children:cnp", kwargs={"pk": child.pk}))
    assert response.status_code == 404
    assert child.cnp not in response.content.decode()
    assert not AuditEvent.objects.filter(action="child.reveal_cnp").exists()
    assert not AccessLog.objects.filter(child_id=child.pk, view="child_cnp").exists()


@pytest.mark.django_db
def test_ethnicity_is_changed_only_for_the_school_where_they_are_case_worker(client, world, both):
    client.force_login(both)
    data = {"ethnicity": EthnicityDeclaration.Ethnicity.ROMANIAN, "declared_on": "2026-11-24", "legal_basis": "consent"}
    refused = client.post(reverse("children:ethnicity", kwargs={"pk": world.child_b1.pk}), data)
    assert refused.status_code == 404
    assert EthnicityDeclaration.objects.get(child=world.child_b1).ethnicity == ROMA
    done = client.post(reverse("children:ethnicity", kwargs={"pk": world.child_a1.pk}), data)
    assert done.status_code == 302
    assert EthnicityDeclaration.objects.get(child=world.child_a1).ethnicity == EthnicityDeclaration.Ethnicity.ROMANIAN
    with pytest.raises(ValidationError):
        ethnicity_declare(
            child=world.child_b1, ethnicity=ROMA, declared_on=world.monday, legal_basis="consent", actor=both
        )


@pytest.fixture
def writer(world, both):
    """The mediator of school A who is the school coordinator of school B: a writer in both, an ethnicity role
    only in A."""
    user = UserFactory()
    assign(user, Role.SCHOOL_MEDIATOR, schools=[world.school_a])
    assign(user, Role.SCHOOL_COORDINATOR, schools=[world.school_b])
    return user


@pytest.mark.django_db
def test_ethnicity_consents_are_recorded_and_withdrawn_only_with_an_ethnicity_role_at_the_school(client, world, writer):
    client.force_login(writer)
    b1, a1 = world.child_b1, world.child_a1
    options = client.get(b1.get_absolute_url()).context["consent_form"].fields["purpose"].choices
    assert Consent.Purpose.ETHNICITY not in dict(options)
    options = client.get(a1.get_absolute_url()).context["consent_form"].fields["purpose"].choices
    assert Consent.Purpose.ETHNICITY in dict(options)
    data = {"purpose": Consent.Purpose.ETHNICITY, "legal_basis": "consent", "given_on": "2026-11-24"}
    before = Consent.objects.filter(child=b1).count()
    client.post(reverse("children:consent_record", kwargs={"pk": b1.pk}), data)
    assert Consent.objects.filter(child=b1).count() == before
    with pytest.raises(ValidationError):
        consent_record(child=b1, purpose="ethnicity", legal_basis="consent", given_on=world.monday, actor=writer)
    client.post(reverse("children:consent_record", kwargs={"pk": a1.pk}), data)
    assert Consent.objects.filter(child=a1, purpose="ethnicity", recorded_by=writer).exists()
    hidden = Consent.objects.get(child=b1, purpose=Consent.Purpose.ETHNICITY)
    url = reverse("children:consent_withdraw", kwargs={"pk": b1.pk, "consent_id": hidden.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"on": "2026-11-24"}).status_code == 404
    hidden.refresh_from_db()
    assert hidden.withdrawn_on is None
    programme = Consent.objects.get(child=b1, purpose=Consent.Purpose.PROGRAMME)
    url = reverse("children:consent_withdraw", kwargs={"pk": b1.pk, "consent_id": programme.pk})
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_consent_list_costs_the_same_queries_however_many_consents(
    client, world, both, django_assert_max_num_queries
):
    client.force_login(both)
    url = world.child_b1.get_absolute_url()
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for day in range(1, 6):
        for purpose in (Consent.Purpose.ETHNICITY, Consent.Purpose.DATA):
            Consent.objects.create(
                child=world.child_b1,
                purpose=purpose,
                legal_basis=Consent.LegalBasis.CONSENT,
                given_on=datetime.date(2026, 10, day),
                recorded_by=world.users.county,
            )
    with django_assert_max_num_queries(60) as many:
        page = client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert _consents_shown(page).count("<li>") == 6  # the programme consent and five for personal data

"""The school-network upload in the browser: preview (nothing written), confirmation, refusals, the county
boundary and the kept file. The fixture is a Vaslui file: a county that ships no data starts from an empty
database."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.core.models import AuditEvent
from prezent.schools.models import Locality, School
from prezent.schools.tests.factories import SchoolFactory
from prezent.schools.views import NETWORK_SESSION_KEY

VASLUI_FILE = Path(__file__).parent / "data" / "vaslui_network.csv"


def upload(content: bytes | None = None, name: str = "retea.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, VASLUI_FILE.read_bytes() if content is None else content)


def uploads_on_disk(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "network-uploads"
    return sorted(folder.glob("*")) if folder.is_dir() else []


@pytest.fixture
def vaslui(db):
    user = UserFactory(username="vaslui")
    assign(user, Role.COUNTY_COORDINATOR, county="VS")
    return user


def test_preview_writes_nothing_then_confirm_writes_the_county(client, vaslui, settings):
    client.force_login(vaslui)
    response = client.post(reverse("schools:network_upload"), {"county": "VS", "file": upload()})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.rows, report.created, report.updated, report.localities_created, report.skipped) == (3, 3, 0, 3, 1)
    assert "1 rând este al altui județ" in response.content.decode()
    assert School.objects.count() == 0 and Locality.objects.count() == 0
    assert len(uploads_on_disk(settings)) == 1
    token = client.session[NETWORK_SESSION_KEY]["token"]
    assert "/" not in token and len(token) == 32

    response = client.post(reverse("schools:network_confirm"))
    assert response.status_code == 302
    assert sorted(School.objects.values_list("siiir_code", "county_code", "kind")) == [
        ("3761100101", "VS", "PJ"),
        ("3761100201", "VS", "PJ"),
        ("3762100102", "VS", "AR"),
    ]
    assert School.objects.get(siiir_code="3762100102").parent.siiir_code == "3761100101"
    assert set(Locality.objects.values_list("county_code", flat=True)) == {"VS"}
    assert not School.objects.filter(county_code="IS").exists()
    event = AuditEvent.objects.get(action="school_network.import")
    assert event.actor == vaslui and event.details["created"] == 3
    assert uploads_on_disk(settings) == []
    assert NETWORK_SESSION_KEY not in client.session


def test_a_second_upload_of_the_same_file_changes_nothing(client, vaslui):
    client.force_login(vaslui)
    client.post(reverse("schools:network_upload"), {"county": "VS", "file": upload()})
    client.post(reverse("schools:network_confirm"))
    response = client.post(reverse("schools:network_upload"), {"county": "VS", "file": upload()})
    report = response.context["report"]
    assert (report.created, report.updated, report.unchanged, report.localities_created) == (0, 0, 3, 0)


def test_bad_lines_are_named_and_nothing_is_kept(client, vaslui, settings):
    lines = VASLUI_FILE.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",AR,", ",XX,")  # line 4 of the file
    lines[4] = lines[4].replace(",URBAN,700201", ",ORAȘ,700201")  # line 5
    client.force_login(vaslui)
    response = client.post(
        reverse("schools:network_upload"), {"county": "VS", "file": upload("\n".join(lines).encode())}
    )
    assert response.status_code == 400
    errors = response.context["errors"]
    assert any(e.startswith("linia 4:") and "XX" in e for e in errors)
    assert any(e.startswith("linia 5:") and "ORAȘ" in e for e in errors)
    assert "Nu s-a scris nimic" in response.content.decode()
    assert School.objects.count() == 0
    assert uploads_on_disk(settings) == []
    assert NETWORK_SESSION_KEY not in client.session


def test_a_file_of_another_county_is_refused(client, db):
    user = UserFactory()
    assign(user, Role.COUNTY_COORDINATOR, county="BT")
    client.force_login(user)
    response = client.post(reverse("schools:network_upload"), {"county": "BT", "file": upload()})
    assert response.status_code == 400
    assert "nicio unitate a județului BT" in response.content.decode()
    assert School.objects.count() == 0


def test_a_county_not_coordinated_cannot_be_chosen(client, vaslui):
    client.force_login(vaslui)
    response = client.post(reverse("schools:network_upload"), {"county": "IS", "file": upload()})
    assert response.status_code == 400
    assert "county" in response.context["form"].errors
    assert School.objects.count() == 0


def test_confirm_without_preview_writes_nothing(client, vaslui):
    client.force_login(vaslui)
    response = client.post(reverse("schools:network_confirm"))
    assert response.status_code == 302
    assert School.objects.count() == 0


def test_a_token_from_the_session_never_becomes_a_path(client, vaslui, settings, tmp_path):
    outside = tmp_path / "outside.upload"
    outside.write_bytes(VASLUI_FILE.read_bytes())
    client.force_login(vaslui)
    session = client.session
    session[NETWORK_SESSION_KEY] = {"token": "../../outside", "county": "VS", "name": "x.csv"}
    session.save()
    response = client.post(reverse("schools:network_confirm"))
    assert response.status_code == 400
    assert School.objects.count() == 0
    assert outside.exists()


def test_cancel_removes_the_file(client, vaslui, settings):
    client.force_login(vaslui)
    client.post(reverse("schools:network_upload"), {"county": "VS", "file": upload()})
    response = client.post(reverse("schools:network_confirm"), {"cancel": "1"})
    assert response.status_code == 302
    assert uploads_on_disk(settings) == []
    assert School.objects.count() == 0


def test_other_roles_get_404(client, world):
    client.force_login(world.users.school_coord)
    assert client.get(reverse("schools:network_upload")).status_code == 404
    assert client.post(reverse("schools:network_confirm")).status_code == 404


def test_the_schools_list_links_the_upload_for_the_county_coordinator_only(client, world):
    client.force_login(world.users.county)
    assert reverse("schools:network_upload") in client.get(reverse("schools:list")).content.decode()
    client.force_login(world.users.school_coord)
    assert reverse("schools:network_upload") not in client.get(reverse("schools:list")).content.decode()


def test_a_file_cannot_take_a_school_of_another_county(client, vaslui):
    """The same SIIIR code already in Iași's network: the Vaslui file is refused at that line, Iași's school stays."""
    iasi = SchoolFactory(siiir_code="3761100201", county_code="IS")
    client.force_login(vaslui)
    response = client.post(reverse("schools:network_upload"), {"county": "VS", "file": upload()})
    assert response.status_code == 400
    page = response.content.decode()
    assert "3761100201" in page and "județului IS" in page
    iasi.refresh_from_db()
    assert iasi.county_code == "IS"
    assert School.objects.count() == 1

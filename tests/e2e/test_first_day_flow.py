"""A county that ships nothing, on an empty database, through its whole first day in a real browser.

Vaslui (VS): the inspectorate's IT person creates the first county coordinator on the server; the coordinator
accepts the e-mailed invitation, loads the Ministry's school network, creates the programme and chooses its
schools, opens the 2026-2027 school year, imports the pupils (a bad file first, refused line by line) and the
staff; a form teacher accepts their invitation and takes the first register of their class.
"""

import csv
import datetime
import io
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.attendance.models import Absence
from prezent.children.cnp import cnp_make
from prezent.children.models import Child, Enrolment
from prezent.programme.models import Programme
from prezent.schools.models import ClassGroup, School, SchoolYear

from .conftest import PHONE, SCREENSHOTS, TIMEOUT_MS

pytestmark = pytest.mark.e2e

NETWORK_FILE = Path(settings.BASE_DIR) / "prezent" / "schools" / "tests" / "data" / "vaslui_network.csv"
BACESTI = "3761100101"  # Școala Gimnazială Băcești (PJ)
BABUSA = "3762100102"  # Școala Primară Babușa (AR of Băcești)
LICEU = "3761100201"  # Liceul Tehnologic Nr. 1 Vaslui
COORDINATOR_EMAIL = "coordonator@isj.vs.edu.ro"
COORDINATOR_PASSWORD = "Vaslui-coordonare-2026"
TEACHER_EMAIL = "irina.rotaru@scoala-bacesti.ro"
TEACHER_PASSWORD = "Bacesti-diriginte-2026"
PUPILS_HEADER = [
    "Nr. crt.",
    "CNP",
    "Nume",
    "Prenume",
    "Data nașterii",
    "Sex",
    "Cod SIIIR unitate",
    "Formațiune de studiu",
]
TEST_NAME = "test_a_county_that_ships_nothing_starts_from_its_own_files"
LINK = re.compile(r"https?://\S+/parola/\S+/")


def _pupil(n: int, last: str, first: str, sex: str, birth: datetime.date, school: str, klass: str) -> list[str]:
    cnp = cnp_make(sex=sex, birth_date=birth, county=37, serial=n)
    return [str(n), cnp, last, first, f"{birth:%d.%m.%Y}", sex, school, klass]


GOOD_PUPILS = [
    _pupil(1, "Ababei", "Andrei", "M", datetime.date(2015, 3, 14), BACESTI, "a V-a B"),
    _pupil(2, "Bârlădeanu", "Ioana", "F", datetime.date(2015, 7, 2), BACESTI, "a V-a B"),
    _pupil(3, "Cozma", "Ștefan", "M", datetime.date(2015, 11, 23), BACESTI, "a V-a B"),
    _pupil(4, "Dănilă", "Teodora", "F", datetime.date(2018, 5, 9), BABUSA, "a II-a A"),
    _pupil(5, "Enache", "Mihai", "M", datetime.date(2018, 1, 30), BABUSA, "a II-a A"),
]


def _csv(rows: list[list[str]], title: str) -> bytes:
    """A SIIIR-like export: a title row above the header, as the exports come."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _bad_pupils() -> tuple[bytes, dict[int, str]]:
    """Line 1 is the title, line 2 the header, pupils from line 3. Returns the file and the expected refusals."""
    rows = [list(row) for row in GOOD_PUPILS]
    wrong = rows[1][1]
    rows[1][1] = wrong[:-1] + str((int(wrong[-1]) + 1) % 10)  # line 4: a wrong check digit
    rows[3][1], rows[3][4], rows[3][5] = rows[0][1], rows[0][4], rows[0][5]  # line 6: the pupil of line 3 again
    rows[4][6] = "3769999999"  # line 7: a code not in the network
    expected = {
        4: "CNP-ul nu este valid",
        6: "același CNP apare și pe linia 3",
        7: "3769999999",
    }
    return _csv([PUPILS_HEADER, *rows], "Elevi înscriși — ISJ Vaslui"), expected


def _staff_file() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Nume", "Prenume", "E-mail", "Telefon", "Rol", "Cod SIIIR unitate", "Clasa"])
    writer.writerow(["Rotaru", "Irina", TEACHER_EMAIL, "0740000001", "diriginte", BACESTI, "a V-a B"])
    return out.getvalue().encode("utf-8")


def _invitation_path(message: mail.EmailMessage) -> str:
    """The set-password link of an invitation, as a path (the e-mail names the configured site's address)."""
    found = LINK.search(message.body)
    assert found, f"no set-password link in the invitation: {message.body!r}"
    return urlparse(found.group(0)).path


def _accept_invitation(page, live_server, path: str, username: str, password: str) -> None:
    page.goto(f"{live_server.url}{path}")
    page.wait_for_url("**/parola/*/set-password/")
    expect(page.get_by_role("heading", name="Alegeți parola")).to_be_visible()
    expect(page.locator("body")).to_contain_text(f"Utilizator: {username}")
    page.fill("#id_new_password1", password)
    page.fill("#id_new_password2", password)
    page.get_by_role("button", name="Salvează parola").click()
    expect(page.get_by_role("heading", name="Parola a fost setată")).to_be_visible()
    page.get_by_role("link", name="Autentificare").click()
    page.wait_for_url("**/autentificare/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Intră").click()
    page.wait_for_url(lambda url: "/autentificare/" not in url)


def _upload(page, selector: str, name: str, data: bytes, mime: str = "text/csv") -> None:
    page.set_input_files(selector, files=[{"name": name, "mimeType": mime, "buffer": data}])


def test_a_county_that_ships_nothing_starts_from_its_own_files(browser, page, live_server, screenshot):
    assert not School.objects.exists() and not User.objects.exists()

    # 1. The inspectorate's IT person creates the county's first coordinator, who accepts the invitation.
    call_command(
        "add_county_coordinator",
        "--county",
        "VS",
        "--email",
        COORDINATOR_EMAIL,
        "--first-name",
        "Elena",
        "--last-name",
        "Bârsan",
        stdout=io.StringIO(),
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [COORDINATOR_EMAIL]
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    _accept_invitation(page, live_server, _invitation_path(mail.outbox[0]), coordinator.username, COORDINATOR_PASSWORD)
    assert page.url == f"{live_server.url}/"
    screenshot("01-coordinator-home")

    # 2. The Ministry's school network: the home page points to the county's set-up, step by step.
    expect(page.get_by_test_id("setup-next")).to_contain_text("Rețeaua școlară")
    page.get_by_test_id("setup-next").get_by_role("link", name="Configurarea județului").click()
    screenshot("01b-county-setup")
    page.get_by_role("link", name="Încarcă rețeaua școlară").click()
    _upload(page, "#id_file", "vaslui_network.csv", NETWORK_FILE.read_bytes())
    page.get_by_role("button", name="Verifică fișierul").click()
    expect(page.get_by_role("button", name="Confirmă importul")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Nu s-a scris încă nimic.")
    screenshot("02-network-preview")
    assert not School.objects.exists()
    page.get_by_role("button", name="Confirmă importul").click()
    page.wait_for_url("**/scoli/")
    expect(page.get_by_role("status")).to_be_visible()
    screenshot("03-network-done")
    assert set(School.objects.values_list("siiir_code", flat=True)) == {BACESTI, BABUSA, LICEU}

    # 3. The programme and its schools: two pasted SIIIR codes, one school from the filtered chooser.
    page.get_by_role("navigation").get_by_role("link", name="Configurare", exact=True).click()
    page.get_by_role("link", name="Programele").click()
    page.get_by_role("link", name="Program nou").click()
    page.fill("#id_code", "RO10-VS01")
    page.fill("#id_name", "Împreună pentru copiii din Vaslui")
    page.fill("#id_funder", "Granturile SEE")
    page.fill("#id_start", "2026-09-01")
    page.fill("#id_end", "2028-06-30")
    page.fill("#id_budget_eur", "250000")
    screenshot("04-programme-form")
    page.get_by_role("button", name="Salvează").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Împreună pentru copiii din Vaslui")
    expect(page.get_by_role("status")).to_contain_text("Programul a fost creat.")
    programme = Programme.objects.get(code="RO10-VS01")
    assert (programme.county_code, programme.budget_eur) == ("VS", 250000)
    page.fill("#id_codes", f"{BACESTI}\n{BABUSA}\n")
    page.get_by_role("button", name="Adaugă școlile").click()
    expect(page.get_by_role("status")).to_contain_text("Școli adăugate: 2; erau deja în program: 0.")
    page.get_by_role("link", name="Alege școli din rețeaua județului").click()
    page.select_option("#id_mediu", label="urban")
    page.get_by_role("button", name="Filtrează").click()
    expect(page.get_by_text("1 școală găsită")).to_be_visible()
    page.get_by_role("checkbox", name="LICEUL TEHNOLOGIC NR. 1, VASLUI").check()
    screenshot("05-programme-chooser")
    page.get_by_role("button", name="Adaugă școlile bifate").click()
    expect(page.get_by_role("status")).to_contain_text("Școli adăugate: 1; erau deja în program: 0.")
    page.get_by_role("link", name="Împreună pentru copiii din Vaslui").click()
    expect(page.get_by_role("heading", name="3 școli în program")).to_be_visible()
    screenshot("06-programme-schools")
    assert set(programme.schools.values_list("siiir_code", flat=True)) == {BACESTI, BABUSA, LICEU}

    # 4. The school year 2026-2027, with the February week the inspectorate chose.
    page.get_by_role("navigation").get_by_role("link", name="Configurare", exact=True).click()
    page.get_by_role("link", name="Deschide anul școlar").click()
    # On the county's first day the page proposes the year in progress, without promotion (nobody to promote).
    expect(page.locator("#id_name")).to_have_value("2026-2027")
    expect(page.get_by_label("Trece elevii în clasa următoare (din anul școlar precedent)")).not_to_be_checked()
    page.select_option("#id_february_monday", "2027-02-22")
    page.get_by_role("button", name="Vezi ce se va face").click()
    preview = page.get_by_test_id("year-preview")
    expect(preview).to_contain_text("Anul școlar 2026-2027 (VS)")
    expect(preview).to_contain_text("Vacanța din februarie: 22.02.2027 – 26.02.2027")
    expect(page.get_by_test_id("promotion-preview")).to_have_count(0)
    screenshot("07-year-preview")
    confirm = page.get_by_role("button", name="Confirmă: deschide anul școlar")
    confirm.click()
    page.wait_for_url("**/scoli/ani-scolari/")
    expect(page.get_by_role("status")).to_contain_text("Anul școlar 2026-2027 a fost deschis.")
    screenshot("08-years")
    year = SchoolYear.objects.get(county_code="VS", name="2026-2027")

    # 5. The pupils: a bad file is refused line by line and nothing is written; the corrected file passes.
    page.get_by_role("navigation").get_by_role("link", name="Copii", exact=True).click()
    page.get_by_role("link", name="Import elevi din SIIIR").click()
    expect(page.get_by_role("heading", name="Import elevi din SIIIR")).to_be_visible()
    bad, refusals = _bad_pupils()
    _upload(page, "#id_file", "elevi-vaslui.csv", bad)
    page.get_by_role("button", name="Verifică fișierul").click()
    page.wait_for_url("**/copii/import/verificare/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("nu s-a scris nimic")
    items = alert.locator("li")
    expect(items).to_have_count(len(refusals))
    for index, (line, reason) in enumerate(sorted(refusals.items())):
        expect(items.nth(index)).to_contain_text(f"linia {line}:")
        expect(items.nth(index)).to_contain_text(reason)
    expect(page.get_by_role("button", name="Confirmă importul")).to_have_count(0)
    screenshot("09-pupils-refused")
    assert not Child.objects.exists() and not ClassGroup.objects.exists()

    page.get_by_role("button", name="Renunță").click()
    page.wait_for_url("**/copii/import/")
    _upload(page, "#id_file", "elevi-vaslui-corectat.csv", _csv([PUPILS_HEADER, *GOOD_PUPILS], "Elevi înscriși"))
    page.get_by_role("button", name="Verifică fișierul").click()
    page.wait_for_url("**/copii/import/verificare/")
    expect(page.get_by_text("5 elevi în fișier: 5 noi")).to_be_visible()
    expect(page.locator("#id_cnp")).to_have_value("1")  # the mapping guessed from the SIIIR header, shown to confirm
    expect(page.locator("#id_formation")).to_have_value("7")
    screenshot("10-pupils-preview")
    assert not Child.objects.exists()
    page.get_by_role("button", name="Confirmă importul").click()
    page.wait_for_url("**/copii/import/")
    expect(page.get_by_role("status")).to_contain_text("Import făcut: 5 elevi noi")
    expect(page.get_by_role("status")).to_contain_text("2 clase create")
    screenshot("11-pupils-done")
    classes = {(c.school.siiir_code, c.grade, c.letter) for c in ClassGroup.objects.select_related("school")}
    assert classes == {(BACESTI, 5, "B"), (BABUSA, 2, "A")}
    fifth_b = ClassGroup.objects.get(school__siiir_code=BACESTI, grade=5, letter="B", school_year=year)
    assert Enrolment.objects.filter(class_group=fifth_b, end__isnull=True, start=year.start).count() == 3

    # 6. The staff: the form teacher of the V B, invited by e-mail.
    page.get_by_role("navigation").get_by_role("link", name="Configurare", exact=True).click()
    page.get_by_role("link", name="Import personal").click()
    _upload(page, "#id_file", "personal-vaslui.csv", _staff_file())
    page.get_by_role("button", name="Verifică fișierul").click()
    expect(page.get_by_role("button", name="Confirmă importul")).to_be_visible()
    expect(page.locator("body")).to_contain_text("diriginte: ")
    screenshot("12-staff-preview")
    assert not User.objects.filter(email=TEACHER_EMAIL).exists()
    page.get_by_role("button", name="Confirmă importul").click()
    page.wait_for_url("**/scoli/personal/")
    expect(page.get_by_role("status")).to_contain_text("persoane noi (invitate): 1")
    screenshot("13-staff-done")
    teacher = User.objects.get(email=TEACHER_EMAIL)
    fifth_b.refresh_from_db()
    assert fifth_b.teacher == teacher
    assert RoleAssignment.objects.filter(user=teacher, role=Role.CLASS_TEACHER).exists()
    assert [m.to for m in mail.outbox] == [[COORDINATOR_EMAIL], [TEACHER_EMAIL]]

    # 7. The teacher accepts the invitation on their phone and takes the class's first register.
    context = browser.new_context(
        viewport=PHONE, locale="ro-RO", timezone_id="Europe/Bucharest", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    phone = context.new_page()

    def phone_shot(step: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / f"{TEST_NAME}-phone-{step}.png"), full_page=True)

    try:
        _accept_invitation(phone, live_server, _invitation_path(mail.outbox[1]), teacher.username, TEACHER_PASSWORD)
        my_classes = phone.get_by_test_id("my-classes")
        expect(my_classes).to_contain_text(str(fifth_b))
        phone_shot("14-teacher-home")
        my_classes.get_by_role("link", name="Condica de azi").click()
        phone.wait_for_url(f"**/condica/clasa/{fifth_b.pk}/*-*-*/")
        day = datetime.date.fromisoformat(phone.url.rstrip("/").rsplit("/", 1)[1])
        expect(phone.get_by_role("button", name="Salvează condica")).to_be_visible()
        absent = Child.objects.get(last_name="Cozma")
        phone.get_by_label(str(absent), exact=True).check()
        phone.fill(f"#id_hours_{absent.pk}", "2")
        phone_shot("15-register")
        phone.get_by_role("button", name="Salvează condica").click()
        phone.wait_for_url(f"**/condica/clasa/{fifth_b.pk}/")
        expect(phone.get_by_role("status")).to_contain_text(
            "Condica a fost salvată. Elevi absenți: 1; ore de absență: 2."
        )
        phone_shot("16-class-after")
    finally:
        context.close()
    saved = Absence.objects.get(register_entry__class_group=fifth_b)
    assert (saved.child_id, saved.date, saved.hours, saved.excused) == (absent.pk, day, 2, False)

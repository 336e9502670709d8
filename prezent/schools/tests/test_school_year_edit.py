import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _post_data(year, **changes):
    data = {"m-TOTAL_FORMS": 5, "m-INITIAL_FORMS": 5, "m-MIN_NUM_FORMS": 5, "m-MAX_NUM_FORMS": 5}
    for i, module in enumerate(year.modules.order_by("number")):
        data[f"m-{i}-id"] = module.pk
        data[f"m-{i}-number"] = module.number
        data[f"m-{i}-start"] = changes.get(f"{module.number}-start", module.start.isoformat())
        data[f"m-{i}-end"] = changes.get(f"{module.number}-end", module.end.isoformat())
    data.update({"d-TOTAL_FORMS": 0, "d-INITIAL_FORMS": 0, "d-MIN_NUM_FORMS": 0, "d-MAX_NUM_FORMS": 1000})
    return data


def test_county_coordinator_sets_the_february_week(client, world):
    year = world.school_year
    client.force_login(world.users.county)
    url = reverse("schools:year_edit", kwargs={"pk": year.pk})
    response = client.post(url, _post_data(year, **{"3-end": "2027-02-12", "4-start": "2027-02-22"}))
    assert response.status_code == 302
    assert str(year.modules.get(number=3).end) == "2027-02-12"
    assert str(year.modules.get(number=4).start) == "2027-02-22"


def test_overlapping_modules_are_refused_and_nothing_changes(client, world):
    year = world.school_year
    before = list(year.modules.order_by("number").values_list("start", "end"))
    client.force_login(world.users.county)
    url = reverse("schools:year_edit", kwargs={"pk": year.pk})
    response = client.post(url, _post_data(year, **{"3-end": "2027-03-10"}))
    assert response.status_code == 400
    assert "se suprapun" in response.content.decode()
    assert list(year.modules.order_by("number").values_list("start", "end")) == before

from prezent.schools.models import Locality
from prezent.schools.selectors import county_outline


def test_county_outline_is_the_hull_of_the_county_localities(db):
    corners = [(47.0, 27.0), (47.0, 28.0), (47.6, 28.0), (47.6, 27.0)]
    for i, (lat, lon) in enumerate([*corners, (47.3, 27.5)]):
        Locality.objects.create(
            siruta=f"9{i}", name=f"L{i}", level="village", county_code="IS", latitude=lat, longitude=lon
        )
    Locality.objects.create(
        siruta="80", name="Alt județ", level="village", county_code="VS", latitude=46.0, longitude=29.0
    )
    assert sorted(county_outline("IS")) == sorted(corners)

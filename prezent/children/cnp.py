"""The Romanian personal numeric code (CNP): structure and checksum. Pure functions."""

import datetime

CNP_WEIGHTS = (2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9)
CENTURY_BY_SEX_DIGIT = {1: 1900, 2: 1900, 3: 1800, 4: 1800, 5: 2000, 6: 2000, 7: 1900, 8: 1900, 9: 1900}


def cnp_check_digit(first12: str) -> int:
    total = sum(int(d) * w for d, w in zip(first12, CNP_WEIGHTS, strict=True))
    rest = total % 11
    return 1 if rest == 10 else rest


def cnp_is_valid(cnp: str) -> bool:
    """13 digits, a real birth date, a county code 01–52, and the right check digit."""
    if len(cnp) != 13 or not cnp.isdigit() or cnp[0] == "0":
        return False
    if cnp_birth_date(cnp) is None:
        return False
    county = int(cnp[7:9])
    if not (1 <= county <= 52 or county in (70, 80)):
        return False
    return cnp_check_digit(cnp[:12]) == int(cnp[12])


def cnp_birth_date(cnp: str) -> datetime.date | None:
    try:
        century = CENTURY_BY_SEX_DIGIT[int(cnp[0])]
        return datetime.date(century + int(cnp[1:3]), int(cnp[3:5]), int(cnp[5:7]))
    except (KeyError, ValueError, IndexError):
        return None


def cnp_make(*, sex: str, birth_date: datetime.date, county: int, serial: int) -> str:
    """A CNP with a valid checksum, for tests and the demo."""
    first = (5 if sex == "M" else 6) if birth_date.year >= 2000 else 1 if sex == "M" else 2
    body = f"{first}{birth_date:%y%m%d}{county:02d}{serial:03d}"
    return body + str(cnp_check_digit(body))

"""Days read from URLs, query strings and command options."""

import datetime

from django.utils.dateparse import parse_date


def day_or_none(value: object) -> datetime.date | None:
    """An ISO day (YYYY-MM-DD), or None when the text is malformed or names a day that does not exist
    (2026-02-30: Django's `parse_date` raises there, which a view would answer with a server error)."""
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value)
    except ValueError:
        return None

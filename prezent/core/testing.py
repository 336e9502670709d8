"""Helpers shared by the authorization tests of every app (kept in core so any app's tests may import them)."""

ROLES = [
    "anon",
    "county",
    "caseworker",
    "school_coord",
    "teacher",
    "mediator",
    "trainer",
    "me_viewer",
    "admin",
    "norole",
]


def _row(*statuses: int) -> dict[str, int]:
    """Expected statuses in ROLES order."""
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))
